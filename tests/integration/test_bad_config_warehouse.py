"""Bad data and configuration on the warehouse side: what a user sees, and that nothing is lost.

* a missing warehouse directory (PARKWATCH_HOME pointing nowhere): ``parkwatch build / validate /
  publish / status`` give a message naming the path and the command to run, no traceback;
* a corrupted or torn manifest line, a field of the wrong type, a missing object file, an object
  path pointing outside the raw zone: ``parkwatch build`` names the file, and the landed raw zone and
  the published ``parks.duckdb`` stay byte for byte;
* a dbt seed with a bad row (a copy of the dbt project, so the repository's seeds stay untouched).

Holes this suite found and that were fixed: a traceback and a new empty warehouse from validate and
publish on a missing home, status exiting 0 there, torn/corrupted manifest lines blocking every
build, type errors not naming the file, object paths escaping the raw zone, and a non-numeric
unit factor building silently.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from parkwatch import config
from parkwatch.warehouse.build import BuildError
from parkwatch.land import ManifestLine, ManifestWriter, RawStore
from tests.helpers.cli import run_parkwatch
from tests.helpers.pages import html_page

ROOT = Path(__file__).resolve().parents[2]
SITE = "qingchuan-hitech"
RUN1, RUN2 = "2024-08-01T000000000000", "2024-08-02T000000000000"
PAGE1 = html_page("青川高新区经济运行情况", "<p>上半年,园区规上工业增加值同比增长6.5%,税收收入3.27亿元。</p>")
PAGE2 = html_page("青川高新区招商情况", "<p>上半年,园区新签约项目12个,总投资45.6亿元。</p>")
SECRET = html_page("外部机密文件", "<p>上半年,园区机密收入77.7亿元。</p>")


def land(home: Path, run: str, pages: list[tuple[str, bytes]]) -> Path:
    store = RawStore(home / "raw")
    writer = ManifestWriter(store, SITE, run)
    for url, body in pages:
        sha, rel = store.put(body)
        writer.write(ManifestLine(run_id=run, site_id=SITE, url=url, section="news", outcome="landed", status=200,
                                  sha256=sha, size=len(body), object_path=rel, logical_date=run[:10],
                                  content_type="text/html; charset=utf-8", park_ids=[SITE]))
    writer.close()
    return writer.path


def digest(home: Path) -> dict[str, str]:
    """sha256 of the published file and of every landed file (objects and manifests)."""
    files = [home / "parks.duckdb", *sorted((home / "raw").rglob("*"))]
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A published warehouse with one landed page (built, validated, published)."""
    from parkwatch.pipeline import build_step, publish_step, validate_step

    home = tmp_path_factory.mktemp("badcfg")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    try:
        land(home, RUN1, [("http://127.0.1.1:8700/xwdt/202408/t20240801_1.html", PAGE1)])
        build_step()
        assert validate_step()["success"]
        publish_step()
    finally:
        mp.undo()
    return home


@pytest.fixture
def warehouse(baseline, tmp_path, monkeypatch):
    """A copy of the baseline to break."""
    home = tmp_path / "wh"
    shutil.copytree(baseline, home, ignore=shutil.ignore_patterns(".warehouse.lock"))
    monkeypatch.setenv("PARKWATCH_HOME", str(home))
    return home


def build_after(home: Path, breakage) -> tuple[str | None, dict, dict]:
    """Land a second run, break it, build; returns (BuildError text or None, digest before, after)."""
    from parkwatch.pipeline import build_step

    manifest = land(home, RUN2, [("http://127.0.1.1:8700/xwdt/202408/t20240802_2.html", PAGE2)])
    breakage(home, manifest)
    before = digest(home)
    try:
        build_step()
        error = None
    except BuildError as exc:
        error = str(exc)
    return error, before, digest(home)


def published_titles(home: Path) -> set[str]:
    with duckdb.connect(str(home / "parks.duckdb"), read_only=True) as con:
        return {r[0] for r in con.execute("select title from marts.documents").fetchall()}


