"""The BI reader of tests/integration/test_bi_concurrent_reads.py, run as a script in its own process
(like a Superset worker): ``python bi_reader.py DB OUT STOP THREADS SESSION_PAUSE``.

Threads, one SQLAlchemy engine with NullPool as Superset uses for analytics databases, plus a
"session" reader and an ATTACH reader, run ``PROBE`` over and over and append each observation
(or error) to OUT as a JSON line, until the file STOP exists.
"""
from __future__ import annotations

import json
import os
import random
import sys
import threading
import time

PROBE = """
select cast((select max(published_at) from marts.publish_log) as varchar) as published_at,
       (select count(*) from marts.indicators)                                            as indicators,
       (select count(*) from marts.indicators i join marts.documents d on d.doc_id = i.doc_id) as indicators_with_document,
       (select count(*) from marts.documents)                                             as documents,
       (select count(*) from marts.indicators_best)                                       as indicators_best,
       (select count(*) from marts.projects)                                              as projects,
       (select count(*) from marts.review_queue)                                          as review_queue,
       (select coalesce(sum(pages_landed), 0) from marts.crawl_health)                    as pages_landed
"""


def reader_main(db: str, out: str, stop: str, threads: int, session_pause: float) -> None:
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    superset = sa.create_engine(f"duckdb:///{db}", connect_args={"read_only": True}, poolclass=NullPool)
    attach = sa.create_engine("duckdb:///:memory:", poolclass=NullPool)

    @sa.event.listens_for(attach, "connect")
    def _attach(dbapi_con, _record):  # the recipe docs/bi.md gives for long-lived Python processes
        dbapi_con.execute(f"attach '{db}' as parks (read_only)")
        dbapi_con.execute("use parks")

    lock = threading.Lock()
    fh = open(out, "a", encoding="utf-8")
    deadline = time.monotonic() + 1200  # stops by itself if the test never says stop

    def record(**kw):
        with lock:
            fh.write(json.dumps({"t": time.time(), **kw}, default=str) + "\n")
            fh.flush()

    def probe(con):
        return list(con.execute(sa.text(PROBE)).one())

    def loop(mode):
        engine = attach if mode == "attach" else superset
        while not os.path.exists(stop) and time.monotonic() < deadline:
            try:
                with engine.connect() as con:
                    first = probe(con)
                    if mode == "session":
                        time.sleep(session_pause)
                        record(mode=mode, obs=first, again=probe(con))
                    else:
                        record(mode=mode, obs=first)
            except Exception as exc:  # every failure is an observation
                record(mode=mode, error=f"{type(exc).__name__}: {exc}")
            time.sleep(0.05 + random.random() * 0.1)  # a busy dashboard, not a benchmark: leave the CPU to dbt

    workers = [threading.Thread(target=loop, args=("superset",)) for _ in range(threads)]
    workers += [threading.Thread(target=loop, args=("session",)), threading.Thread(target=loop, args=("attach",))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    fh.close()


if __name__ == "__main__":
    reader_main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
