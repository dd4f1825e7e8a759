"""Dates as Japanese news sites write them, into timezone-aware datetimes.

Handles ISO 8601 (``+09:00``, ``+0900``, ``Z``), RFC 822 (``Fri, 14 Mar 2025 10:00:00 +0900``,
also with ``JST``), ``2025/03/14 10:00:00``, ``2025.3.14``, ``2025年3月14日（金） 10時00分``,
era years (``令和7年3月14日``, ``平成31年``, ``令和元年``), 午前/午後, full-width digits, and a label in
front (``公開日:``, ``更新日時：``, ``配信``). A time without a zone is Japan time (JST).

A date without a year (``3月14日``, ``3/14 10:00``) is resolved against a *reference* — the
feed's or page's own date — never against today's: the year is the reference's, or the one
before when that would put the date after the reference (an item is not published after its
feed). Without a reference such a date stays unknown.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

JST = timezone(timedelta(hours=9), "JST")

# First year of each era, so that era year N is FIRST + N - 1 (元年 is 1).
_ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926}
_ERA_YEAR = re.compile(r"(令和|平成|昭和)\s*(元|\d{1,2})\s*年")
# A label such as 公開日: / 更新日時： / 配信日 / 掲載 in front of the date.
_LABEL = re.compile(r"^\s*(?:[【\[(（]?\s*)?(?:公開|更新|配信|掲載|投稿|発行|作成|最終更新)(?:日時|日|時刻)?\s*[)）】\]]?\s*[:：]?\s*")
_WEEKDAY = re.compile(r"\s*[(（]\s*(?:[月火水木金土日](?:曜日?)?|祝|[A-Za-z]{3})\s*[)）]\s*")
_TIME = r"(?:\s*(?:T|\s)?\s*(午前|午後|AM|PM)?\s*(\d{1,2})\s*[:時]\s*(\d{1,2})?\s*分?(?:\s*:?\s*(\d{1,2})\s*秒?)?)?"
_ZONE = r"\s*(JST|Z|[+-]\d{2}:?\d{2})?"
_YMD = re.compile(r"^(\d{4})\s*[/年.\-]\s*(\d{1,2})\s*[/月.\-]\s*(\d{1,2})\s*日?" + _TIME + _ZONE + r"\s*$", re.I)
_MD = re.compile(r"^(\d{1,2})\s*[/月]\s*(\d{1,2})\s*日?" + _TIME + _ZONE + r"\s*$", re.I)
_RFC_ZONES = {"JST": "+0900", "KST": "+0900"}


def parse_date(raw: str | None, reference: datetime | None = None) -> datetime | None:
    """The datetime ``raw`` names, or None when it is not a date (or has no year and no
    ``reference`` to take one from)."""
    if not raw:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    text = _LABEL.sub("", text, count=1)
    if not text:
        return None
    value = _iso(text) or _rfc822(text) or _japanese(text, reference)
    if value is None:
        return None
    value = value if value.tzinfo else value.replace(tzinfo=JST)
    # 0001-01-01 or 9999-12-31 is a placeholder, not a publication date, and one that cannot be
    # moved to another time zone without overflowing.
    if not _EARLIEST <= value.year <= _LATEST:
        return None
    return value


_EARLIEST, _LATEST = 1800, 2200


def _iso(text: str) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text.replace(" JST", "+09:00"))
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s", text):
        return None
    zone = text.rsplit(None, 1)[-1]
    if zone.upper() in _RFC_ZONES:
        text = text[: -len(zone)] + _RFC_ZONES[zone.upper()]
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _japanese(text: str, reference: datetime | None) -> datetime | None:
    text = _ERA_YEAR.sub(lambda m: f"{_ERAS[m[1]] + (1 if m[2] == '元' else int(m[2])) - 1}年", text)
    text = _WEEKDAY.sub(" ", text).strip()
    m = _YMD.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        rest = m.groups()[3:]
    else:
        m = _MD.match(text)
        if not m or reference is None:
            return None
        month, day = int(m[1]), int(m[2])
        rest = m.groups()[2:]
        ref = reference if reference.tzinfo else reference.replace(tzinfo=JST)
        year = ref.astimezone(JST).year
        candidate = _build(year, month, day, *rest)
        # An item is not dated after its feed or page: 12月31日 in a feed of 1月2日 is last year.
        if candidate is not None and candidate - ref > timedelta(days=1):
            year -= 1
    return _build(year, month, day, *rest)


def _build(year: int, month: int, day: int, half: str | None, hour: str | None, minute: str | None,
           second: str | None, zone: str | None) -> datetime | None:
    h = int(hour) if hour else 0
    if half and half.upper() in ("午後", "PM") and h < 12:
        h += 12
    elif half and half.upper() in ("午前", "AM") and h == 12:
        h = 0
    tz = JST
    if zone and zone.upper() == "Z":
        tz = timezone.utc
    elif zone and zone.upper() != "JST":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(year, month, day, h, int(minute or 0), int(second or 0), tzinfo=tz)
    except ValueError:
        return None
