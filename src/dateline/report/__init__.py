"""The report: its HTML sections (sections), charts (plots), the page rendered from the executed notebook (page),
its PDF (pdf) and the files exported beside it (exports)."""
