"""Errors of Redis mode."""

from __future__ import annotations

from newsarchive.errors import NewsarchiveError


class RedisUnavailable(NewsarchiveError):
    """Redis cannot be reached, or refused the connection (password), when a worker starts."""


class BadQueueEntry(NewsarchiveError):
    """A queue entry that is not a request this spider may run, or a request that cannot be
    written as one (non-JSON arguments, a callback that is not a spider method)."""
