"""Dates and times as credentials and key files write them: UTC, XML Schema dateTime."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def xsd(moment: datetime) -> str:
    """`2026-01-15T09:30:00Z`: seconds precision, always UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_moment(value: str) -> datetime:
    """A date or date-time from the catalog's files; a bare date means its first moment, UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
