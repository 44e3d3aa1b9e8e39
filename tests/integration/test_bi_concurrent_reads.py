"""BI reads while the pipeline writes: the Superset path (SQLAlchemy + duckdb-engine) keeps querying
parks.duckdb while a dbt transform and several publishes run.

A reader process (like a Superset worker: threads, one SQLAlchemy engine, NullPool as Superset uses
for analytics databases) runs one probe query over and over. The probe joins and counts several
marts and reads publish_log's published_at in the same statement. After each publish the writer runs
the same probe on the file it just published, so every snapshot has a known answer. Each reader
observation must equal the answer of the snapshot its published_at names: a query that saw
indicators from one publish and documents or publish_log from another would not (the two builds
published here differ in those counts, checked below). A "session" reader also runs the probe
twice on one connection with a publish window in between: both must agree. Any exception (such as
DuckDB's "Could not set lock on file") fails the test.

test_an_in_place_writer_is_caught shows the check has teeth: writing the marts in place, instead of
the atomic replace, makes readers fail.

The reader process is ``tests/helpers/bi_reader.py``.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from parkwatch import config
from parkwatch.publish.marts import open_published
from parkwatch.pipeline import build_step, crawl, publish_step, validate_step
from parkwatch.portal import Portal
from tests.helpers import bi_reader
from tests.helpers.bi_reader import PROBE

DAY1, DAY2 = "2024-06-18", "2024-06-25"


def probe_file(db: Path) -> list:
    with open_published(db) as con:
        return list(con.execute(PROBE).fetchone())


class Readers:
    """The reader subprocess and what it saw."""

    def __init__(self, db: Path, workdir: Path, threads: int = 2, session_pause: float = 0.3):
        self.out, self.stop_file = workdir / "observations.jsonl", workdir / "stop"
        self.out.unlink(missing_ok=True)
        self.stop_file.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, bi_reader.__file__, str(db), str(self.out), str(self.stop_file), str(threads),
             str(session_pause)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def observations(self) -> list[dict]:
        if not self.out.exists():
            return []
        return [json.loads(line) for line in self.out.read_text(encoding="utf-8").splitlines() if line.strip()]

    def wait_for(self, predicate, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the reader process died (exit {self.proc.returncode}):\n{self.proc.stdout.read()[-3000:]}")
            if predicate(self.observations()):
                return
            time.sleep(0.2)
        pytest.fail(f"readers did not {what} within {timeout} s; last observations: {self.observations()[-5:]}")

    def stop(self) -> list[dict]:
        self.stop_file.touch()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            pytest.fail("the reader process did not stop")
        return self.observations()


def check(observations: list[dict], expected: dict[str, list]) -> list[str]:
    """Every way the observations break 'old or new, never a mix, never an error'."""
    problems = []
    for o in observations:
        if "error" in o:
            problems.append(f"{o['mode']}: {o['error']}")
            continue
        for seen in [o["obs"]] + ([o["again"]] if "again" in o else []):
            want = expected.get(seen[0])
            if want is None:
                problems.append(f"{o['mode']}: saw a publish nobody made: {seen}")
            elif seen != want:
                problems.append(f"{o['mode']}: mixed snapshot: saw {seen}, publish {seen[0]} holds {want}")
        if "again" in o and o["again"] != o["obs"]:
            problems.append(f"session: one connection saw two snapshots: {o['obs']} then {o['again']}")
    return problems


def test_check_flags_a_mix_and_an_error():
    expected = {"A": ["A", 10, 9, 5, 4, 3, 2, 20], "B": ["B", 12, 11, 6, 5, 3, 2, 25]}
    assert check([{"mode": "superset", "obs": expected["A"]}], expected) == []
    mixed = ["B", 10, 9, 5, 4, 3, 2, 20]  # publish_log of B, marts of A
    assert "mixed snapshot" in check([{"mode": "superset", "obs": mixed}], expected)[0]
    assert "two snapshots" in check([{"mode": "session", "obs": expected["A"], "again": expected["B"]}], expected)[-1]
    assert "lock" in check([{"mode": "superset", "error": "IOException: Could not set lock on file"}], expected)[0]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Day 1 crawled, built, validated, published; day 2 crawled (landed, not built yet)."""
    home = tmp_path_factory.mktemp("bi")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    with Portal(port=0, today=DAY1) as portal:
        port = portal.port
        mp.setenv("PARKWATCH_PORTAL_PORT", str(port))
        assert all(not s["error"] for s in crawl(DAY1))
    build_step()
    assert validate_step()["success"]
    publish_step()
    shutil.copy2(home / "build.duckdb", home / "build_day1.duckdb")
    with Portal(port=port, today=DAY2):
        assert all(not s["error"] for s in crawl(DAY2))
    yield home
    mp.undo()


