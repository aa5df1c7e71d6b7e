"""How long the database may take.

A web request's statements and lock waits are bounded (settings.DB_STATEMENT_TIMEOUT_MS,
DB_LOCK_TIMEOUT_MS, applied to every PostgreSQL connection when it opens), so the database
gives up before the web server's worker does and the app answers in its own words. Work
that is meant to take long (a download streaming a million rows) asks for more, for as
long as it runs, with `long_statements()`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import pq

logger = logging.getLogger(__name__)

# On a connection wrapper: how many long_statements() blocks outside a transaction hold its
# session's limit raised. A limit that could not be put back (the generator holding it was
# dropped unclosed, or finalised on another thread) is put back when the next request
# starts (restore_statement_limit, called by the middleware), so a persistent connection
# (CONN_MAX_AGE > 0) never serves an ordinary request unbounded.
RAISED = "newsdesk_statement_limit_raised"


def _raised(db: BaseDatabaseWrapper, by: int) -> None:
    setattr(db, RAISED, max(getattr(db, RAISED, 0) + by, 0))


@contextmanager
def long_statements(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Lift the statement time limit to settings.DB_LONG_STATEMENT_TIMEOUT_MS meanwhile;
    the lock wait limit stays, so a long export never queues behind a held row.

    Works in a streaming response's generator after the view has returned (the body is
    written from the same thread, on the same connection), and when the client goes away
    halfway: the server closes the response, which closes the generator, and the limit is
    put back as the generator unwinds. Inside a transaction the limit is the transaction's
    own (SET LOCAL), so a rollback cannot leave it behind either.
    """
    db = connections[using]
    if db.vendor != "postgresql":
        yield
        return
    local = db.in_atomic_block
    with db.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        (previous,) = cursor.fetchone()
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, %s)",
            [str(settings.DB_LONG_STATEMENT_TIMEOUT_MS), local],
        )
    if not local:
        _raised(db, +1)
    try:
        yield
    finally:
        _put_back(db, previous, local=local)


def _put_back(db: BaseDatabaseWrapper, previous: str, *, local: bool) -> None:
    if local and (not db.in_atomic_block or db.needs_rollback or _aborted(db)):
        return  # the transaction ended, or will roll back: either way SET LOCAL is undone
    if db.connection is None:
        # Closed meanwhile (request_finished with CONN_MAX_AGE = 0): the session, and its
        # limit, went with it. Do not open a new connection just to set it.
        setattr(db, RAISED, 0)
        return
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, %s)", [previous, local])
    except DatabaseError:
        # A broken connection: Django discards it at the end of the request
        # (close_if_unusable_or_obsolete); meanwhile the flag stays for the next request.
        logger.warning("Could not put the statement time limit back", exc_info=True)
        return
    if not local:
        _raised(db, -1)


def _aborted(db: BaseDatabaseWrapper) -> bool:
    """The transaction failed and only a rollback may follow (an error Django has not
    marked yet: raw SQL, or a failure it leaves to the caller)."""
    return db.connection is not None and (
        db.connection.info.transaction_status == pq.TransactionStatus.INERROR
    )


def restore_statement_limit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Put back the connection's own statement limit if a long_statements() block left it
    raised (its generator was dropped without being closed). Cheap when it did not: an
    attribute read, no query."""
    db = connections[using]
    if not getattr(db, RAISED, 0):
        return
    setattr(db, RAISED, 0)
    if db.connection is None:
        return
    with db.cursor() as cursor:
        cursor.execute("RESET statement_timeout")
