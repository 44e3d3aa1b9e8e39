"""Failure alerts: a clear log line, and a JSON POST to the webhook the ``parkwatch_alerts``
connection names, checked against a tiny HTTP server on 127.0.0.1 (never anything else).
The last test lets a real Airflow task fail (``airflow dags test``) and waits for the POST.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from parkwatch.orchestration import alerts

ROOT = Path(__file__).resolve().parents[2]


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def connection_env(port: int, **extra) -> str:
    return json.dumps({"conn_type": "http", "host": "127.0.0.1", "port": port, "schema": "http",
                       "extra": {"endpoint": "/alerts/parkwatch", **extra}})


def fake_context(exc: BaseException | None = None) -> dict:
    ti = SimpleNamespace(dag_id="parkwatch_crawl", task_id="crawl_site", map_index=2, run_id="scheduled__x",
                         try_number=4, log_url="http://localhost:8080/log")
    return {"ti": ti, "task": SimpleNamespace(retries=3), "exception": exc or RuntimeError("crawl of jinhe-etdz failed"),
            "logical_date": datetime(2026, 3, 1, 22, 0, tzinfo=timezone.utc)}


def test_alert_line_names_task_try_date_and_error():
    line = alerts.format_alert(alerts.alert_payload(fake_context()))
    assert line.startswith("PARKWATCH ALERT task parkwatch_crawl.crawl_site[2] failed after try 4/4")
    assert "2026-03-01T22:00:00+00:00" in line and "RuntimeError: crawl of jinhe-etdz failed" in line
    assert "http://localhost:8080/log" in line


def test_without_a_connection_the_alert_is_only_logged(monkeypatch, caplog):
    monkeypatch.delenv("AIRFLOW_CONN_PARKWATCH_ALERTS", raising=False)
    with caplog.at_level(logging.INFO, logger="parkwatch.orchestration.alerts"):
        alerts.on_failure(fake_context())
    assert any(r.levelno == logging.ERROR and r.getMessage().startswith("PARKWATCH ALERT task") for r in caplog.records)
    assert not any("posted" in r.getMessage() for r in caplog.records)


def test_alert_is_posted_as_json_to_the_connection_webhook(webhook, monkeypatch, caplog):
    monkeypatch.setenv("AIRFLOW_CONN_PARKWATCH_ALERTS",
                       connection_env(webhook.server_address[1], headers={"X-Parkwatch-Token": "t0ken-value"}))
    with caplog.at_level(logging.INFO, logger="parkwatch.orchestration.alerts"):
        alerts.on_failure(fake_context())
    [hit] = webhook.received
    assert hit["path"] == "/alerts/parkwatch"
    assert hit["headers"]["Content-Type"].startswith("application/json")
    assert hit["headers"]["X-Parkwatch-Token"] == "t0ken-value"
    body = hit["json"]
    assert body["dag_id"] == "parkwatch_crawl" and body["task_id"] == "crawl_site" and body["map_index"] == 2
    assert body["exception"] == "RuntimeError: crawl of jinhe-etdz failed"
    assert body["text"].startswith("PARKWATCH ALERT task parkwatch_crawl.crawl_site[2]")
    assert any("alert posted" in r.getMessage() for r in caplog.records)


def test_a_dead_webhook_is_logged_and_never_raises(monkeypatch, caplog):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AIRFLOW_CONN_PARKWATCH_ALERTS", connection_env(port))
    with caplog.at_level(logging.INFO, logger="parkwatch.orchestration.alerts"):
        alerts.on_failure(fake_context())  # must not raise
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("PARKWATCH ALERT task") for m in messages)
    assert any("could not be posted" in m for m in messages)


FAILING_DAG = '''
import pendulum
from airflow.sdk import dag, task
from parkwatch.orchestration.alerts import on_failure


@dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Shanghai"), catchup=False,
     tags=["test"], default_args={"retries": 0, "on_failure_callback": on_failure})
def parkwatch_alert_probe():
    @task
    def breaks():
        raise ValueError("the probe fails on purpose")

    breaks()


parkwatch_alert_probe()
'''


@pytest.mark.airflow
def test_a_failing_airflow_task_posts_its_alert(webhook, tmp_path):
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "probe.py").write_text(textwrap.dedent(FAILING_DAG), encoding="utf-8")
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path / "airflow"), "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
           "PARKWATCH_HOME": str(tmp_path / "home"),
           "AIRFLOW_CONN_PARKWATCH_ALERTS": connection_env(webhook.server_address[1])}
    airflow = str(Path(sys.executable).with_name("airflow"))
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    proc = subprocess.run([airflow, "dags", "test", "parkwatch_alert_probe", "2026-03-02"], env=env,
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    out = proc.stdout + proc.stderr
    assert "PARKWATCH ALERT task parkwatch_alert_probe.breaks failed" in out, out[-4000:]
    [hit] = webhook.received
    assert hit["json"]["dag_id"] == "parkwatch_alert_probe" and hit["json"]["task_id"] == "breaks"
    assert "ValueError: the probe fails on purpose" in hit["json"]["exception"]
