"""publish(): the marts of a validated build become parks.duckdb, and what a killed publish left is swept."""
import json
import os
import subprocess
import sys

import duckdb
import pytest

from parkwatch import config
from parkwatch.publish.marts import MARTS
from parkwatch.publish.publish import PublishRefused, publish
from parkwatch.quality.validate import build_fingerprint, stamp_path


@pytest.fixture
def validated_build(warehouse_home):
    """A build.duckdb with one row in every mart, and a passing validation stamp for it."""
    db = config.build_db()
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        for mart in MARTS:
            con.execute(f"create table marts.{mart} as select 1 as n")
    stamp_path().parent.mkdir(parents=True, exist_ok=True)
    stamp_path().write_text(json.dumps({"build": build_fingerprint(db), "success": True}), encoding="utf-8")
    return db


def test_publish_copies_every_mart_and_sweeps_what_a_killed_publish_left(warehouse_home, validated_build):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = f".tmp-{dead.stdout.strip()}-abc.duckdb"  # a publish killed mid-write: its file and DuckDB's log
    left = [warehouse_home / stale, warehouse_home / f"{stale}.wal"]
    live = warehouse_home / f".tmp-{os.getpid()}-live.json"  # another writer of this process, still writing
    for path in [*left, live]:
        path.write_bytes(b"half")
    summary = publish()
    assert summary["rows"] == {mart: 1 for mart in MARTS}
    assert not any(path.exists() for path in left) and live.exists()
    assert sorted(p.name for p in warehouse_home.glob(".tmp-*")) == [live.name]
    with duckdb.connect(str(config.publish_db()), read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert tables == {*MARTS, "publish_log"}


def test_publish_refuses_a_build_changed_since_validation(warehouse_home, validated_build):
    with duckdb.connect(str(validated_build)) as con:
        con.execute("create table marts.extra as select 1 as n")
    with pytest.raises(PublishRefused, match="changed since it was validated"):
        publish()
    assert not config.publish_db().exists()
