"""Errors that say where they happened and what to do about it."""

from __future__ import annotations


class NewsarchiveError(Exception):
    """Base error. Carries the location (url, or path + offset) so logs and CLIs can name it."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        path: str | None = None,
        offset: int | None = None,
    ) -> None:
        self.message = message
        self.url = url
        self.path = path
        self.offset = offset
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = [part for part in (self.url, self.path) if part]
        if self.offset is not None:
            where.append(f"offset {self.offset}")
        return f"{': '.join(where)}: {self.message}" if where else self.message


class ProfileError(NewsarchiveError):
    """A site profile is missing or invalid."""


class RunDirectoryError(NewsarchiveError):
    """The output directory cannot be used."""
