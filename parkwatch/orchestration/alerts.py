"""Failure alerts for the Airflow tasks: one clear log line, and a JSON POST to a webhook.

Every DAG sets :func:`on_failure` as the tasks' ``on_failure_callback`` (it runs when a task
has failed for good, after its retries). The webhook is optional: when an Airflow connection
``parkwatch_alerts`` exists, the alert is POSTed as JSON to the URL it names, e.g.

    AIRFLOW_CONN_PARKWATCH_ALERTS='{"conn_type": "http", "host": "hooks.example.org",
                                    "schema": "https", "extra": {"endpoint": "/parkwatch"}}'

(``host`` may also be a whole URL; without a scheme it is https; ``extra.headers`` adds request
headers). The URL and headers are secrets: they live in the connection (environment or Airflow's
metadata DB), never in the repository, and are never logged. Values Airflow knows to be secret are
masked in the posted payload as they are in its logs. A failing webhook is logged and never masks
the task's own failure. No Airflow import at module top.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("parkwatch.orchestration.alerts")

ALERT_CONN_ID = "parkwatch_alerts"
TIMEOUT_S = 10


def alert_payload(context: dict[str, Any]) -> dict[str, Any]:
    """What went wrong, from an Airflow task context, as plain JSON-able values."""
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    exc = context.get("exception")
    logical_date = context.get("logical_date") or getattr(dag_run, "logical_date", None)
    task = context.get("task")
    isoformat = getattr(logical_date, "isoformat", None)
    return {
        "source": "parkwatch",
        "kind": "task_failed",
        "dag_id": getattr(ti, "dag_id", None) or getattr(dag_run, "dag_id", None),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", -1),
        "run_id": getattr(ti, "run_id", None) or context.get("run_id"),
        "logical_date": isoformat() if isoformat else logical_date,
        "try_number": getattr(ti, "try_number", None),
        "max_tries": (getattr(task, "retries", 0) or 0) + 1 if task is not None else None,
        "exception": f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else (str(exc) if exc else None),
        "log_url": getattr(ti, "log_url", None),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def format_alert(payload: dict[str, Any]) -> str:
    """One line a person (or a log search) finds: ``PARKWATCH ALERT task … failed …``."""
    task = payload.get("task_id") or "?"
    if payload.get("map_index") not in (None, -1):
        task = f"{task}[{payload['map_index']}]"
    tries = f" after try {payload['try_number']}/{payload['max_tries']}" if payload.get("try_number") else ""
    where = f"; log {payload['log_url']}" if payload.get("log_url") else ""
    return (
        f"PARKWATCH ALERT task {payload.get('dag_id')}.{task} failed{tries} "
        f"(logical date {payload.get('logical_date')}, run {payload.get('run_id')}): "
        f"{payload.get('exception') or 'no exception recorded'}{where}"
    )


def webhook_target(conn_id: str = ALERT_CONN_ID) -> tuple[str, dict[str, str]] | None:
    """(URL, headers) from the Airflow connection, or None when there is no such connection."""
    try:
        from airflow.sdk import Connection

        conn = Connection.get(conn_id)
    except Exception as exc:  # not configured (AirflowNotFoundException) or unreachable
        log.debug("no webhook connection %s: %s", conn_id, exc)
        return None
    extra = conn.extra_dejson or {}
    host = (conn.host or "").strip()
    if not host:
        log.warning("connection %s has no host: alert not posted", conn_id)
        return None
    if "://" in host:
        url = host
    else:
        scheme = conn.schema or "https"  # a token in a header is not sent in clear text by default
        url = f"{scheme}://{host}{f':{conn.port}' if conn.port else ''}"
    endpoint = extra.get("endpoint") or ""
    if endpoint:
        url = url.rstrip("/") + "/" + endpoint.lstrip("/")
    headers = {str(k): str(v) for k, v in (extra.get("headers") or {}).items()}
    return url, headers


def post_json(
    url: str, payload: dict[str, Any], headers: dict[str, str] | None = None, timeout: float = TIMEOUT_S
) -> int:
    """POST JSON; returns the HTTP status (raises on a network error or an error status)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # the URL comes from an admin-set connection
        return resp.status


def redact(payload: dict[str, Any]) -> dict[str, Any]:
    """Secrets Airflow has seen in this process (connection passwords, sensitive variables) masked,
    as its task logs mask them: an exception message must not carry them to a third-party webhook."""
    airflow_log = sys.modules.get("airflow.sdk.log")  # loaded in every task process; importing it
    if airflow_log is None:  # here would reconfigure logging, and outside a
        return payload  # task nothing is registered to mask anyway
    try:
        return airflow_log.redact(payload)
    except Exception:  # never let masking stop the alert
        return payload


def send_alert(payload: dict[str, Any], conn_id: str = ALERT_CONN_ID) -> bool:
    """Log the alert line and post it to the webhook when one is configured; True when posted."""
    payload = redact(payload)
    line = format_alert(payload)
    log.error(line)
    target = webhook_target(conn_id)
    if target is None:
        return False
    url, headers = target
    try:
        status = post_json(url, {**payload, "text": line}, headers)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.error("PARKWATCH ALERT could not be posted to the %s webhook: %s", conn_id, exc)
        return False
    log.info("alert posted to the %s webhook (HTTP %s)", conn_id, status)
    return True


def on_failure(context: dict[str, Any]) -> None:
    """``on_failure_callback`` for every parkwatch task. Never raises."""
    try:
        send_alert(alert_payload(context))
    except Exception:  # an alerting bug must not hide the task's failure
        log.exception("PARKWATCH ALERT: the failure callback itself failed")
