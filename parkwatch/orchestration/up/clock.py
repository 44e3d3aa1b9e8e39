"""The demo portal's clock under ``make up``: it follows the logical date of the crawl run in
progress. A follower thread asks the REST API for the queued or running ``parkwatch_crawl`` run
and restarts the portal (same port, so the same URLs) on that date."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, cast

import pendulum

from parkwatch.orchestration.airflow_env import TIMEZONE
from parkwatch.orchestration.up.api import Api
from parkwatch.orchestration.up.errors import UpError

if TYPE_CHECKING:
    from parkwatch.portal import Portal

log = logging.getLogger("parkwatch.orchestration.up")

RUN_IN_PROGRESS = "/api/v2/dags/parkwatch_crawl/dagRuns?state=queued&state=running&order_by=-run_after&limit=1"


class PortalClock:
    """The demo portal, restarted on the logical date of the crawl run in progress."""

    def __init__(self, port: int, today: str):
        self.port = port
        self.today = today
        self.portal: Portal | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PortalClock:
        from parkwatch.portal import Portal

        portal = self.portal = Portal(port=self.port, today=self.today).start()
        self.port = portal.port
        return self

    def set_today(self, day: str) -> None:
        from parkwatch.portal import Portal

        with self._lock:
            if day == self.today:
                return
            if self.portal is not None:
                self.portal.stop()
            for _ in range(50):  # the port was just released; rebinding can take a moment
                try:
                    self.portal = Portal(port=self.port, today=day).start()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise UpError(f"cannot restart the portal on port {self.port}")
            log.info("portal clock moved from %s to %s (logical date of the crawl run)", self.today, day)
            self.today = day

    def _follow_once(self, api: Api) -> None:
        try:
            runs = api.get(RUN_IN_PROGRESS)["dag_runs"]
        except Exception as exc:  # keep following; the API may restart
            log.debug("clock follower: %s", exc)
            return
        when = runs and (runs[0].get("logical_date") or runs[0].get("run_after"))
        if when:
            started_for = cast(pendulum.DateTime, pendulum.parse(when))
            self.set_today(started_for.in_timezone(TIMEZONE).to_date_string())

    def follow(self, api: Api, interval: float = 1.0) -> None:
        def loop():
            while not self._stop.wait(interval):
                self._follow_once(api)

        self._thread = threading.Thread(target=loop, name="portal-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        with self._lock:
            if self.portal:
                self.portal.stop()
