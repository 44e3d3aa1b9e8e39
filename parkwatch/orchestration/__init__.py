"""Stage 8, orchestration: the Airflow glue (the DAG files themselves stay in ``dags/``).

Takes the pipeline steps (`parkwatch.pipeline`) and gives Assets, the Airflow environment and pools,
the Cosmos task group, the Celery settings, alerts and ``make up`` (Airflow standalone + the portal).
"""
