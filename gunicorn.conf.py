"""gunicorn's settings for `make serve` (gunicorn reads ./gunicorn.conf.py by itself).

Threaded workers (gthread), chosen by measurement (docs/performance.md, "Serving"):

- A download of a million claims streams for a minute or more. A sync worker busy that long
  misses its heartbeat and is killed at `timeout` mid-file; a gthread worker's main loop
  keeps beating while a thread streams, so the download finishes.
- A worker whose main loop itself stops (a real hang) is still killed after `timeout`. Work
  that could hang lives in the database, and the database ends it first: a web request's
  statements stop after DB_STATEMENT_TIMEOUT_MS and its lock waits after DB_LOCK_TIMEOUT_MS
  (newsdesk/settings/base.py), and the app answers 503 or 409 in its own words.
- Several threads per process keep a request slot free for /healthz and for people while
  downloads run, at a fraction of the memory of as many processes.

Each value can be overridden from the environment for a bigger host (README, "Production").
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
worker_class = "gthread"
# Processes give parallel CPU (one per core and one spare); threads give waiting room.
workers = _int("WORKERS", 3)
threads = _int("THREADS", 4)
# Seconds a worker's main loop may go silent before the arbiter kills it.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# The longest request line HTTP servers commonly allow (gunicorn's own maximum): long
# filter URLs fit; longer ones get gunicorn's 400 before Django sees them.
limit_request_line = 8190
# A worker is replaced after this many requests (spread so they do not all restart at once):
# whatever memory a huge page or import left behind is handed back.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
