"""Revisit records: their WARC fields, and the policy deciding when a response becomes one.

A news site re-served unchanged (same URL, same payload digest as an archived capture) is
written as a WARC/1.1 `revisit` record (HTTP head kept, no body) pointing at the original with
`WARC-Refers-To`, `WARC-Refers-To-Target-URI` and `WARC-Refers-To-Date`. Front pages crawled every
15 minutes would otherwise flood replay with revisits (pywb looks at a bounded number of
captures per URL), so the policy can also leave duplicates out, as warcprox's
`--blackout-period` does.

Policy semantics (`RevisitPolicy.decide`):

- `off`: never a revisit; every response is stored in full.
- `always`: every duplicate becomes a revisit record.
- `blackout`: a duplicate seen less than `blackout_seconds` after the last capture recorded for
  that URL and digest (the original or a revisit) is not written at all (`skip`: logged and
  counted by the caller); a later one becomes a revisit and restarts the window. An unchanged
  page therefore leaves one record per window instead of one per visit. (warcprox measures
  the window from the original only, so once it has passed every visit is written again.)
- with any mode but `off`, bodies smaller than `min_size` bytes are always stored in full (a
  revisit saves little there and costs replay a lookup), and so are responses that are not
  2xx, truncated, or without a body: a revisit's meaning (same payload) needs a complete body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from newsarchive.warc.capture import HttpCapture

__all__ = [
    "PROFILES",
    "PriorCapture",
    "RevisitDecision",
    "RevisitMode",
    "RevisitPolicy",
    "RevisitProfile",
    "parse_warc_date",
]

logger = logging.getLogger(__name__)

RevisitProfile = Literal["identical-payload-digest", "server-not-modified"]
PROFILES: dict[str, str] = {
    "identical-payload-digest": "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
    "server-not-modified": "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
}
RevisitMode = Literal["always", "blackout", "off"]
RevisitDecision = Literal["response", "revisit", "skip"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PriorCapture:
    """An archived full response (the revisit target) as the digest index remembers it."""

    record_id: str
    """`WARC-Record-ID` of the response, e.g. `<urn:uuid:...>` (-> `WARC-Refers-To`)."""
    target_uri: str
    """Its `WARC-Target-URI` (-> `WARC-Refers-To-Target-URI`)."""
    warc_date: str
    """Its `WARC-Date` (-> `WARC-Refers-To-Date`)."""
    warc_file: str
    offset: int
    length: int
    payload_digest: str
    last_recorded: str
    """`WARC-Date` of the newest record written for this URL and digest (response or revisit);
    the `blackout` window starts there."""


def parse_warc_date(value: str) -> datetime:
    """A WARC-Date (`2025-03-29T13:00:00Z`, with or without fractions) as an aware datetime."""
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True, kw_only=True)
class RevisitPolicy:
    """When a duplicate response is written as a revisit, in full, or not at all (see module)."""

    mode: RevisitMode = "always"
    blackout_seconds: float = 0.0
    """`blackout` mode: duplicates within this many seconds of the last record are skipped."""
    min_size: int = 0
    """Bodies (as stored, e.g. gzip) smaller than this are always written in full."""

    def __post_init__(self) -> None:
        if self.mode not in ("always", "blackout", "off"):
            raise ValueError(f"revisit mode must be always, blackout or off, not {self.mode!r}")
        if self.blackout_seconds < 0 or self.min_size < 0:
            raise ValueError("revisit blackout_seconds and min_size must not be negative")
        if self.mode == "blackout" and self.blackout_seconds <= 0:
            raise ValueError("revisit mode 'blackout' needs blackout_seconds > 0")

    @staticmethod
    def indexable(capture: HttpCapture) -> bool:
        """Whether a full response of this capture can be a revisit target (2xx, complete,
        with a body)."""
        return 200 <= capture.status < 300 and capture.truncated is None and len(capture.body) > 0

    def eligible(self, capture: HttpCapture) -> bool:
        """Whether this response may become a revisit at all (before any index lookup)."""
        return self.mode != "off" and self.indexable(capture) and len(capture.body) >= self.min_size

    def decide(self, capture: HttpCapture, prior: PriorCapture | None) -> RevisitDecision:
        """`response` (write in full), `revisit`, or `skip` (write nothing) for `capture`,
        given the prior capture of the same URL and payload digest (None: first one)."""
        if prior is None or not self.eligible(capture):
            return "response"
        if self.mode == "blackout":
            try:
                elapsed = (capture.warc_date - parse_warc_date(prior.last_recorded)).total_seconds()
            except ValueError:
                logger.warning(
                    "unparsable date %r in the digest index for %s; writing a revisit",
                    prior.last_recorded,
                    capture.url,
                )
                return "revisit"
            if 0 <= elapsed < self.blackout_seconds:
                return "skip"
        return "revisit"


def revisit_fields(
    *,
    profile: RevisitProfile,
    refers_to: str,
    refers_to_target_uri: str,
    refers_to_date: str,
) -> list[tuple[str, str]]:
    """The WARC fields that make a record a revisit (warcio leaves out `WARC-Refers-To`)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown revisit profile {profile!r}; use one of {sorted(PROFILES)}")
    fields = [
        ("WARC-Profile", PROFILES[profile]),
        ("WARC-Refers-To", refers_to),
        ("WARC-Refers-To-Target-URI", refers_to_target_uri),
        ("WARC-Refers-To-Date", refers_to_date),
    ]
    if profile == "identical-payload-digest":
        # WARC 1.1 6.7.2: a block holding only the HTTP head is a truncated response.
        fields.append(("WARC-Truncated", "length"))
    return fields
