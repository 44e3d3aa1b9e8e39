import hashlib
import json
import os
import subprocess
import sys
from dataclasses import asdict
from datetime import date

import pytest

from parkwatch.land.manifest import ManifestLine, ManifestWriter, iter_manifest_lines, read_manifests
from parkwatch.land.preflight import check_manifests, manifest_line_problems
from parkwatch.land.state import SiteState, new_run_id
from parkwatch.land.store import RawStore


def test_put_is_content_addressed_and_idempotent(tmp_path):
    store = RawStore(tmp_path)
    sha, rel = store.put("财政收入5.58亿元".encode())
    assert sha == hashlib.sha256("财政收入5.58亿元".encode()).hexdigest()
    assert rel == f"objects/{sha[:2]}/{sha}"
    assert store.put("财政收入5.58亿元".encode()) == (sha, rel)
    assert store.read(rel).decode() == "财政收入5.58亿元"
    assert not list(tmp_path.rglob(".tmp-*"))


def test_read_refuses_paths_outside_the_raw_zone(tmp_path):
    store = RawStore(tmp_path / "raw")
    (tmp_path / "secret").write_text("x")
    with pytest.raises(ValueError, match="outside the raw zone"):
        store.read("../secret")


@pytest.mark.parametrize("bad", ["../x", "a/b", "", ".hidden/.."])
def test_manifest_ids_cannot_escape(tmp_path, bad):
    with pytest.raises(ValueError):
        RawStore(tmp_path).manifest_path(bad, "run")


def test_manifest_lines_survive_a_torn_last_line(tmp_path):
    store = RawStore(tmp_path)
    w = ManifestWriter(store, "site-a", "2024-07-01T000000")
    w.write(ManifestLine(run_id="2024-07-01T000000", site_id="site-a", url="http://x/1", section="news", outcome="landed"))
    w.close()
    with open(store.manifest_path("site-a", "2024-07-01T000000"), "a") as fh:
        fh.write('{"run_id": "2024-07-01T0000')  # crash mid-line
    rows = read_manifests(tmp_path)
    assert [r["url"] for r in rows] == ["http://x/1"]
    assert json.loads(store.manifest_path("site-a", "2024-07-01T000000").read_text().splitlines()[0])["outcome"] == "landed"


def test_run_ids_sort_by_logical_date():
    assert new_run_id("2024-07-01") < new_run_id("2024-07-02")


# ---------------------------------------------------------------------------- incremental state, crash repair

def line(run, url, outcome="landed", sha=None, **kw):
    return ManifestLine(run_id=run, site_id="s", url=url, section="news", outcome=outcome, sha256=sha,
                        object_path=f"objects/{sha[:2]}/{sha}" if sha else None, **kw)


def test_site_state_follows_versions_failures_and_carries_list_dates(tmp_path):
    store = RawStore(tmp_path)
    w = ManifestWriter(store, "s", "2024-06-19T000000")
    w.write(line("2024-06-19T000000", "http://a/1", sha="a" * 64, list_date="2024-06-14", etag='"x"',
                 logical_date="2024-06-19"))
    w.write(line("2024-06-19T000000", "http://a/2", outcome="failed", reason="timeout"))
    w.write(line("2024-06-19T000000", "http://a/jb/index.html", sha="c" * 64, kind="list", list_end=True))
    w.close()
    w = ManifestWriter(store, "s", "2024-06-20T000000")
    w.write(line("2024-06-20T000000", "http://a/1", sha="b" * 64, change="revised", logical_date="2024-06-20",
                 last_modified="Thu, 20 Jun 2024 02:00:00 GMT"))
    w.write(line("2024-06-20T000000", "http://a/2", outcome="failed", reason="timeout"))
    w.write(line("2024-06-20T000000", "http://a/3", outcome="failed", reason="http_404"))
    w.close()
    state = SiteState.from_manifests(tmp_path, "s")
    page = state.latest("http://a/1")
    assert page["sha256"] == "b" * 64 and page["etag"] == '"x"' and page["last_modified"].startswith("Thu")
    assert state.page_date("http://a/1") == date(2024, 6, 14)  # the listing's date, carried forward
    assert state.last_fetch("http://a/1") == date(2024, 6, 20)
    assert state.failures["http://a/2"]["failures"] == 2 and state.failures["http://a/3"]["reason"] == "http_404"
    assert "http://a/jb/index.html" not in state.pages  # list pages are not pages
    assert SiteState.from_manifests(tmp_path, "s", exclude_run="2024-06-20T000000").latest("http://a/1")["sha256"] == "a" * 64
    state.observe(asdict(line("x", "http://a/2", sha="d" * 64)))
    assert "http://a/2" not in state.failures
    assert state.page_date("http://a/2") == date.fromisoformat(state.latest("http://a/2")["fetched_at"][:10])


