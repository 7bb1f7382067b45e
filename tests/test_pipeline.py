"""End to end: `make report` on a tiny fixture corpus in a temporary copy of the project."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dateline import columns as C
from dateline import provenance
from tests.conftest import FIXTURE, ROOT

pytestmark = pytest.mark.slow
VENV = Path(sys.prefix)  # the environment running the tests, so the copy needs no setup of its own


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(project), *provenance.with_environment(VENV), *args],
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = provenance.copy_project(ROOT, tmp_path_factory.mktemp("project"))
    shutil.copytree(FIXTURE, root / "data" / "raw" / "fixture")
    return root


@pytest.fixture(scope="module")
def built(project: Path) -> Path:
    result = make(project, "report", "CORPUS=fixture")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project


def test_every_stage_output_exists(built):
    for rel in ("data/interim/fixture/documents.parquet", "data/interim/fixture/rejected.csv",
                "data/interim/fixture/merged.csv", "data/processed/fixture/mentions.parquet",
                "data/processed/fixture/entities.parquet", "data/processed/fixture/cooccurrence.parquet",
                "data/processed/fixture/timexes.parquet", "data/processed/fixture/events.parquet",
                "data/processed/fixture/timeline.csv", "data/processed/fixture/entity_timelines.parquet",
                "data/processed/fixture/key_dates.csv", "reports/fixture/report.html",
                "reports/fixture/executed/04_report.ipynb", "reports/fixture/timelinejs.json",
                "reports/fixture/entities.gexf", "reports/fixture/timeline.csv"):
        assert (built / rel).is_file(), rel


def test_explore_answers_from_the_stage_files(built):
    from dateline.config import corpus_paths
    from dateline.steps import explore

    paths = corpus_paths("fixture", built)
    events = pd.read_parquet(paths.events)
    about = explore.events_about(paths, "volodymyr zelensky")  # case aside
    assert len(about) and all("PERSON:Volodymyr Zelensky" in set(p) | set(a)
                              for p, a in zip(about[C.PARTICIPANTS], about[C.ACTORS], strict=True))
    with pytest.raises(KeyError, match="no entity of fixture is named 'Nobody At All'"):
        explore.events_about(paths, "Nobody At All")
    dated = events[events[C.START_DATE].notna()]
    first, last = dated[C.START_DATE].min(), dated[C.START_DATE].max()
    between = explore.events_between(paths, first, last)
    within = dated[dated[C.END_DATE] <= last]
    assert between[C.EVENT_ID].tolist() == within[C.EVENT_ID].tolist()  # timeline order kept
    documents = pd.read_parquet(paths.documents)
    day = documents[C.PUBLISHED].dropna().iloc[0]
    assert sorted(explore.articles_on(paths, str(day)[:10])[C.DOC_ID]) == \
        sorted(documents[documents[C.PUBLISHED] == day][C.DOC_ID])
    sub = explore.key_dates_between(paths, first, last)
    assert len(sub) and all(first <= dt.date.fromisoformat(d) <= last for d in sub[C.DATE] if len(d) == 10)


def test_the_exports_beside_the_report_open_elsewhere(built):
    import networkx as nx

    from tests.test_keydates import valid_timelinejs

    timeline = json.loads((built / "reports/fixture/timelinejs.json").read_text(encoding="utf-8"))
    key_dates = pd.read_csv(built / "data/processed/fixture/key_dates.csv", dtype=str, keep_default_na=False)
    assert valid_timelinejs(timeline) and len(timeline["events"]) == len(key_dates) > 0
    assert "<script" not in json.dumps(timeline)
    graph = nx.read_gexf(built / "reports/fixture/entities.gexf")
    entities = pd.read_parquet(built / "data/processed/fixture/entities.parquet")
    assert set(graph.nodes) == set(entities[C.ENTITY_ID].head(500))
    assert (built / "reports/fixture/timeline.csv").read_bytes() == \
        (built / "data/processed/fixture/timeline.csv").read_bytes()


def test_counts_in_equal_kept_plus_merged_plus_rejected(built):
    documents = pd.read_parquet(built / "data/interim/fixture/documents.parquet")
    merged = pd.read_csv(built / "data/interim/fixture/merged.csv")
    rejected = pd.read_csv(built / "data/interim/fixture/rejected.csv")
    assert (len(documents), len(merged), len(rejected)) == (4, 1, 6)
    assert documents.set_index(C.DOC_ID).loc["001_kyiv", C.COPIES] == 1


def test_stage_outputs_have_the_documented_columns(built):
    expected = {
        "data/interim/fixture/documents.parquet": [C.DOC_ID, C.TITLE, C.PUBLISHED, C.DATELINE, C.DATELINE_PLACE,
                                                   C.TEXT, C.SOURCE, C.URL],
        "data/processed/fixture/mentions.parquet": [C.DOC_ID, C.SENT_ID, C.START, C.END, C.TEXT, C.LABEL,
                                                    C.ENTITY_ID],
        "data/processed/fixture/entities.parquet": [C.ENTITY_ID, C.NAME, C.LABEL, C.N_MENTIONS, C.N_DOCS],
        "data/processed/fixture/timexes.parquet": [C.DOC_ID, C.START, C.END, C.TEXT, C.TYPE, C.VALUE],
        "data/processed/fixture/events.parquet": [C.EVENT_ID, C.DOC_ID, C.VALUE, C.START_DATE, C.END_DATE,
                                                  C.GRANULARITY, C.TRIGGER, C.ACTORS, C.PLACES, C.TEXT],
    }
    for rel, columns in expected.items():
        assert set(columns) <= set(pd.read_parquet(built / rel).columns), rel


def test_report_is_self_contained_and_escapes_article_text(built):
    page = (built / "reports/fixture/report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<img src=x" not in page and "onerror" not in page  # the body's markup was removed in cleaning
    assert "&lt;script&gt;alert(" in page  # the headline's is shown as text
    assert 'src="http' not in page and "<link" not in page
    assert "data:image/png;base64," in page


def test_a_second_run_has_nothing_to_do(built):
    assert make(built, "-q", "report", "CORPUS=fixture").returncode == 0


def test_a_changed_stage_reruns_only_itself_and_later_stages(built):
    outputs = {stage: built / "reports/fixture/executed" / f"{stage}.ipynb"
               for stage in ("01_clean", "02_entities", "03_timeline", "04_report")}
    before = {stage: path.stat().st_mtime_ns for stage, path in outputs.items()}
    (built / "notebooks/03_timeline.ipynb").touch()
    result = make(built, "report", "CORPUS=fixture")
    assert result.returncode == 0, result.stderr[-3000:]
    rerun = {stage for stage, path in outputs.items() if path.stat().st_mtime_ns != before[stage]}
    assert rerun == {"03_timeline", "04_report"}


def test_a_failing_stage_fails_make_with_the_error_and_leaves_no_output(built):
    (built / "params/strictfix.yaml").write_text("strict: true\n")
    shutil.copytree(FIXTURE, built / "data/raw/strictfix")
    result = make(built, "data/interim/strictfix/documents.parquet", "CORPUS=strictfix")
    assert result.returncode != 0
    assert "strict: 6 document(s) rejected" in result.stdout + result.stderr
    assert not (built / "data/interim/strictfix/documents.parquet").exists()
    assert (built / "reports/strictfix/executed/01_clean.ipynb").exists()  # kept for inspection


def test_the_report_and_its_notebook_are_the_same_byte_for_byte_when_rebuilt(built):
    outputs = [built / "reports/fixture/report.html", built / "reports/fixture/executed/04_report.ipynb"]
    first = [p.read_bytes() for p in outputs]
    (built / "notebooks/04_report.ipynb").touch()
    assert make(built, "report", "CORPUS=fixture").returncode == 0
    assert [p.read_bytes() for p in outputs] == first


def test_the_manifest_lists_inputs_outputs_and_environment_and_verify_reproduces_it(built):
    import json

    from dateline import provenance

    manifest = json.loads((built / "reports/fixture/manifest.json").read_text())
    assert "data/raw/fixture/001_kyiv.txt" in manifest["inputs"]
    assert "reports/fixture/report.html" in manifest["outputs"]
    assert manifest["environment"]["spacy_models"] and manifest["parameters"]["01_clean"]["corpus"] == "fixture"
    rows = provenance.verify(built, "fixture", venv=VENV)
    assert rows and all(status == "match" for _, status in rows), rows


def test_a_changed_raw_file_is_named(built):
    from dateline import provenance

    raw = built / "data/raw/fixture/001_kyiv.txt"
    original = raw.read_bytes()
    try:
        raw.write_bytes(original + b"\nOne more line.\n")
        assert provenance.changed_inputs(built, "fixture") == [("data/raw/fixture/001_kyiv.txt", "changed")]
    finally:
        raw.write_bytes(original)
    assert provenance.changed_inputs(built, "fixture") == []


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Debian's chromium is not installed (make test installs it with apt-get when it can)")
    return path


def test_report_in_a_real_browser_runs_nothing_from_articles_and_shows_every_figure(built):
    sync_api = pytest.importorskip("playwright.sync_api")
    page_path = built / "reports/fixture/report.html"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            console, errors, dialogs, requests = [], [], [], []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri(), wait_until="load")
            images = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.alt])")
            scripts = page.locator("script").count()
            text = page.inner_text("body")
            hostile_doc = page.locator(".dl-doc", has_text="Hostile headline")
            hostile_text = hostile_doc.inner_text() if hostile_doc.count() == 1 else ""
            documents_heading_after = page.evaluate(
                "() => [...document.querySelectorAll('h2')].map(h => h.textContent.trim())")
            key_dates = page.locator("#key-dates ol.dl-keydates > li")
            key_date_lines = key_dates.all_inner_texts()
            key_dates.first.locator("summary").click()
            key_date_links = key_dates.first.locator("details a").evaluate_all("links => links.map(a => a.hash)")
            targets = [page.locator(f"[id='{h[1:]}']").count() for h in key_date_links]
        finally:
            browser.close()
    assert not errors and not dialogs and not [c for c in console if c.startswith("error")], (errors, dialogs,
                                                                                           console)
    assert scripts == 0
    assert all(url == page_path.as_uri() or url.startswith("data:") for url in requests), requests
    assert len(images) >= 3 and all(complete and width > 0 and alt for complete, width, alt in images), images
    # the headline's markup is shown as text; the body's markup was removed in cleaning, stray closing tags
    # included, and the rest of its text is still inside its own document box
    assert "<script>alert('x')</script> Hostile headline" in text
    assert "<img" not in hostile_text and "</div>" not in hostile_text
    assert "Officials said the meeting in Paris began Wednesday." in hostile_text
    assert "Visit javascript:alert(1) now." in hostile_text
    assert documents_heading_after[-1].startswith("Documents")
    # the key dates open the report, before the charts; each names its date and links to articles shown below
    assert documents_heading_after.index("Key dates") < documents_heading_after.index("Timeline")
    assert key_date_lines and all(re.search(r"\d{4}", line) and "article" in line for line in key_date_lines)
    assert key_date_links and all(n == 1 for n in targets), (key_date_links, targets)


def test_make_entity_timeline_writes_the_task_format_and_is_no_report_output(built):
    result = make(built, "entity-timeline", "CORPUS=fixture", "ENTITY=Volodymyr Zelensky")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    written = built / "reports/fixture/timeline-Volodymyr_Zelensky.txt"
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Volodymyr Zelensky" and len(lines) > 1
    assert all(re.fullmatch(r"\d+\t(?:\d{4}|X{4})-?[\dX-]*\t.+-(?:-1|\d+)-\S+", line) for line in lines[1:])
    assert written.relative_to(built).as_posix() not in provenance.hashes(built,
                                                                           provenance.output_files(built, "fixture"))
    unknown = make(built, "entity-timeline", "CORPUS=fixture", "ENTITY=Nobody At All")
    assert unknown.returncode != 0 and "no entity of fixture is named 'Nobody At All'" in unknown.stderr
    written.unlink()


def test_make_pdf_prints_the_report_on_a4_pages_the_same_every_time(built):
    _chromium()
    result = make(built, "pdf", "CORPUS=fixture")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    pdf = built / "reports/fixture/report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)  # A4
    pdf.unlink()
    assert make(built, "pdf", "CORPUS=fixture").returncode == 0
    assert pdf.read_bytes() == data
    # made on request, so not one of `make report`'s outputs that the manifest and `make verify` check
    assert "reports/fixture/report.pdf" not in provenance.hashes(built, provenance.output_files(built, "fixture"))


def test_the_dask_executor_writes_the_same_bytes_as_local(built, tmp_path):
    copy = provenance.copy_project(ROOT, tmp_path / "dask")
    shutil.copytree(FIXTURE, copy / "data" / "raw" / "fixture")
    result = make(copy, "report", "CORPUS=fixture", "EXECUTOR=dask", "SCHEDULER=local-cluster:2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    def outputs(project):  # the executed notebooks differ: they record the executor parameters and Dask's log
        return {f: h for f, h in provenance.hashes(project, provenance.output_files(project, "fixture")).items()
                if "/executed/" not in f}

    local = outputs(built)
    assert outputs(copy) == local
    assert len(local) >= 14 and "reports/fixture/report.html" in local


def test_a_rerun_from_the_cache_runs_no_model_and_writes_the_same_bytes(built):
    before = provenance.hashes(built, provenance.output_files(built, "fixture"))
    for folder in ("data/interim", "data/processed", "reports"):
        shutil.rmtree(built / folder)
    result = make(built, "report", "CORPUS=fixture")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert "[dateline] NER: 0 documents run through the model" in log
    assert "[dateline] parser: 0 sentences run through the model" in log
    assert provenance.hashes(built, provenance.output_files(built, "fixture")) == before


def test_a_corpus_whose_every_document_is_rejected_still_gets_its_report(project):
    raw = project / "data" / "raw" / "allbad"
    raw.mkdir(parents=True)
    (raw / "empty.txt").write_text("", encoding="utf-8")
    (raw / "headline_only.txt").write_text("A headline and nothing else\n", encoding="utf-8")
    (raw / "broken.jsonl").write_text('{"title": "no closing brace"\n', encoding="utf-8")
    result = make(project, "report", "CORPUS=allbad")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = pd.read_csv(project / "data/interim/allbad/summary.csv").set_index("what")["count"]
    assert (summary["documents in"], summary["kept"], summary["rejected"]) == (3, 0, 3)
    assert len(pd.read_parquet(project / "data/interim/allbad/documents.parquet")) == 0
    assert "No events." in (project / "reports/allbad/report.html").read_text(encoding="utf-8")
    assert not list((project / "data/interim/allbad").glob(".*.tmp"))  # no staged or temporary file left
