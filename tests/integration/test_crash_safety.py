"""Crashes and concurrency on the warehouse side: kill -9 during a dbt build and during a
publish leaves the published file intact and the next run completes; two transforms started
together queue on the warehouse lock instead of failing on DuckDB's file lock."""
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from parkwatch.pipeline import crawl, transform
from parkwatch.portal import Portal
from tests.helpers.cli import PARKWATCH


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
                for t in ("indicators", "projects", "policies", "documents")}


def start(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PARKWATCH_HOME": str(home)}
    return subprocess.Popen([PARKWATCH, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the whole group: parkwatch and its dbt child, like a lost machine
    proc.wait()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("crash")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    with Portal(port=0) as portal:
        mp.setenv("PARKWATCH_PORTAL_PORT", str(portal.port))
        crawl()
    assert transform()["validation"]["success"]
    mp.undo()
    return home


def test_kill_during_build_keeps_published_file_and_next_run_completes(home):
    published = home / "parks.duckdb"
    before, before_counts = sha(published), counts(published)
    proc = start(home, "build", "--full-refresh")
    time.sleep(8)  # dbt has parsed the project and is building models
    assert proc.poll() is None, "the build finished before it could be killed: raise the delay"
    kill_group(proc)
    assert sha(published) == before
    assert counts(published) == before_counts
    for step in (("build",), ("validate",), ("publish",)):
        done = start(home, *step)
        out, err = done.communicate(timeout=600)
        assert done.returncode == 0, f"{step}: {err[-3000:]}"
    assert counts(published) == before_counts


@pytest.mark.parametrize("delay", [0.5, 1.0, 1.5, 2.0])
def test_kill_during_publish_leaves_a_readable_file(home, delay):
    published = home / "parks.duckdb"
    expected = counts(published)
    proc = start(home, "publish")
    time.sleep(delay)
    if proc.poll() is None:
        kill_group(proc)
    assert counts(published) == expected  # the old file or the new one, never a torn one
    done = start(home, "publish")
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err[-3000:]
    assert not [p for p in home.glob(".tmp-*") if p.suffix in (".duckdb", ".wal")]  # what the killed publish left is swept
    assert counts(published) == expected


def test_two_transforms_started_together_queue_instead_of_failing(home):
    runs = [start(home, "build") for _ in range(2)]
    results = [p.communicate(timeout=900) for p in runs]
    for proc, (out, err) in zip(runs, results):
        assert proc.returncode == 0, err[-3000:]
        assert "Could not set lock" not in err
    assert sum("is busy" in err for _, err in results) == 1  # exactly one of them waited for the other
