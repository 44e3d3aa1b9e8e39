"""Every DAG imports without errors, has tags and retries, and does no work at import."""
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"


@pytest.fixture(scope="module")
def dagbag():
    # AIRFLOW_HOME points into a temporary directory (tests/conftest.py)
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_expected_dags_present(dagbag):
    assert {"parkwatch_crawl", "parkwatch_transform"} <= set(dagbag.dag_ids)


def test_every_dag_has_tags_docs_and_retries(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.doc_md, f"{dag_id} has no doc_md"
        for t in dag.tasks:
            assert t.retries >= 1, f"{dag_id}.{t.task_id} has no retries"


def test_transform_is_single_writer(dagbag):
    dag = dagbag.dags["parkwatch_transform"]
    assert dag.max_active_runs == 1
    assert {t.pool for t in dag.tasks} == {"warehouse"}