def test_old_manifest_lines_without_new_fields_still_count(tmp_path):
    path = RawStore(tmp_path).manifest_path("s", "2024-01-01T000000")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"run_id": "2024-01-01T000000", "site_id": "s", "url": "http://a/1", "outcome": "landed",
                                "sha256": "e" * 64, "object_path": "objects/ee/x", "fetched_at": "2024-01-01T08:00:00+00:00"})
                    + "\n[1, 2]\n\"just a string\"\n")
    state = SiteState.from_manifests(tmp_path, "s")
    assert state.latest("http://a/1")["kind"] == "page" and state.last_fetch("http://a/1") == date(2024, 1, 1)
    assert len(read_manifests(tmp_path)) == 1


def test_sweep_removes_temporary_files_of_dead_writers_only(tmp_path):
    store = RawStore(tmp_path)
    folder = tmp_path / "objects" / "ab"
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (folder / f".tmp-{dead.stdout.strip()}-abc").write_bytes(b"half")
    (folder / f".tmp-{os.getpid()}-live").write_bytes(b"being written")
    assert store.sweep_tmp() == 1
    assert [p.name for p in folder.iterdir()] == [f".tmp-{os.getpid()}-live"]


def test_repair_truncates_a_torn_line_but_never_a_live_manifest(tmp_path):
    store = RawStore(tmp_path)
    w = ManifestWriter(store, "s", "2024-07-01T000000")
    w.write(ManifestLine(run_id="2024-07-01T000000", site_id="s", url="http://x/1", section="news", outcome="landed"))
    with open(w.path, "a") as fh:
        fh.write('{"run_id": "2024-07-01T0000')
    assert store.repair_manifests("s") == 0  # the writer still holds it
    w.close()
    assert store.repair_manifests("s") == 1
    lines = w.path.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["url"] == "http://x/1"
    assert w.path.read_text().endswith("\n") and store.repair_manifests("s") == 0


def test_health_json_is_written_atomically(tmp_path):
    store = RawStore(tmp_path)
    path = store.health_path("s", "2024-07-01T000000")
    store.write_json(path, {"seen": 3, "when": date(2024, 7, 1)})
    assert json.loads(path.read_text()) == {"seen": 3, "when": "2024-07-01"}
    assert not list(path.parent.glob(".tmp-*"))
    with pytest.raises(ValueError):
        store.health_path("../s", "r")


# ---------------------------------------------------------------------------- the build's preflight
RUN = "2024-07-01T000000"
SHA = "ab" * 32


def good_row(**kw) -> dict:
    row = asdict(ManifestLine(run_id=RUN, site_id="s", url="http://x/1", section="news", outcome="landed", status=200,
                              sha256=SHA, size=3, object_path=f"objects/ab/{SHA}", logical_date="2024-07-01",
                              park_ids=["p"]))
    return {**row, **kw}


def write_manifest(root, data: bytes, run=RUN):
    path = RawStore(root).manifest_path("s", run)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def jl(*rows) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)


def test_preflight_skips_lines_that_are_not_json_and_names_file_and_line(tmp_path):
    data = (jl(good_row()) + b'{"run_id": "x", \x00\xff garbage {{\n' + jl(good_row(url="http://x/2"))
            + b"\xef\xbb\xbf" + jl(good_row(url="http://x/3"))  # a BOM: DuckDB reads it as NULL
            + b'{"run_id": "r", "site_id": "s", "url": "\\ud800", "outcome": "landed"}\n'  # lone surrogate: NULL too
            + b"\n" + jl(good_row(url="http://x/4"))[:40])
    path = write_manifest(tmp_path, data)
    report = check_manifests(tmp_path)
    assert (report.files, report.lines, report.errors) == (1, 2, [])
    place = f"manifests/s/{RUN}.jsonl"
    assert [s.split(": ")[0] for s in report.skipped] == [f"{place}:{n}" for n in (2, 4, 5, 7)]
    assert "not UTF-8" in report.skipped[0] and "BOM" in report.skipped[1] and "surrogate" in report.skipped[2]
    assert report.skipped[3].startswith(f"{place}:7: torn last line")
    assert path.read_bytes() == data  # never modified
    # the crawl's reader goes through the same line reader: it keeps exactly the valid lines
    assert [r["url"] for r in read_manifests(tmp_path)] == ["http://x/1", "http://x/2"]
    assert [n for n, _, why in iter_manifest_lines(path) if why] == [2, 4, 5, 7]


