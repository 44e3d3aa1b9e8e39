"""``python -m parkwatch.orchestration dbt-parse [--force]``."""
from parkwatch.orchestration.airflow_env import main

if __name__ == "__main__":
    raise SystemExit(main())
