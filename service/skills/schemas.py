"""The representations of skills."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import text, timestamp


class SkillSchema(ma.Schema):
    """A canonical skill of the taxonomy."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": examples.SKILL},
    )
    name = text(
        80,
        blank=False,
        required=True,
        description="Canonical name, trimmed and lower-cased.",
        example="quantum computing",
    )
    aliases = ma.fields.List(
        text(80, blank=False),
        validate=validate.Length(max=30),
        metadata={
            "description": "Other names that resolve to this skill everywhere.",
            "example": ["qc", "quantum"],
        },
    )
    # Not blank, as names: the category is trimmed, and an empty one would break the rule
    # (`minLength: 1`) that every skill list is then read with.
    category = text(
        80,
        blank=False,
        description="A grouping such as 'cloud' or 'languages'.",
        example="research",
    )
    created_at = timestamp(dump_only=True, description="When the skill was added.")
    updated_at = timestamp(dump_only=True, description="When the skill last changed.")


class SkillQueryArgsSchema(ma.Schema):
    """Filters of the skill list."""

    q = text(80, description="Text found in the name or an alias.", example="k8s")
    category = text(80, blank=False, description="Only skills of this category.", example="cloud")
