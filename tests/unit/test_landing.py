import hashlib
import json

import pytest

from parkwatch.landing import ManifestLine, ManifestWriter, RawStore, new_run_id, read_manifests


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
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import asdict  # noqa: E402
from datetime import date  # noqa: E402

from parkwatch.landing import SiteState  # noqa: E402


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
