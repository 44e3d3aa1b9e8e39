"""Stage 8, orchestration: the Airflow glue (the DAG files themselves stay in ``dags/``).

Takes the pipeline steps (`parkwatch.pipeline`) and gives the Assets (``assets``), the Airflow
environment, pools and queues (``airflow_env``), the Cosmos task group (``cosmos``), the Celery
settings of the warehouse worker (``celery``), failure alerts (``alerts``) and ``make up``
(``up/``: Airflow standalone plus the demo portal).

Nothing is re-exported here: ``assets`` and ``celery`` import Airflow, so each caller imports the
module it needs and the others stay free of Airflow at import.
"""