def test_a_complete_last_line_without_newline_is_a_line(tmp_path):
    write_manifest(tmp_path, jl(good_row()).rstrip(b"\n"))
    report = check_manifests(tmp_path)
    assert (report.lines, report.skipped, report.errors) == (1, [], [])


@pytest.mark.parametrize("change,field,why", [
    ({"fetched_at": "yesterday"}, "fetched_at", "ISO 8601"),
    ({"fetched_at": "2024-13-01T00:00:00+00:00"}, "fetched_at", "ISO 8601"),
    ({"fetched_at": 1722470400}, "fetched_at", "not a string"),
    ({"logical_date": "01/07/2024"}, "logical_date", "ISO date"),
    ({"status": "200"}, "status", "not an integer"),
    ({"status": True}, "status", "not an integer"),
    ({"status": 42}, "status", "HTTP status"),
    ({"size": -1}, "size", "negative"),
    ({"size": 3.5}, "size", "not an integer"),
    ({"park_ids": "p"}, "park_ids", "list of strings"),
    ({"park_ids": [1]}, "park_ids", "list of strings"),
    ({"list_end": "yes"}, "list_end", "not a boolean"),
    ({"outcome": "ok"}, "outcome", "landed, failed"),
    ({"kind": "video"}, "kind", "page, attachment, list"),
    ({"sha256": "ABC"}, "sha256", "sha256"),
    ({"object_path": "../secret.html"}, "object_path", "'..'"),
    ({"object_path": "objects/../../secret.html"}, "object_path", "'..'"),
    ({"object_path": "/etc/passwd"}, "object_path", "absolute"),
    ({"object_path": "manifests/s/x.jsonl"}, "object_path", "objects/"),
    ({"object_path": None}, "object_path", "null"),
    ({"url": ""}, "url", "empty"),
])
def test_schema_problems_name_field_value_and_reason(change, field, why):
    problems = manifest_line_problems(good_row(**change))
    assert [(f, v) for f, v, _ in problems] == [(field, change[field])]
    assert why in problems[0][2]


def test_schema_required_keys_unknown_keys_and_failed_lines():
    row = good_row(extra_from_a_newer_writer={"x": 1})
    del row["fetched_at"], row["site_id"]
    assert [(f, why) for f, _, why in manifest_line_problems(row)] == [("site_id", "missing"), ("fetched_at", "missing")]
    failed = asdict(ManifestLine(run_id=RUN, site_id="s", url="http://x/9", section=None, outcome="failed",
                                 reason="timeout"))
    assert manifest_line_problems(failed) == []  # no bytes: no sha256 / object_path needed
    assert manifest_line_problems(good_row(kind="list", sha256=None, object_path=None)) == []
    assert manifest_line_problems([1, 2])[0][0] == "line"


def test_preflight_reports_schema_errors_with_file_line_field_value(tmp_path, warehouse_home):
    from parkwatch.warehouse.build import BuildError, preflight

    write_manifest(tmp_path / "raw", jl(good_row(), good_row(fetched_at="yesterday")) + b"not json\n")
    report = check_manifests(tmp_path / "raw")
    assert report.errors == [f'manifests/s/{RUN}.jsonl:2: fetched_at = "yesterday": not an ISO 8601 timestamp']
    with pytest.raises(BuildError, match=f'{RUN}.jsonl:2: fetched_at = "yesterday"'):
        preflight()


def test_preflight_summary_lists_skipped_lines(tmp_path, warehouse_home):
    from parkwatch.warehouse.build import BuildError, preflight

    write_manifest(tmp_path / "raw", b"garbage\n" * 25 + jl(good_row()))
    summary = preflight()
    assert summary["manifest_lines"] == 1 and len(summary["skipped_manifest_lines"]) == 21
    assert summary["skipped_manifest_lines"][0].startswith(f"manifests/s/{RUN}.jsonl:1: not JSON")
    assert summary["skipped_manifest_lines"][-1] == "... and 5 more"
    write_manifest(tmp_path / "raw", b"garbage\n")
    with pytest.raises(BuildError, match="no readable manifest line"):
        preflight()


def test_read_refuses_a_symlink_out_of_the_raw_zone(tmp_path):
    store = RawStore(tmp_path / "raw")
    (tmp_path / "secret").write_text("x")
    sha, rel = store.put(b"page")
    (tmp_path / "raw" / rel).unlink()
    (tmp_path / "raw" / rel).symlink_to(tmp_path / "secret")
    with pytest.raises(ValueError, match="outside the raw zone"):
        store.read(rel)
