"""Test-wide setup: Airflow never touches ~/airflow, and every test warehouse is temporary."""
import os
import tempfile

# before anything imports airflow: its configuration is read at import time
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="parkwatch-airflow-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
