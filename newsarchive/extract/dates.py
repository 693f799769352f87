"""Date normalisation: ISO 8601 keeping the page's own UTC offset; visible-date parsing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?(?P<H>\d{2})(?P<M>\d{2}))?$")
# "18.02.2025, 12:41", "18.02.2025 12:41", "18/02/2025"
_DMY = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})"
    r"(?:\s*(?:,|\||в|at|-|—)?\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?(?!\d)"
)
_MONTHS = {
    # en
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # ru (genitive and nominative stems)
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    # kk
    "қаң": 1, "ақп": 2, "нау": 3, "сәу": 4, "мам": 5, "мау": 6, "шіл": 7, "там": 8, "қыр": 9,
    "қаз": 10, "қар": 11, "жел": 12,
}  # fmt: skip
_MONTH_WORD = r"(?P<mon>[a-zа-яёәғқңөұүһі]{3,12})\.?"
# "29 марта 2025", "29 March 2025, 14:32", "2025 жылғы 29 наурыз"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\s+{_MONTH_WORD}\s+(?P<y>\d{{4}})"
    r"(?:\s*(?:г\.|жыл\w*)?\s*(?:,|в|at|-|—)?\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    re.IGNORECASE,
)
# "March 29, 2025", "Feb 18, 2025 12:41"
_MONTH_DAY_YEAR = re.compile(
    rf"{_MONTH_WORD}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})"
    r"(?:\s*(?:,|at|-|—)?\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    re.IGNORECASE,
)
_YEAR_DAY_MONTH = re.compile(
    rf"(?P<y>\d{{4}})\s*(?:жылғы|ж\.)?\s+(?P<d>\d{{1,2}})\s+{_MONTH_WORD}"
    r"(?:\s*(?:,|-|—)?\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?",
    re.IGNORECASE,
)


def _format(dt: datetime, *, has_time: bool) -> str:
    if not has_time:
        return dt.strftime("%Y-%m-%d")
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    offset = dt.utcoffset()
    if offset is None:
        return text
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}"


def _tz(raw: str | None) -> timezone | None:
    if not raw:
        return None
    raw = raw.upper()
    if raw in {"Z", "UTC", "GMT"}:
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    if hours > 14 or minutes > 59:
        raise ValueError(f"bad UTC offset {raw}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(groups: dict[str, str | None], tzinfo: timezone | None = None) -> str | None:
    try:
        has_time = groups.get("H") is not None
        dt = datetime(
            int(groups["y"] or 0),
            int(groups["m"] or 0),
            int(groups["d"] or 0),
            int(groups.get("H") or 0),
            int(groups.get("M") or 0),
            int(groups.get("S") or 0),
            tzinfo=tzinfo,
        )
    except (TypeError, ValueError):
        return None
    if not 1990 <= dt.year <= 2100:
        return None
    return _format(dt, has_time=has_time)


def normalize_datetime(raw: str | None) -> str | None:
    """`YYYY-MM-DDTHH:MM:SS+HH:MM` (offset as given, none when the source has none), or
    `YYYY-MM-DD` for a date without time; None when `raw` is not a recognisable date."""
    if not raw:
        return None
    text = raw.strip()
    match = _ISO.match(text) or _COMPACT.match(text)
    if match:
        groups = match.groupdict()
        try:
            tzinfo = _tz(groups.get("tz"))
        except ValueError:
            return None
        return _build(groups, tzinfo)
    if "," in text[:5] or re.search(r"\d{2}:\d{2}(:\d{2})?\s+(?:[+-]\d{4}|GMT|UTC)", text):
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is not None:
            return _format(dt, has_time=True)
    return parse_visible_date(text)


def _month(word: str | None) -> int | None:
    if not word:
        return None
    return _MONTHS.get(word.lower()[:3])


def parse_visible_date(text: str) -> str | None:
    """A date as printed on a page ("18.02.2025, 12:41", "29 марта 2025"); no offset."""
    match = _DMY.search(text)
    if match:
        return _build(match.groupdict())
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _YEAR_DAY_MONTH):
        match = pattern.search(text)
        if match:
            groups: dict[str, str | None] = dict(match.groupdict())
            month = _month(groups.pop("mon"))
            if month is None:
                continue
            groups["m"] = str(month)
            return _build(groups)
    return None
