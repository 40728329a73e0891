"""The representations of people."""

from __future__ import annotations

from zoneinfo import available_timezones

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import boolean, choice, integer, text, texts, timestamp
from service.people.models import FUNCTIONS

_TIMEZONES = frozenset(available_timezones())


def _valid_timezone(value: str) -> None:
    if value not in _TIMEZONES:
        raise ma.ValidationError("Give an IANA time zone such as 'Europe/Paris'.")


class SkillLevelSchema(ma.Schema):
    """A skill a person holds and how well."""

    skill = text(
        80,
        blank=False,
        required=True,
        description="A skill name or alias; answered with the canonical name.",
        example="kubernetes",
    )
    level = integer(
        1,
        5,
        required=True,
        description="1 aware, 2 beginner, 3 practitioner, 4 advanced, 5 expert.",
        example=4,
    )


class LearningSchema(ma.Schema):
    """A skill a person wants to grow and how much."""

    skill = text(
        80,
        blank=False,
        required=True,
        description="A skill name or alias; answered with the canonical name.",
        example="rust",
    )
    priority = integer(1, 3, load_default=2, description="1 most wanted … 3 some day.", example=1)


class MentoringSchema(ma.Schema):
    """A person's mentoring preferences."""

    open_to_mentor = boolean(
        load_default=False, description="Willing to mentor others.", example=True
    )
    mentor_capacity = integer(
        0, 20, load_default=0, description="How many active mentees they can take.", example=2
    )
    open_to_reverse_mentor = boolean(
        load_default=False,
        description="Willing to teach someone more senior (reverse mentoring).",
        example=False,
    )
    seeking_mentor = boolean(load_default=False, description="Looking for a mentor.", example=True)


class PersonSchema(ma.Schema):
    """A profile in the directory."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": examples.PERSON},
    )
    external_id = text(
        128,
        allow_none=True,
        description="The id of this person in the HR system.",
        example="E-90442",
    )
    email = ma.fields.Email(
        required=True,
        validate=validate.Length(max=254),
        metadata={
            "description": "Work email, unique whatever its case.",
            "example": "ada.lovelace@example.com",
        },
    )
    name = text(200, required=True, description="Full name.", example="Ada Lovelace")
    title = text(200, allow_none=True, description="Job title.", example="Staff Engineer")
    function = choice(
        FUNCTIONS, required=True, description="The person's function.", example="engineering"
    )
    level = integer(
        1, 8, required=True, description="Seniority: 1 junior … 8 distinguished.", example=6
    )
    division = text(120, allow_none=True, description="Division.", example="Payments")
    team = text(120, allow_none=True, description="Team.", example="Billing Platform")
    location = text(120, allow_none=True, description="Office or city.", example="Lisbon")
    timezone = ma.fields.String(
        allow_none=True,
        validate=_valid_timezone,
        metadata={"description": "IANA time zone.", "example": "Europe/Lisbon"},
    )
    manager_id = ma.fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "Id of the person's manager.",
            "example": examples.MANAGER,
        },
    )
    unresolved_manager = ma.fields.String(
        attribute="manager_ref",
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "A manager the identity provider named (by id, employee id, its own "
            "id or email) who is not in the directory yet; resolved, and null again, when "
            "that person arrives.",
            "example": None,
        },
    )
    languages = texts(
        20, 35, description="Languages spoken (BCP 47 tags).", example=["en", "pt-BR"]
    )
    perspectives = texts(
        30,
        60,
        blank=False,
        description="Background, prior industries, path into the field; lower-cased tags.",
        example=["bootcamp graduate", "ex-retail"],
    )
    skills = ma.fields.List(
        ma.fields.Nested(SkillLevelSchema),
        validate=validate.Length(max=100),
        metadata={"description": "Skills held, each once (an alias counts as its skill)."},
    )
    learning = ma.fields.List(
        ma.fields.Nested(LearningSchema),
        validate=validate.Length(max=50),
        metadata={"description": "Skills the person wants to grow, each once."},
    )
    mentoring = ma.fields.Nested(
        MentoringSchema, metadata={"description": "Mentoring preferences."}
    )
    active = boolean(
        description="False once the person has left; they stay readable.", example=True
    )
    created_at = timestamp(dump_only=True, description="When the profile was created.")
    updated_at = timestamp(dump_only=True, description="When the profile last changed.")


class PersonQueryArgsSchema(ma.Schema):
    """Filters of the people list."""

    function = choice(FUNCTIONS, description="Only people of this function.", example="product")
    division = text(120, description="Only people of this division (exact).", example="Payments")
    skill = ma.fields.List(
        ma.fields.String(validate=validate.Length(min=1, max=80)),
        validate=validate.Length(max=10),
        metadata={
            "description": "Only people holding this skill (name or alias); repeat to require all.",
            "example": ["kubernetes"],
        },
    )
    min_level = ma.fields.Integer(
        validate=validate.Range(1, 8),
        metadata={"description": "Lowest level, inclusive.", "example": 5},
    )
    max_level = ma.fields.Integer(
        validate=validate.Range(1, 8),
        metadata={"description": "Highest level, inclusive.", "example": 8},
    )
    active = ma.fields.Boolean(
        metadata={"description": "Only active (true) or inactive (false) people.", "example": True}
    )
    q = text(
        200, description="Case-insensitive text found in the name, title or email.", example="staff"
    )

    @ma.validates_schema
    def _levels_in_order(self, data: dict, **_kwargs: object) -> None:
        if (
            data.get("min_level")
            and data.get("max_level")
            and data["min_level"] > data["max_level"]
        ):
            raise ma.ValidationError("min_level is above max_level.", field_name="min_level")
