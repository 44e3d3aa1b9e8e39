"""config.py owns every PARKWATCH_* variable: the README's table lists exactly config.VARIABLES,
and the product names no other PARKWATCH_* variable."""
import re
from pathlib import Path

import pytest

from parkwatch import config

ROOT = Path(__file__).resolve().parents[2]

# PARKWATCH_* names in the product that are not environment variables: the health line's prefix
# (scrapers/run.py) and Scrapy settings (scrapers/settings.py). AIRFLOW_CONN_PARKWATCH_ALERTS is
# Airflow's variable for the ``parkwatch_alerts`` connection, not ours.
NOT_VARIABLES = {"PARKWATCH_HEALTH", "PARKWATCH_RETRY_BACKOFF_S", "PARKWATCH_RETRY_MAX_WAIT_S"}
NAME = re.compile(r"(?<![A-Z_])PARKWATCH_[A-Z_]*[A-Z]")


def readme_configuration_rows() -> dict[str, tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`PARKWATCH_"):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


def test_readme_configuration_table_is_config_variables():
    assert readme_configuration_rows() == config.VARIABLES


def test_product_names_no_variable_outside_config():
    sources = [p for d in ("parkwatch", "scrapers", "dags") for p in (ROOT / d).rglob("*.py")
               if p.name != "config.py"]  # its docstring names the tests' own variables
    sources += [ROOT / "docker-compose.yml", *(ROOT / "dbt").glob("*.yml"), *(ROOT / "dbt" / "models").rglob("*.yml")]
    named = {m for p in sources for m in NAME.findall(p.read_text(encoding="utf-8"))}
    assert named - NOT_VARIABLES <= set(config.VARIABLES)


def test_settings_read_at_call_time(monkeypatch, tmp_path):
    monkeypatch.setenv("PARKWATCH_HOME", str(tmp_path))
    monkeypatch.setenv("PARKWATCH_PORTAL_PORT", "8123")
    monkeypatch.setenv("PARKWATCH_CRAWL_PARALLEL", "3")
    monkeypatch.setenv("PARKWATCH_AIRFLOW_PORT", "")  # empty means the default
    assert config.home() == tmp_path.resolve()
    assert config.dbt_paths_env() == {"PARKWATCH_BUILD_DB": str(tmp_path.resolve() / "build.duckdb"),
                                      "PARKWATCH_RAW_DIR": str(tmp_path.resolve() / "raw")}
    assert (config.portal_port(), config.crawl_parallel(), config.airflow_port()) == (8123, 3, 8080)


def test_unlisted_variable_is_refused():
    with pytest.raises(KeyError):
        config._env("PARKWATCH_NOT_A_SETTING")


def test_only_config_reads_the_environment_for_settings():
    read = re.compile(r"""(?:environ\.get|getenv)\(\s*["']PARKWATCH_|environ\[["']PARKWATCH_[A-Z_]+["']\](?!\s*=)""")
    readers = [str(p.relative_to(ROOT)) for d in ("parkwatch", "scrapers", "dags") for p in (ROOT / d).rglob("*.py")
               if p.name != "config.py" and read.search(p.read_text(encoding="utf-8"))]
    assert readers == []
