"""SCIM filters as SQL: the syntax tree scim2-models parses becomes a condition on people.

Nothing is filtered in Python, so that a filter over 100,000 people costs one indexed query
(``userName``, ``externalId`` and ``id``, the attributes identity providers look users up by,
are all indexed). String comparisons ignore case unless the attribute is ``caseExact``; a
comparison with an attribute that has no value is false, and ``ne`` is its negation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
    coerce_value,
)
from sqlalchemy import ColumnElement, String, and_, false, func, literal, not_, or_, true

from service.db import LIKE_ESCAPE, escape_like
from service.people.models import Person
from service.scim.resources import CORE_USER, ENTERPRISE_USER, RAPPORT_USER

Op = CompareOperator
SMALLINT_RANGE = (-(2**15), 2**15 - 1)


@dataclass(frozen=True)
class Stored:
    """Where a SCIM attribute is kept, and how its values compare."""

    expression: ColumnElement[Any]
    nullable: bool = True
    case_exact: bool = False
    # The column holds the case-folded value (email_key): compare with the folded operand.
    folded: bool = False


_NAME = Stored(Person.name, nullable=False)
_EMAIL = Stored(Person.email_key, nullable=False, folded=True)
# The userName is the email unless the identity provider gave one that is not.
_USER_NAME = Stored(
    func.coalesce(Person.user_name_key, Person.email_key), nullable=False, folded=True
)
_MANAGER = Stored(Person.manager_id, case_exact=True)

# Each attribute a filter may name, by schema, attribute and sub-attribute (scim2-models'
# Python names). Every user has one email, of type work and primary.
STORED: dict[tuple[str, str, str | None], Stored] = {
    (CORE_USER, "id", None): Stored(Person.id, nullable=False, case_exact=True),
    (CORE_USER, "external_id", None): Stored(Person.idp_id, case_exact=True),
    (CORE_USER, "user_name", None): _USER_NAME,
    (CORE_USER, "display_name", None): _NAME,
    (CORE_USER, "name", None): _NAME,
    (CORE_USER, "name", "formatted"): _NAME,
    (CORE_USER, "name", "given_name"): Stored(Person.given_name),
    (CORE_USER, "name", "family_name"): Stored(Person.family_name),
    (CORE_USER, "title", None): Stored(Person.title),
    (CORE_USER, "active", None): Stored(Person.active, nullable=False),
    (CORE_USER, "emails", None): _EMAIL,
    (CORE_USER, "emails", "value"): _EMAIL,
    (CORE_USER, "emails", "type"): Stored(literal("work"), nullable=False),
    (CORE_USER, "emails", "primary"): Stored(literal(True), nullable=False),
    (CORE_USER, "meta", None): Stored(Person.created_at, nullable=False),
    (CORE_USER, "meta", "created"): Stored(Person.created_at, nullable=False),
    (CORE_USER, "meta", "last_modified"): Stored(Person.updated_at, nullable=False),
    (CORE_USER, "meta", "resource_type"): Stored(literal("User"), nullable=False, case_exact=True),
    (ENTERPRISE_USER, "employee_number", None): Stored(Person.external_id, case_exact=True),
    (ENTERPRISE_USER, "department", None): Stored(Person.team),
    (ENTERPRISE_USER, "division", None): Stored(Person.division),
    (ENTERPRISE_USER, "manager", None): _MANAGER,
    (ENTERPRISE_USER, "manager", "value"): _MANAGER,
    (RAPPORT_USER, "function", None): Stored(Person.function, nullable=False),
    (RAPPORT_USER, "level", None): Stored(Person.level, nullable=False),
}

FILTERABLE = (
    "id, externalId, userName, displayName, name.formatted, name.givenName, name.familyName, "
    "title, active, emails (value, type, primary), meta.created, meta.lastModified, "
    "meta.resourceType, the enterprise employeeNumber, department, division and "
    "manager.value, and Rapport's function and level"
)


def _string_comparison(stored: Stored, op: Op, value: str) -> ColumnElement[bool]:
    column = stored.expression
    if stored.case_exact:
        # LIKE ignores case on SQLite, so case-exact matching uses functions that do not.
        size = len(value)
        if op in (Op.co, Op.sw, Op.ew) and not value:
            return column.is_not(None)
        exact = {
            Op.co: lambda: func.replace(column, value, "") != column,
            Op.sw: lambda: func.substr(column, 1, size) == value,
            Op.ew: lambda: and_(
                func.length(column) >= size,
                func.substr(column, func.length(column) - size + 1) == value,
            ),
        }
        if op in exact:
            return exact[op]()
        return _ordered(column, op, literal(value))
    if stored.folded:
        subject, operand = column, literal(value.casefold())
        pattern_of = str.casefold
    else:
        subject, operand = func.lower(column), func.lower(literal(value))
        pattern_of = str
    patterns = {Op.co: "%{}%", Op.sw: "{}%", Op.ew: "%{}"}
    if op in patterns:
        pattern = patterns[op].format(escape_like(pattern_of(value)))
        like_operand = literal(pattern) if stored.folded else func.lower(literal(pattern))
        return subject.like(like_operand, escape=LIKE_ESCAPE)
    return _ordered(subject, op, operand)


def _ordered(subject: Any, op: Op, operand: Any) -> ColumnElement[bool]:
    comparisons = {
        Op.eq: lambda: subject == operand,
        Op.gt: lambda: subject > operand,
        Op.ge: lambda: subject >= operand,
        Op.lt: lambda: subject < operand,
        Op.le: lambda: subject <= operand,
    }
    if op not in comparisons:
        raise InvalidFilterException(detail=f"{op.value} does not apply to this attribute.")
    return comparisons[op]()


def _in_utc(moment: datetime) -> datetime:
    # Times are stored in UTC; a time at the edge of the calendar may have no UTC form
    # ("0001-01-01T00:00:00+01:00"), and is then the calendar's edge.
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if moment.year == datetime.min.year else datetime.max
        return edge.replace(tzinfo=UTC)


def compare(stored: Stored, op: Op, value: Any) -> ColumnElement[bool]:
    """Return the condition ``attribute op value`` for an attribute kept in ``stored``."""
    column = stored.expression
    if value is None:
        if op is Op.eq:
            return column.is_(None) if stored.nullable else false()
        if op is Op.ne:
            return column.is_not(None) if stored.nullable else true()
        raise InvalidFilterException(detail=f"{op.value} cannot compare with null.")
    if op is Op.ne:
        return not_(compare(stored, Op.eq, value))
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        condition = _string_comparison(stored, op, value)
    elif isinstance(value, bool | int | float | datetime):
        if op in (Op.co, Op.sw, Op.ew):
            raise InvalidFilterException(detail=f"{op.value} applies to strings only.")
        if isinstance(value, int) and not isinstance(value, bool):
            # The only integer kept is the level, a SMALLINT: PostgreSQL refuses to bind a
            # value beyond its range, which compares as the range's bound anyway.
            value = max(SMALLINT_RANGE[0], min(value, SMALLINT_RANGE[1]))
        if isinstance(value, datetime):
            value = _in_utc(value)
        # Bound with the column's type, so that a time is converted to UTC as it is stored.
        condition = _ordered(column, op, literal(value, type_=column.type))
    else:
        raise InvalidFilterException(detail=f"Cannot compare with {value!r}.")
    # A missing value compares as false (not as SQL's unknown), so that `not` negates it.
    return and_(column.is_not(None), condition) if stored.nullable else condition


def present(stored: Stored) -> ColumnElement[bool]:
    """Return the condition ``attribute pr``: it has a non-empty value."""
    column = stored.expression
    if not stored.nullable:
        return true()
    if isinstance(column.type, String):
        return and_(column.is_not(None), column != "")
    return column.is_not(None)


class PeopleCondition(FilterVisitor[ColumnElement[bool]]):
    """Translate a SCIM filter on users into a SQL condition on people."""

    def __init__(self, scim_filter: ScimFilter[Any], scope: AttrPath | None = None) -> None:
        self.filter = scim_filter
        self.scope = scope

    def _within_scope(self, attr_path: AttrPath) -> AttrPath:
        if self.scope is None:
            return attr_path
        if attr_path.sub_attr is not None or attr_path.uri is not None:
            raise InvalidFilterException(
                detail=f"{attr_path} cannot be named inside {self.scope}[...]."
            )
        return AttrPath(attr=self.scope.attr, sub_attr=attr_path.attr, uri=self.scope.uri)

    def _stored(self, attr_path: AttrPath, *, for_comparison: bool) -> tuple[Any, Stored]:
        path = self._within_scope(attr_path)
        if for_comparison:
            binding = self.filter.resolve_comparison(path)
        else:
            binding = self.filter.resolve(path)
        assert binding is not None  # the filter is bound to the user model
        key = (str(binding.model.__schema__), binding.field_name, binding.sub_field_name)
        stored = STORED.get(key)
        if stored is None:
            raise InvalidFilterException(
                detail=f"Rapport does not keep {path}, so it cannot filter on it; "
                f"filter on {FILTERABLE}."
            )
        return binding, stored

    def visit_comparison(self, node: Comparison) -> ColumnElement[bool]:
        binding, stored = self._stored(node.attr_path, for_comparison=True)
        return compare(stored, node.op, coerce_value(binding, node.value, node.op))

    def visit_present(self, node: Present) -> ColumnElement[bool]:
        _binding, stored = self._stored(node.attr_path, for_comparison=False)
        return present(stored)

    def visit_not(self, node: Not) -> ColumnElement[bool]:
        return not_(self.visit(node.expr))

    def visit_logical_expr(self, node: LogicalExpr) -> ColumnElement[bool]:
        terms = [self.visit(term) for term in node.terms]
        return and_(*terms) if node.op is LogicalOperator.and_ else or_(*terms)

    def visit_value_path(self, node: ValuePath) -> ColumnElement[bool]:
        if self.scope is not None:
            raise InvalidFilterException(detail="Value filters cannot be nested.")
        # Every user has exactly one email, so a filter on "the" entry is a filter on it.
        return PeopleCondition(self.filter, scope=node.attr_path).visit(node.val_filter)


def condition(scim_filter: ScimFilter[Any] | None) -> ColumnElement[bool]:
    """Return the SQL condition of a filter bound to the user model (true without a filter)."""
    if scim_filter is None:
        return true()
    node: FilterNode = scim_filter.ast
    return PeopleCondition(scim_filter).visit(node)