def publish_build(home: Path, build_copy: Path | None = None) -> tuple[str, list]:
    """(Optionally put a saved build in place,) validate, publish; the new snapshot's probe answer."""
    if build_copy is not None:
        shutil.copy2(build_copy, home / "build.duckdb")
    assert validate_step()["success"]
    publish_step()
    answer = probe_file(home / "parks.duckdb")
    return answer[0], answer


@pytest.mark.timeout(1800)  # two crawls, two builds and four validations on a shared 2-core machine
def test_superset_reads_during_transform_and_publishes(warehouse, monkeypatch):
    home = warehouse
    monkeypatch.setenv("PARKWATCH_HOME", str(home))
    db = config.publish_db()
    first = probe_file(db)
    expected = {first[0]: first}
    readers = Readers(db, home)
    try:
        readers.wait_for(lambda obs: sum("obs" in o for o in obs) >= 10, 120, "answer")
        started = time.time()
        build_step()  # the dbt transform of day 2, while the readers query
        timings = {"transform": time.time() - started}
        shutil.copy2(home / "build.duckdb", home / "build_day2.duckdb")
        publishes = []
        for build_copy in (None, home / "build_day1.duckdb", home / "build_day2.duckdb"):
            t = time.time()
            published_at, answer = publish_build(home, build_copy)
            timings[f"validate+publish {len(publishes) + 1}"] = time.time() - t
            expected[published_at] = answer
            publishes.append(published_at)
            time.sleep(1.0)  # let the readers query this snapshot before the next one replaces it
        final = publishes[-1]
        readers.wait_for(lambda obs: any(o.get("obs", [None])[0] == final for o in obs if o["mode"] == "superset"),
                         120, "see the last publish")
        ended = time.time()
    finally:
        observations = readers.stop()

    day1, day2 = expected[publishes[1]], expected[publishes[0]]
    assert day1[1:] != day2[1:], "the two builds must differ in the probe's counts, or a mix could not be seen"
    problems = check(observations, expected)
    assert not problems, f"{len(problems)} bad reads of {len(observations)}, e.g.:\n" + "\n".join(problems[:20])
    answered = [o for o in observations if "obs" in o]
    seen = {o["obs"][0] for o in answered if o["mode"] == "superset"}
    assert len(seen) >= 2 and final in seen, f"the Superset-style readers saw only {seen}"
    assert {o["mode"] for o in answered} == {"superset", "session", "attach"}
    during = [o for o in answered if started <= o["t"] <= ended]
    print(f"\nconcurrent reads: {len(answered)} queries ({len(during)} while writing for {ended - started:.0f} s), "
          f"1 transform + {len(publishes)} publishes, {len(seen)} snapshots seen by the Superset path, no error, no mix; "
          + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))


def test_an_in_place_writer_is_caught(warehouse, tmp_path):
    """Writing into parks.duckdb in place (what the atomic replace avoids) while readers hold it open
    fails: DuckDB refuses the writer's lock, or a reader's. The same check reports it."""
    db = tmp_path / "parks.duckdb"
    shutil.copy2(warehouse / "parks.duckdb", db)
    expected = {probe_file(db)[0]: probe_file(db)}
    readers = Readers(db, tmp_path, threads=2, session_pause=0.3)
    writer_errors = 0
    try:
        readers.wait_for(lambda obs: len(obs) >= 5, 120, "answer")
        for _ in range(40):
            try:
                with duckdb.connect(str(db)) as con:
                    con.execute("begin")
                    con.execute("delete from marts.indicators where fact_id in "
                                "(select fact_id from marts.indicators limit 1)")
                    con.execute("update marts.publish_log set published_at = now()")
                    con.execute("commit")
            except duckdb.Error:
                writer_errors += 1
            time.sleep(0.05)
    finally:
        observations = readers.stop()
    reader_problems = check(observations, expected)
    assert writer_errors or reader_problems, "an in-place writer went unnoticed"
