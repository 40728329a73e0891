"""Marshmallow fields for JSON bodies: strict types (``"5"`` is not ``5``), bounded sizes.

Every helper takes the field's keyword arguments (``required``, ``allow_none``,
``load_default``, ``dump_only``…) and turns any other keyword (``description``,
``example``) into OpenAPI metadata.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
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


# Every string the API reads is Unicode text without U+0000: PostgreSQL cannot store NUL, so
# it is refused everywhere, on every database (see rest.ArgumentsParser). TEXT is the `pattern`
# that documents it on every string of the spec.
TEXT = r"^[^\x00]*$"
# White space as Python sees it (`str.strip`, `re`'s `\s`), spelled so that Python and
# ECMA-262 (JSON Schema's `pattern`) read it alike: ECMA's own `\s` differs (it leaves out
# U+001C-U+001F and U+0085, and adds U+FEFF).
_SPACE = r"\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# The `pattern` of text that is trimmed: it must hold a character that is not white space.
NOT_BLANK = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"
_NOT_SPACE = re.compile(rf"[^{_SPACE}]")


def _not_blank(value: str) -> None:
    if not _NOT_SPACE.search(value):
        raise ma.ValidationError("Must not be blank.")


def text(max_length: int, *, blank: bool = True, **kwargs: Any) -> ma.fields.String:
    """A string of 1 to ``max_length`` characters; with ``blank=False``, not only white space.

    Use ``blank=False`` where the value is trimmed (names of skills and tokens), so that the
    spec says what the service refuses.
    """
    field_kwargs, metadata = _split(kwargs)
    validators: list[Any] = [validate.Length(min=1, max=max_length)]
    if not blank:
        validators.append(_not_blank)
        metadata["pattern"] = NOT_BLANK
    return ma.fields.String(validate=validators, metadata=metadata, **field_kwargs)


class StrictInteger(ma.fields.Integer):
    """A JSON integer: strings, booleans and fractions are refused.

    ``2.0`` is accepted as ``2``: JSON Schema, and so the published contract, counts a number
    with a zero fractional part as an integer, and many JSON encoders write it so.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


def integer(low: int, high: int, **kwargs: Any) -> ma.fields.Integer:
    """A JSON integer from ``low`` to ``high``; strings, booleans and fractions are refused."""
    field_kwargs, metadata = _split(kwargs)
    return StrictInteger(
        validate=validate.Range(min=low, max=high), metadata=metadata, **field_kwargs
    )


class StrictBoolean(ma.fields.Boolean):
    """A JSON ``true`` or ``false`` and nothing else.

    ``truthy={True}`` alone is not enough: ``1 == True`` and ``hash(1) == hash(True)``, so
    ``1``, ``0``, ``1.0`` and ``0.0`` would pass a set membership test.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def boolean(**kwargs: Any) -> ma.fields.Boolean:
    """A JSON boolean; ``"yes"``, ``1`` or ``0`` are refused."""
    field_kwargs, metadata = _split(kwargs)
    return StrictBoolean(metadata=metadata, **field_kwargs)


class UtcDateTime(ma.fields.AwareDateTime):
    """An RFC 3339 timestamp with an offset, read as UTC.

    A time at the edge of the calendar (0001-01-01T00:00+05:00) has no UTC counterpart;
    it is refused rather than left to overflow in the database layer.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise ma.ValidationError("This time has no UTC counterpart.") from error


def timestamp(**kwargs: Any) -> ma.fields.AwareDateTime:
    """An RFC 3339 timestamp; one without a UTC offset is refused."""
    field_kwargs, metadata = _split(kwargs)
    metadata.setdefault("example", "2026-11-20T10:30:00+00:00")
    return UtcDateTime(format="iso", metadata=metadata, **field_kwargs)


def choice(values: tuple[str, ...], **kwargs: Any) -> ma.fields.String:
    """One of a fixed set of strings, documented as an enum."""
    field_kwargs, metadata = _split(kwargs)
    return ma.fields.String(validate=validate.OneOf(values), metadata=metadata, **field_kwargs)


def choices(values: tuple[str, ...], **kwargs: Any) -> ma.fields.List:
    """A list of distinct strings from a fixed set."""
    field_kwargs, metadata = _split(kwargs)
    metadata.setdefault("uniqueItems", True)
    return ma.fields.List(
        ma.fields.String(validate=validate.OneOf(values)),
        validate=[validate.Length(max=len(values)), _distinct],
        metadata=metadata,
        **field_kwargs,
    )


def texts(max_items: int, max_length: int, *, blank: bool = True, **kwargs: Any) -> ma.fields.List:
    """A list of at most ``max_items`` distinct strings of 1 to ``max_length`` characters."""
    field_kwargs, metadata = _split(kwargs)
    metadata.setdefault("uniqueItems", True)
    return ma.fields.List(
        text(max_length, blank=blank),
        validate=[validate.Length(max=max_items), _distinct],
        metadata=metadata,
        **field_kwargs,
    )
