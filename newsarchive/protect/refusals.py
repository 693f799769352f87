"""Requests refused on purpose: `Refused` carries a short reason for the counts in run.json
(`counts.requests_refused`), and `refusal_reason` names the reason of Scrapy's own refusals."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

# Substrings of the messages of Scrapy's IgnoreRequest raisers (scrapy 2.19), and their reason.
_SCRAPY_MESSAGES = (
    ("Forbidden by robots.txt", "robots"),
    ("max redirections reached", "redirect_limit"),
    ("exceeded DOWNLOAD_MAXSIZE", "decoded_size"),
    ("Filtered offsite request", "off_scope"),
)


class Refused(IgnoreRequest):
    """A request this crawler chose not to send (or not to follow further).

    `reason` is a short slug (`off_scope`, `private_address`, `url_too_long`, ...) used as a
    stats key `newsarchive/refused/<reason>`.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def refusal_reason(error: BaseException) -> str:
    """The reason slug of an IgnoreRequest: ours carry it, Scrapy's are told by their message."""
    if isinstance(error, Refused):
        return error.reason
    text = str(error)
    for needle, reason in _SCRAPY_MESSAGES:
        if needle in text:
            return reason
    return "ignored"
