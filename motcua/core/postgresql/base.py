"""Django's PostgreSQL backend, with the per-request health check of a persistent connection read from
its socket.

Django checks a reused connection at the start of each request with `SELECT 1`: a round trip that cost
about a tenth of a millisecond of the server's and the application's processor on every request, more than
some whole API calls. A server that ends a session (restart, `pg_terminate_backend`, idle timeout) sends
an error and closes the socket, so an idle connection whose socket has nothing to read is still open; only
when something did arrive does the check ask the server, as Django does.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        # `pool` and the health-check flags are Django's, not in the stubs.
        skip = self.pool or not self.health_check_enabled or self.health_check_done  # type: ignore[attr-defined,has-type]
        if skip or self.connection is None:
            return
        if not self._quiet() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def _quiet(self) -> bool:
        """Whether the connection is open, outside a transaction, and the server sent nothing since."""
        connection = self.connection
        if connection.broken or connection.closed or connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        poll = select.poll()
        poll.register(connection.fileno(), select.POLLIN)
        return not poll.poll(0)
