"""Marshmallow fields for JSON bodies: strict types (``"5"`` is not ``5``), bounded sizes.

Every helper takes the field's keyword arguments (``required``, ``allow_none``,
``load_default``, ``dump_only``…) and turns any other keyword (``description``,
``example``) into OpenAPI metadata.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

_FIELD_KWARGS = {
    "required",
    "allow_none",
    "load_default",
    "dump_default",
    "dump_only",
    "load_only",
    "data_key",
}


def _split(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    field_kwargs = {k: v for k, v in kwargs.items() if k in _FIELD_KWARGS}
    metadata = {k: v for k, v in kwargs.items() if k not in _FIELD_KWARGS}
    return field_kwargs, metadata


def _distinct(values: list[Any]) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Each value may appear once.")


def text(max_length: int, **kwargs: Any) -> ma.fields.String:
    """A string of 1 to ``max_length`` characters."""
    field_kwargs, metadata = _split(kwargs)
    return ma.fields.String(
        validate=validate.Length(min=1, max=max_length), metadata=metadata, **field_kwargs
    )


def integer(low: int, high: int, **kwargs: Any) -> ma.fields.Integer:
    """A JSON integer from ``low`` to ``high``; strings and floats are refused."""
    field_kwargs, metadata = _split(kwargs)
    return ma.fields.Integer(
        strict=True, validate=validate.Range(min=low, max=high), metadata=metadata, **field_kwargs
    )


def boolean(**kwargs: Any) -> ma.fields.Boolean:
    """A JSON boolean; ``"yes"`` or ``1`` are refused."""
    field_kwargs, metadata = _split(kwargs)
    return ma.fields.Boolean(truthy={True}, falsy={False}, metadata=metadata, **field_kwargs)


def timestamp(**kwargs: Any) -> ma.fields.AwareDateTime:
    """An RFC 3339 timestamp; one without a UTC offset is refused."""
    field_kwargs, metadata = _split(kwargs)
    metadata.setdefault("example", "2026-11-20T10:30:00+00:00")
    return ma.fields.AwareDateTime(format="iso", metadata=metadata, **field_kwargs)


def choice(values: tuple[str, ...], **kwargs: Any) -> ma.fields.String:
    """One of a fixed set of strings, documented as an enum."""
    field_kwargs, metadata = _split(kwargs)
    return ma.fields.String(validate=validate.OneOf(values), metadata=metadata, **field_kwargs)


def choices(values: tuple[str, ...], **kwargs: Any) -> ma.fields.List:
    """A list of distinct strings from a fixed set."""
    field_kwargs, metadata = _split(kwargs)
    return ma.fields.List(
        ma.fields.String(validate=validate.OneOf(values)),
        validate=[validate.Length(max=len(values)), _distinct],
        metadata=metadata,
        **field_kwargs,
    )


def texts(max_items: int, max_length: int, **kwargs: Any) -> ma.fields.List:
    """A list of at most ``max_items`` distinct strings of 1 to ``max_length`` characters."""
    field_kwargs, metadata = _split(kwargs)
    return ma.fields.List(
        ma.fields.String(validate=validate.Length(min=1, max=max_length)),
        validate=[validate.Length(max=max_items), _distinct],
        metadata=metadata,
        **field_kwargs,
    )


def dumped(field: ma.fields.Field) -> ma.fields.Field:
    """Mark a field as output only."""
    field.dump_only = True
    return field
