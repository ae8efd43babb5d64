"""Dates are parsed once, in `site_builder/dates.py`, and impossible ones never pass.

Expected values are written by hand from the calendar and XML Schema 1.1's dateTime grammar
(https://www.w3.org/TR/xmlschema11-2/#dateTime).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from site_builder import dates


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-01-15", datetime(2026, 1, 15, tzinfo=UTC)),
    ("2024-02-29", datetime(2024, 2, 29, tzinfo=UTC)),  # a leap year
    ("2026-01-15T09:30:00Z", datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
    ("2026-01-15T09:30:00", datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),  # no zone: UTC
    ("2026-01-15T11:30:00+02:00", datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
])
def test_moments_the_catalog_may_write(text: str, expected: datetime) -> None:
    parsed = dates.parse_moment(text)
    assert parsed == expected and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(("text", "reason"), [
    ("2026-02-30", "not a day of the calendar"),
    ("2026-02-31", "not a day of the calendar"),
    ("2025-02-29", "not a day of the calendar"),  # not a leap year
    ("2026-13-01", "not a day of the calendar"),
    ("2026-02-31T10:00:00Z", "not a day of the calendar"),
    ("2026-01-01T25:61:00Z", "no such time of day"),
    ("2026-01-01T10:00Z", "no such time of day"),
    ("15/01/2026", "is not a date"),
    ("", "is not a date"),
])
def test_impossible_moments_are_refused_in_words(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        dates.parse_moment(text)


def test_a_day_is_a_date_and_only_a_date() -> None:
    assert dates.parse_day("2026-03-01") == date(2026, 3, 1)
    for text in ("2026-02-30", "2026-03-01T00:00:00Z", "March 1"):
        with pytest.raises(ValueError):
            dates.parse_day(text)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-01-15T09:30:00Z", datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
    ("2026-01-15T09:30:00.5-05:00",
     datetime(2026, 1, 15, 9, 30, 0, 500000, tzinfo=timezone(timedelta(hours=-5)))),
    ("2026-01-15T09:30:00", None),  # VC 2.0 wants a dateTimeStamp: the zone is required
    ("2026-02-30T09:30:00Z", None),
    ("2026-01-15T24:00:00Z", None),
    ("2026-01-15", None),
    (20260115, None),
    (None, None),
])
def test_credential_timestamps(value: object, expected: datetime | None) -> None:
    assert dates.parse_timestamp(value) == expected


def test_xsd_writes_utc_seconds() -> None:
    moment = datetime(2026, 1, 15, 11, 30, 12, 999, tzinfo=timezone(timedelta(hours=2)))
    assert dates.xsd(moment) == "2026-01-15T09:30:12Z"
