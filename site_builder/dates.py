"""Dates and times, parsed here and only here: from the catalog's files, the command line and the
credentials a verifier reads.

Credentials carry XML Schema 1.1 `dateTime` values (VC Data Model 2.0 §4.9 "validity period"
and Data Integrity's `created`: https://www.w3.org/TR/vc-data-model-2.0/#validity-period,
https://www.w3.org/TR/xmlschema11-2/#dateTime). The catalog's files and `--since` take a date
(`2026-01-15`) or such a date-time. A bare date means its first moment, UTC. A form that
matches but names no real moment (`2026-02-30`, `T25:61:00`) is refused here, with a message
the loader shows at the value's `path:line:col`, so it never reaches the build.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

# XML Schema 1.1 dateTime, with the field ranges its grammar gives; the zone is optional there.
_XSD_DATETIME = re.compile(
    r"(?P<year>-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(?P<month>0[1-9]|1[0-2])"
    r"-(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
    r"(?P<zone>Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MOMENT_FORMS = "a date (YYYY-MM-DD) or a UTC date-time (YYYY-MM-DDThh:mm:ssZ)"


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def xsd(moment: datetime) -> str:
    """`2026-01-15T09:30:00Z`: seconds precision, always UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _xsd_match(value: object) -> re.Match[str] | None:
    """The dateTime's parts, if `value` is one whose day exists in its month.

    The grammar alone lets 2023-02-30 through, so the day is checked against the proleptic
    Gregorian calendar XML Schema uses.
    """
    if not isinstance(value, str):
        return None
    match = _XSD_DATETIME.fullmatch(value)
    if match is None:
        return None
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days_in_month = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return match if day <= days_in_month[month - 1] else None


def is_xsd_datetime(value: object) -> bool:
    """True for an XML Schema 1.1 dateTime (zone optional): the form a proof's `created` takes."""
    return _xsd_match(value) is not None


def parse_timestamp(value: object) -> datetime | None:
    """A credential's `validFrom`, `validUntil` or proof `created`, or None if it is not one.

    VC 2.0 requires a dateTimeStamp there: a dateTime with its time zone. Forms Python cannot
    hold (a negative year, `24:00:00`) are None too; no real credential uses them.
    """
    match = _xsd_match(value)
    if match is None or match["zone"] is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_moment(value: str) -> datetime:
    """A date or date-time from the catalog's files or the command line, in UTC.

    Raises ValueError saying what is wrong when the value is neither form or names no real
    moment; callers add where the value was written.
    """
    text = str(value).strip()
    if _DATE.fullmatch(text):
        try:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        except ValueError:
            raise ValueError(f"'{text}' is not a day of the calendar") from None
    if _xsd_match(text) is None:
        if _XSD_DATETIME.fullmatch(text):
            reason = "is not a day of the calendar"
        elif _DATE.fullmatch(text[:10]) and text[10:11] == "T":
            reason = f"has no such time of day (write {MOMENT_FORMS})"
        else:
            reason = f"is not {MOMENT_FORMS}"
        raise ValueError(f"'{text}' {reason}")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{text}' is outside the years credcat can represent") from None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_day(value: str) -> date:
    """A calendar date `YYYY-MM-DD` (a credential's `updated`); ValueError if it is no day."""
    text = str(value).strip()
    if not _DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a day of the calendar") from None