def built_titles(home: Path) -> set[str]:
    with duckdb.connect(str(home / "build.duckdb"), read_only=True) as con:
        return {r[0] for r in con.execute("select title from intermediate.int_documents").fetchall()}


# ---------------------------------------------------------------- missing warehouse directory


def cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    return run_parkwatch(*args, home=home, timeout=600, cwd=ROOT)


@pytest.fixture(scope="module")
def missing_home_runs(tmp_path_factory):
    """Each command once against a PARKWATCH_HOME that does not exist (each with its own path)."""
    base = tmp_path_factory.mktemp("nohome")
    out = {}
    for cmd in ("build", "validate", "publish", "status"):
        home = base / f"not-there-{cmd}" / "warehouse"
        out[cmd] = (home, cli(*cmd.split(), home=home))
    return out


@pytest.mark.parametrize("cmd,hint", [
    ("build", "parkwatch crawl"), ("validate", "parkwatch build"), ("publish", "parkwatch build"),
    ("status", "parkwatch run"),
])
def test_missing_home_names_the_path_and_what_to_run(missing_home_runs, cmd, hint):
    home, out = missing_home_runs[cmd]
    text = out.stdout + out.stderr
    assert str(home) in text, text[-2000:]
    assert hint in text, text[-2000:]
    if cmd != "status":
        assert out.returncode == 1, out


@pytest.mark.parametrize("cmd", ["build", "validate", "publish", "status"])
def test_missing_home_gives_no_traceback(missing_home_runs, cmd):
    _, out = missing_home_runs[cmd]
    assert "Traceback" not in out.stderr, out.stderr[-2000:]


def test_missing_home_status_exits_non_zero(missing_home_runs):
    _, out = missing_home_runs["status"]
    assert out.returncode == 1, out


@pytest.mark.parametrize("cmd", ["validate", "publish", "status"])
def test_missing_home_is_not_created_by_read_only_steps(missing_home_runs, cmd):
    home, _ = missing_home_runs[cmd]
    assert not home.exists(), f"`parkwatch {cmd}` created the missing warehouse directory {home}"


# ---------------------------------------------------------------- bad manifests and objects


