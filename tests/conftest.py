"""Test-wide setup and shared fixtures.

Airflow never touches ~/airflow, and every test warehouse is temporary. Fixtures: ``free_port``
(call it for a free loopback port), ``warehouse_home`` (a temporary PARKWATCH_HOME),
``portal`` (one demo portal for the session, faults off: for tests that only read from it) and
``published_db`` (make a small published warehouse). Plain helpers live in ``tests/helpers/``.
"""
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from parkwatch.portal import Portal  # imports nothing of Airflow
from tests.helpers.http import free_port as _free_port
from tests.helpers.published import make_published

# before anything imports airflow: its configuration is read at import time
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="parkwatch-airflow-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """Call it for a loopback TCP port that is free right now (session-scoped, so module fixtures can use it)."""
    return _free_port


@pytest.fixture
def warehouse_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's temporary directory, set as PARKWATCH_HOME for the test."""
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def portal() -> Iterator[Portal]:
    """One demo portal (every hand-written site, today unset, faults off) on a free port, shared by the
    session: only for tests that read from it and leave its request log alone."""
    with Portal(port=0, faults=False) as p:
        yield p


@pytest.fixture
def published_db(warehouse_home: Path) -> Callable[..., Path]:
    """Call it to write a small published warehouse (``tests.helpers.published``): ``parks.duckdb`` in
    the warehouse home unless another directory is given. Returns the file."""

    def make(home: Path | None = None) -> Path:
        return make_published((home or warehouse_home) / "parks.duckdb")

    return make
