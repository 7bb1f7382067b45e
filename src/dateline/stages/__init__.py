"""Stage runners: what each notebook runs, over the stage files. A runner reads its inputs a batch at a time,
hands the NLP to an executor, calls the pure steps (``dateline.steps.events``, ``anchoring``, ``narrative``,
``timeline`` ...) and writes its outputs; the notebooks call a runner and show what it wrote."""
