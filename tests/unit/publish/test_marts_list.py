"""MARTS, the one list of published marts, is the dbt marts folder; the report reads a subset of it."""
from parkwatch import config
from parkwatch.publish.marts import MARTS
from parkwatch.serve.report import data

# Models under dbt/models/marts/ that a publish leaves out on purpose. None today: every mart is
# part of the BI contract (dbt/models/exposures.yml), so publish copies each one.
NOT_PUBLISHED: set[str] = set()


def mart_models() -> set[str]:
    root = config.dbt_dir() / "models" / "marts"
    return {p.stem for pattern in ("**/*.sql", "**/*.py") for p in root.glob(pattern)}


def test_marts_are_the_dbt_marts_folder():
    assert len(MARTS) == len(set(MARTS)), "a mart listed twice"
    assert NOT_PUBLISHED <= mart_models()
    assert set(MARTS) == mart_models() - NOT_PUBLISHED


def test_report_marts_come_from_marts():
    left_out = data._NOT_SHOWN | data._OPTIONAL
    assert left_out <= set(MARTS), "the report leaves out a mart that is not published"
    assert data.REQUIRED_MARTS == [m for m in MARTS if m not in left_out]
