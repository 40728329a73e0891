"""The representations of calendar feeds."""

from __future__ import annotations

import marshmallow as ma

from service import examples
from service.fields import TEXT


class CalendarFeedSchema(ma.Schema):
    """A person's calendar feed: the address calendars subscribe to."""

    id = ma.fields.String(
        metadata={"description": "Opaque id.", "example": "cal_01JD3Q5X4J8Z6V2M9N7K1R0T5B"}
    )
    person_id = ma.fields.String(
        metadata={"description": "Whose feed it is.", "example": examples.PERSON}
    )
    token = ma.fields.String(
        metadata={
            "description": "The read-only feed token, shown once (it is in `url` too).",
            "example": "rapcal_0f6Jm9bq3XoQ3rHq7mWl2kq6f3c9Uo1bq2Wm8b4cX0Q",
        }
    )
    url = ma.fields.String(
        metadata={
            "description": "The feed address to give Google Calendar or Outlook.",
            "example": f"https://rapport.example/v1/people/{examples.PERSON}/"
            "calendar.ics?token=rapcal_0f6Jm9bq3XoQ3rHq7mWl2kq6f3c9Uo1bq2Wm8b4cX0Q",
        }
    )
    created_at = ma.fields.AwareDateTime(
        metadata={"description": "When it was issued.", "example": "2026-11-26T09:00:00+00:00"}
    )


class FeedArgsSchema(ma.Schema):
    """The feed token of a calendar feed URL."""

    token = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=200),
        metadata={
            "description": "The feed token (not an API token) from `POST …/calendar-feed`.",
            "example": "rapcal_0f6Jm9bq3XoQ3rHq7mWl2kq6f3c9Uo1bq2Wm8b4cX0Q",
            "pattern": TEXT,
        },
    )
