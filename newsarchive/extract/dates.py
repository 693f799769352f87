"""Dates: ISO 8601 keeping the page's own UTC offset; dates as printed on pages; sanity checks.

Visible dates are read in the languages of the sites we archive (en, ru, kk) and the common
European ones (de, fr, es, it, pt, id): "29 марта 2025", "2025 жылғы 29 наурыз", "18.02.2025,
12:41", "Nov. 19, 2019, 8:41 AM UTC", "sexta-feira, 22 de outubro de 2010 às 20:13".
"""

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
_RFC_2822_HINT = re.compile(r"\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UTC)")

# Month names by their first four, then first three letters (fr "juin"/"juil" need four).
_MONTHS_4 = {"juin": 6, "juil": 7, "janv": 1, "févr": 2, "sept": 9}
_MONTHS_3 = {
    # en (and most Latin-script languages share these stems)
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # de, fr, es, it, pt, id
    "mär": 3, "mai": 5, "okt": 10, "dez": 12, "fév": 2, "avr": 4, "aoû": 8, "déc": 12,
    "ene": 1, "abr": 4, "ago": 8, "dic": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "set": 9,
    "ott": 10, "fev": 2, "out": 10, "mei": 5, "agu": 8, "des": 12,
    # ru (genitive and nominative stems)
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    # kk: қаңтар, ақпан, наурыз, сәуір, мамыр, маусым, шілде, тамыз, қыркүйек, қазан, қараша,
    # желтоқсан
    "қаң": 1, "ақп": 2, "нау": 3, "сәу": 4, "мам": 5, "мау": 6, "шіл": 7, "там": 8, "қыр": 9,
    "қаз": 10, "қар": 11, "жел": 12,
}  # fmt: skip
_MONTH = r"(?P<mon>[^\W\d_]{3,12})\.?"
# Offsets printed after a time: "UTC", "GMT+5", "(UTC+06:00)", "+0500".
_TZ = r"(?:\s*\(?\s*(?P<tz>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|UTC|GMT|[+-]\d{2}:?\d{2})\)?)?"
_TIME = (
    r"(?:\s*(?:,|\||в|at|às|a\s+las|um|à|alle|pukul|kl\.|-|—|–)?\s*"
    r"(?P<H>\d{1,2})[:.h](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?(?![\d])"
    + _TZ
    + r")?"
)
# "18.02.2025, 12:41", "18/02/2025", "18-02-2025"
_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})(?!\d)" + _TIME)
# "2025/02/18 12:41", "2025.02.18"
_YMD = re.compile(r"(?<!\d)(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})(?!\d)" + _TIME)
# "29 марта 2025", "29 March 2025, 14:32", "22 de outubro de 2010 às 20:13", "29. März 2025"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+|of\s+)?{_MONTH},?\s+(?:de\s+)?"
    r"(?P<y>\d{4})"
    r"(?:\s*(?:г\.|года|год|ж\.|жыл\w*))?" + _TIME,
    re.IGNORECASE,
)
# "March 29, 2025", "Nov. 19, 2019, 8:41 AM UTC"
_MONTH_DAY_YEAR = re.compile(
    rf"{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})" + _TIME,
    re.IGNORECASE,
)
# "2025 жылғы 29 наурыз", "2025 ж. 29 наурыз 14:32"
_YEAR_DAY_MONTH = re.compile(
    rf"(?P<y>\d{{4}})\s*(?:жылғы|жылы|ж\.)?\s+(?P<d>\d{{1,2}})\s+{_MONTH}" + _TIME,
    re.IGNORECASE,
)
_PATTERNS = (_DMY, _YMD, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _YEAR_DAY_MONTH)
# Words that may stand around a date on a dateline: weekdays, "Published", "Updated", "at".
_DATELINE_WORDS = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:published|updated|posted|modified|on|at"
    r"|de|às|um|le|am|the|del|il|par|по|в|г|года|опубликовано|обновлено|жарияланды"
    r"|жаңартылды|ж|жылғы|today|yesterday|сегодня|вчера|бүгін|кеше)\b"
    r"|(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|дүйсенбі|сейсенбі"
    r"|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі|segunda|terça|quarta|quinta|sexta|sábado|domingo"
    r"|feira|lunes|martes|miércoles|jueves|viernes|montag|dienstag|mittwoch|donnerstag|freitag"
    r"|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)",
    re.IGNORECASE,
)
_MAX_DATELINE_LETTERS = 3
# A published date may be this far after the capture time (time zones, clock skew).
_FUTURE_SLACK = timedelta(days=1)


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
    """A UTC offset: "Z", "UTC", "GMT", "+05:00", "+0500", "+05", "GMT+6", "UTC+05:30"."""
    if not raw:
        return None
    raw = "".join(raw.split()).upper()
    if raw.startswith(("UTC", "GMT")):
        raw = raw[3:]
        if not raw:
            return UTC
    if raw == "Z":
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    if not digits.isdigit():
        raise ValueError(f"bad UTC offset {raw}")
    if len(digits) in (1, 2):
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        raise ValueError(f"bad UTC offset {raw}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(groups: dict[str, str | None], tzinfo: timezone | None = None) -> str | None:
    try:
        has_time = groups.get("H") is not None
        hour = int(groups.get("H") or 0)
        ampm = (groups.get("ampm") or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        dt = datetime(
            int(groups["y"] or 0),
            int(groups["m"] or 0),
            int(groups["d"] or 0),
            hour,
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
    if "," in text[:5] or _RFC_2822_HINT.search(text):
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is not None:
            return _format(dt, has_time=True)
    return parse_visible_date(text)


def month_number(word: str | None) -> int | None:
    """1–12 for a month name or abbreviation in a supported language, else None."""
    if not word:
        return None
    folded = word.casefold()
    return _MONTHS_4.get(folded[:4]) or _MONTHS_3.get(folded[:3])


_DIGIT = re.compile(r"\d")
_TIME_BEFORE = re.compile(
    r"(?<![\d:.])(?P<H>\d{1,2}):(?P<M>\d{2})\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*[,|/–—-]?\s*$",
    re.IGNORECASE,
)


def _visible_match(text: str) -> tuple[re.Match[str], str] | None:
    """The first date printed in `text` and its ISO form."""
    if _DIGIT.search(text) is None:
        return None  # every date pattern has a year or a day in figures
    best: tuple[re.Match[str], str] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups: dict[str, str | None] = dict(match.groupdict())
            if "mon" in groups:
                month = month_number(groups.pop("mon"))
                if month is None:
                    continue
                groups["m"] = str(month)
            try:
                tzinfo = _tz(groups.get("tz")) if groups.get("H") is not None else None
            except ValueError:
                tzinfo = None
            if groups.get("H") is None:
                # The time printed first: "6:45 PM, Feb 16, 2018", "14:32, 29 марта 2025"
                before = _TIME_BEFORE.search(text, max(0, match.start() - 24), match.start())
                if before is not None:
                    groups.update(before.groupdict())
            found = _build(groups, tzinfo)
            if found is not None:
                if best is None or match.start() < best[0].start():
                    best = (match, found)
                break
    return best


def date_span(text: str) -> tuple[int, int] | None:
    """Where the first date printed in `text` starts and ends."""
    found = _visible_match(text)
    return found[0].span() if found else None


def parse_visible_date(text: str) -> str | None:
    """A date as printed on a page ("18.02.2025, 12:41", "29 марта 2025", "Nov. 19, 2019,
    8:41 AM UTC"); with an offset only when the text prints one."""
    found = _visible_match(text)
    return found[1] if found else None


def is_date_line(text: str) -> bool:
    """The line is a dateline and nothing else ("sexta-feira, 22 de outubro de 2010 às 20:13",
    "Published: 29 March 2025, 14:32")."""
    if len(text) > 80:
        return False
    found = _visible_match(text)
    if found is None:
        return False
    rest = text[: found[0].start()] + " " + text[found[0].end() :]
    rest = _DATELINE_WORDS.sub(" ", rest)
    return sum(ch.isalpha() for ch in rest) <= _MAX_DATELINE_LETTERS


def _as_datetime(value: str) -> datetime | None:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def not_after(value: str | None, capture_time: str | None) -> str | None:
    """`value`, or None when it lies after the capture time (a page cannot have been published
    after it was fetched: such dates are event dates, counters or template junk). A day of slack
    absorbs dates printed without an offset."""
    if value is None or not capture_time:
        return value
    date = _as_datetime(value)
    captured = _as_datetime(normalize_datetime(capture_time) or "")
    if date is None or captured is None:
        return value
    return value if date <= captured + _FUTURE_SLACK else None


# "Сегодня, 14:32", "вчера в 09:15", "Бүгін 10:00", "Today at 2:32 PM": a day named relative to
# the capture.
_RELATIVE_DAY = re.compile(
    r"(?<!\w)(?P<day>сегодня|вчера|бүгін|кеше|today|yesterday)\s*(?:,|в|at|—|–|-)?\s*"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})\s*(?P<ampm>[ap]\.?\s?m\.?)?(?!\d)",
    re.IGNORECASE,
)
_RELATIVE_SCAN = 60
_DAYS_BACK = {"сегодня": 0, "бүгін": 0, "today": 0, "вчера": 1, "кеше": 1, "yesterday": 1}


def parse_relative_date(text: str, capture_time: str | None) -> str | None:
    """A date printed relative to the day of capture ("Сегодня, 14:32", "Yesterday at 9:15 AM"),
    as the capture's calendar day (in the capture's offset) and the printed time, without an
    offset (the site's own zone is not printed); None without a capture time."""
    if not capture_time:
        return None
    match = _RELATIVE_DAY.search(text[:_RELATIVE_SCAN])
    captured = _as_datetime(normalize_datetime(capture_time) or "")
    if match is None or captured is None:
        return None
    day = captured.date() - timedelta(days=_DAYS_BACK[match.group("day").casefold()])
    groups: dict[str, str | None] = {
        "y": str(day.year),
        "m": str(day.month),
        "d": str(day.day),
        "H": match.group("H"),
        "M": match.group("M"),
        "ampm": match.group("ampm"),
    }
    return _build(groups)
