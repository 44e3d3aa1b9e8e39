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