def test_corrupted_manifest_line(warehouse):
    def corrupt(home, manifest):
        lines = manifest.read_text(encoding="utf-8").splitlines()
        manifest.write_text(lines[0][:50] + "\x00\xff garbage {{\n" + "\n".join(lines) + "\n", encoding="utf-8")

    published = published_titles(warehouse)
    error, before, after = build_after(warehouse, corrupt)
    assert after == before, "the build changed landed files or the published marts"
    assert published_titles(warehouse) == published
    # the line is skipped with a warning naming file:line; the rest of the run builds
    assert error is None, error[-1500:]
    assert "青川高新区招商情况" in built_titles(warehouse)
    name = f"manifests/{SITE}/{RUN2}.jsonl"
    summary = json.loads((warehouse / "runs" / "build.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert any(line.startswith(f"{name}:1: not JSON") for line in summary["skipped_manifest_lines"])


def test_torn_last_manifest_line(warehouse):
    """A crawl killed mid-line leaves a torn last line; the next build must not be blocked by it."""
    def tear(home, manifest):
        data = manifest.read_bytes()
        extra = json.dumps({"run_id": RUN2, "site_id": SITE, "url": "http://127.0.1.1:8700/x.html"})
        manifest.write_bytes(data + extra[:40].encode())

    error, before, after = build_after(warehouse, tear)
    assert after == before
    assert error is None, error[-1500:]
    assert "青川高新区招商情况" in built_titles(warehouse)
    name = f"manifests/{SITE}/{RUN2}.jsonl:2: torn last line"
    summary = json.loads((warehouse / "runs" / "build.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert any(line.startswith(name) for line in summary["skipped_manifest_lines"])


def test_manifest_field_of_the_wrong_type(warehouse):
    def retype(home, manifest):
        row = json.loads(manifest.read_text(encoding="utf-8"))
        row["fetched_at"] = "yesterday"
        manifest.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")

    error, before, after = build_after(warehouse, retype)
    assert after == before and error, "a bad timestamp must stop the build, not land as null"
    assert "fetched_at" in error and "yesterday" in error, error[-1500:]
    assert f"manifests/{SITE}/{RUN2}.jsonl:1: fetched_at" in error, error[-1500:]


def test_missing_object_file(warehouse):
    missing = {}

    def delete(home, manifest):
        row = json.loads(manifest.read_text(encoding="utf-8"))
        missing["path"] = home / "raw" / row["object_path"]
        missing["path"].unlink()

    published = published_titles(warehouse)
    error, before, after = build_after(warehouse, delete)
    assert after == before and published_titles(warehouse) == published
    assert error, "a landed page whose bytes are gone must be reported"
    assert str(missing["path"]) in error and "No such file" in error, error[-1500:]


def test_object_path_outside_the_raw_zone_is_not_read(warehouse):
    def escape(home, manifest):
        (home / "secret.html").write_bytes(SECRET)
        row = json.loads(manifest.read_text(encoding="utf-8"))
        row["object_path"] = "../secret.html"
        manifest.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")

    error, before, after = build_after(warehouse, escape)
    assert after == before
    assert "外部机密文件" not in built_titles(warehouse)
    assert error and f"{RUN2}.jsonl:1: object_path" in error and "../secret.html" in error, (error or "")[-1500:]



# ---------------------------------------------------------------- a dbt seed with a bad row


@pytest.fixture
def seed_project(warehouse, tmp_path, monkeypatch):
    """A copy of the dbt project (seeds to break) that `parkwatch build` runs instead of the repository's."""
    project = tmp_path / "dbt_project"
    shutil.copytree(config.dbt_dir(), project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    monkeypatch.setattr(config, "dbt_dir", lambda: project)
    return warehouse, project / "seeds"


def _append(path: Path, *rows: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


def _build(home: Path, full_refresh: bool = False) -> str | None:
    from parkwatch.pipeline import build_step

    try:
        build_step(full_refresh)
    except BuildError as exc:
        return str(exc)
    return None


def test_seed_row_with_too_many_fields(seed_project):
    home, seeds = seed_project
    before = digest(home)
    _append(seeds / "seed_parks.csv", "broken-park,坏园区,x,y,national,江西省,青川市,extra,fields")
    error = _build(home)
    assert error and "seed_parks" in error and "has 9 values" in error, (error or "")[-1500:]
    assert digest(home) == before


def test_seed_rows_breaking_keys_and_accepted_values(seed_project):
    home, seeds = seed_project
    before = digest(home)
    first = (seeds / "seed_parks.csv").read_text(encoding="utf-8").splitlines()[1]
    _append(seeds / "seed_parks.csv", first, first.replace(first.split(",")[0], "new-park").replace(
        ",national,", ",federal,").replace(",provincial,", ",federal,"))
    error = _build(home)
    assert error, "a duplicate park_id and an unknown level must stop the build"
    assert "unique_seed_parks_park_id" in error and "accepted_values_seed_parks_level" in error, error[-2000:]
    assert digest(home) == before


def test_seed_unit_factor_that_is_not_a_number(seed_project):
    home, seeds = seed_project
    before = digest(home)
    _append(seeds / "seed_units.csv", "万斤,kg,five thousand,mass")
    # an incremental build fails (the seed table exists with a numeric factor); a full refresh re-creates it
    error = _build(home, full_refresh=True)
    assert digest(home) == before
    assert error and "seed_units" in error, "a non-numeric unit factor must fail the seed load naming seed_units"


def test_seed_unit_factor_that_is_not_positive(seed_project):
    home, seeds = seed_project
    before = digest(home)
    _append(seeds / "seed_units.csv", "负万元,CNY,-10000,money")
    error = _build(home)
    assert error and "seed_units_factor_positive" in error, (error or "")[-1500:]
    assert digest(home) == before
