"""People as SCIM users and back: which attribute is which column, and the defaults SCIM lacks.

| SCIM attribute                                    | person                              |
| ------------------------------------------------- | ----------------------------------- |
| ``id``                                            | ``id``                              |
| ``externalId`` (the identity provider's id)       | ``idp_id``                          |
| enterprise ``employeeNumber`` (the HR id)         | ``external_id`` (a CSV's Employee ID)|
| ``userName``                                      | ``email`` when it is an email, else |
|                                                   | ``user_name`` (kept as given)       |
| ``emails[primary, else work].value``              | ``email``                           |
| ``name.formatted``, else ``name.givenName`` +     | ``name``                            |
| ``name.familyName``, else ``displayName``         |                                     |
| ``name.givenName`` / ``name.familyName``          | ``given_name`` / ``family_name``    |
| ``title``                                         | ``title``                           |
| ``active``                                        | ``active``                          |
| enterprise ``department``                         | ``team`` (as a CSV's Department)    |
| enterprise ``division``                           | ``division``                        |
| enterprise ``manager.value``                      | ``manager_id``, or ``manager_ref``  |
|                                                   | while it names nobody yet           |
| Rapport ``function``                              | ``function``                        |
| Rapport ``level``                                 | ``level``                           |
| ``meta.created`` / ``meta.lastModified``          | ``created_at`` / ``updated_at``     |

RFC 7643 asks only that a ``userName`` be unique: when it is not an email address, the work
email comes from ``emails`` (the primary one, else the one of type work). A manager may be
named by id, employee id, identity provider id or email, and before they are provisioned:
the reference is kept and resolved when they arrive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from marshmallow.validate import Email as EmailValidator
from scim2_models import InvalidValueException, Meta, Name

from service.people.models import FUNCTIONS, Person
from service.scim.resources import (
    ENTERPRISE_USER,
    RAPPORT_USER,
    Email,
    EnterpriseUser,
    Manager,
    RapportUser,
    ScimUser,
)

RESOURCE_TYPE = "User"

# The longest value each column holds (the limits of /v1/people).
_LIMITS = {
    "name": 200,
    "title": 200,
    "team": 120,
    "division": 120,
    "external_id": 128,
    "idp_id": 128,
    "email": 254,
    "user_name": 254,
    "given_name": 100,
    "family_name": 100,
    "manager_ref": 254,
}
# The SCIM attribute each column comes from, to name it in errors.
ATTRIBUTES = {
    "email": "userName",
    "user_name": "userName",
    "name": "name",
    "given_name": "name.givenName",
    "family_name": "name.familyName",
    "title": "title",
    "idp_id": "externalId",
    "external_id": f"{ENTERPRISE_USER}:employeeNumber",
    "manager_ref": f"{ENTERPRISE_USER}:manager.value",
    "active": "active",
    "team": f"{ENTERPRISE_USER}:department",
    "division": f"{ENTERPRISE_USER}:division",
    "manager_id": f"{ENTERPRISE_USER}:manager.value",
    "function": f"{RAPPORT_USER}:function",
    "level": f"{RAPPORT_USER}:level",
}

# Words and phrases that name a function in a department, division or title. A phrase is
# matched before the words in it ("people operations" is people, not operations); when a
# name mentions several functions the last mention wins, since English puts the discipline
# last ("Product Design" is design, "Product Marketing" is marketing).
FUNCTION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "engineering": (
        "engineering",
        "engineer",
        "software",
        "development",
        "developer",
        "r&d",
        "research and development",
        "platform",
        "infrastructure",
        "devops",
        "sre",
        "site reliability",
        "it",
        "information technology",
        "security",
        "qa",
        "quality assurance",
        "technology",
    ),
    "product": ("product", "products", "product management", "product manager"),
    "design": ("design", "designer", "ux", "ui", "user experience", "creative"),
    "data": (
        "data",
        "data science",
        "data scientist",
        "analytics",
        "business intelligence",
        "bi",
        "machine learning",
        "ml",
        "ai",
    ),
    "sales": (
        "sales",
        "sales engineering",
        "sales engineer",
        "business development",
        "account management",
        "account executive",
        "partnerships",
    ),
    "marketing": (
        "marketing",
        "communications",
        "brand",
        "growth",
        "pr",
        "public relations",
        "content",
    ),
    "operations": (
        "operations",
        "ops",
        "supply chain",
        "logistics",
        "facilities",
        "procurement",
    ),
    "finance": (
        "finance",
        "financial",
        "accounting",
        "accountant",
        "treasury",
        "tax",
        "fp&a",
        "controlling",
        "payroll",
    ),
    "people": (
        "people",
        "people operations",
        "people ops",
        "hr",
        "hr operations",
        "human resources",
        "talent",
        "recruiting",
        "recruitment",
        "recruiter",
    ),
    "legal": ("legal", "compliance", "counsel", "privacy", "lawyer", "attorney"),
    "support": (
        "support",
        "customer support",
        "customer success",
        "customer service",
        "customer care",
        "helpdesk",
        "help desk",
        "service desk",
    ),
}
_PHRASES = {
    tuple(phrase.split()): function
    for function, phrases in FUNCTION_KEYWORDS.items()
    for phrase in phrases
}
_LONGEST_PHRASE = max(len(words) for words in _PHRASES)
_WORD = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")
assert set(FUNCTION_KEYWORDS) == set(FUNCTIONS)


@dataclass(frozen=True)
class Defaults:
    """What a person created through SCIM gets when the request does not say."""

    function: str
    level: int


def function_named_in(text: str | None) -> str | None:
    """Return the function a department, division or title names, or None."""
    words = _WORD.findall((text or "").casefold())
    found = None
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            function = _PHRASES.get(tuple(words[i : i + size]))
            if function is not None:
                found = function
                i += size
                break
        else:
            i += 1
    return found


def derived_function(*names: str | None) -> str | None:
    """Return the function named by the first of ``names`` that names one."""
    for name in names:
        function = function_named_in(name)
        if function is not None:
            return function
    return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _checked(column: str, value: Any) -> Any:
    limit = _LIMITS.get(column)
    if isinstance(value, str) and limit is not None and len(value) > limit:
        raise InvalidValueException(
            detail=f"{ATTRIBUTES[column]}: at most {limit} characters, not {len(value)}."
        )
    return value


def _is_email(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return True


def _work_email(user: Any) -> str | None:
    """The address of ``emails`` that is primary, else of type work."""
    emails = [e for e in user.emails or [] if _clean(e.value)]
    for choose in (lambda e: e.primary, lambda e: str(e.type or "") == "work"):
        for entry in emails:
            if choose(entry):
                return _clean(entry.value)
    return None


def _identity(user: Any) -> dict[str, Any]:
    """The email and the userName (None when it is the email) of a SCIM user."""
    user_name = _clean(user.user_name) or ""
    if _is_email(user_name):
        return {"email": _checked("email", user_name), "user_name": None}
    email = _work_email(user)
    if email is None:
        raise InvalidValueException(
            detail=f"userName: {user_name!r} is not an email address and emails holds no "
            "primary or work address; Rapport needs each person's work email."
        )
    if not _is_email(email):
        raise InvalidValueException(detail=f"emails: {email!r} is not an email address.")
    return {"email": _checked("email", email), "user_name": _checked("user_name", user_name)}


def to_user(person: Person, location: Callable[[str], str] | None = None) -> Any:
    """Return a person as a SCIM user; ``location`` gives the URL of a user by id (for meta)."""
    user = ScimUser(
        id=person.id,
        external_id=person.idp_id,
        user_name=person.user_name or person.email,
        name=Name(
            formatted=person.name, given_name=person.given_name, family_name=person.family_name
        ),
        display_name=person.name,
        title=person.title,
        active=person.active,
        # Built without validation: the address was validated when it was stored.
        emails=[Email.model_construct(value=person.email, type=Email.Type.work, primary=True)],
    )
    manager = None
    if person.manager_id is not None:
        manager = Manager(
            value=person.manager_id, ref=location(person.manager_id) if location else None
        )
    elif person.manager_ref is not None:
        # Named before they arrived: answered as the identity provider gave it.
        manager = Manager(value=person.manager_ref)
    if any(v is not None for v in (person.team, person.division, person.external_id, manager)):
        user[EnterpriseUser] = EnterpriseUser(
            employee_number=person.external_id,
            department=person.team,
            division=person.division,
            manager=manager,
        )
    user[RapportUser] = RapportUser(function=person.function, level=person.level)
    if location is not None:
        user.meta = Meta(
            resource_type=RESOURCE_TYPE,
            created=person.created_at,
            # RFC 7643 §3.1: never modified, lastModified is created (the two defaults differ
            # by microseconds).
            last_modified=person.created_at if person.version == 1 else person.updated_at,
            location=location(person.id),
            version=version_of(person),
        )
    return user


def version_of(person: Person) -> str:
    """Return the ``meta.version`` of a person: a weak entity tag of its row version."""
    return f'W/"{person.id}.{person.version}"'


def _composed_name(user: Any) -> str | None:
    name = user.name
    if name is None:
        return None
    parts = [_clean(name.given_name), _clean(name.family_name)]
    return " ".join(p for p in parts if p) or None


def _name_of(user: Any) -> str | None:
    name = user.name
    return (
        (_clean(name.formatted) if name is not None else None)
        or _composed_name(user)
        or _clean(user.display_name)
    )


def _name_parts(user: Any) -> dict[str, Any]:
    name = user.name
    return {
        "given_name": _checked("given_name", _clean(name.given_name) if name else None),
        "family_name": _checked("family_name", _clean(name.family_name) if name else None),
    }


def _enterprise_fields(user: Any) -> dict[str, Any]:
    """The enterprise attributes; ``manager`` is the reference as given (the caller finds
    whom it names)."""
    enterprise = user[EnterpriseUser]
    if enterprise is None:
        return {"team": None, "division": None, "manager": None, "external_id": None}
    manager = enterprise.manager
    return {
        "team": _checked("team", _clean(enterprise.department)),
        "division": _checked("division", _clean(enterprise.division)),
        "manager": _checked("manager_ref", _clean(manager.value) if manager else None),
        "external_id": _checked("external_id", _clean(enterprise.employee_number)),
    }


def new_person(user: Any, defaults: Defaults) -> dict[str, Any]:
    """Return the fields of a person created from a SCIM user (POST).

    Without a name the ``userName`` is the name; without the Rapport extension the function
    is derived from the department, division or title, else the default, and the level is
    the default. ``manager`` is the manager reference as given.
    """
    identity = _identity(user)
    fields = {
        **identity,
        "name": _checked("name", _name_of(user) or user.user_name.strip()),
        **_name_parts(user),
        "idp_id": _checked("idp_id", _clean(user.external_id)),
        "title": _checked("title", _clean(user.title)),
        "active": True if user.active is None else user.active,
        **_enterprise_fields(user),
    }
    rapport = user[RapportUser] or RapportUser()
    fields["function"] = (
        str(rapport.function.value)
        if rapport.function is not None
        else derived_function(fields["team"], fields["division"], fields["title"])
        or defaults.function
    )
    fields["level"] = rapport.level if rapport.level is not None else defaults.level
    return fields


def replaced_person(user: Any, person: Person) -> dict[str, Any]:
    """Return the fields a SCIM user gives a person it replaces (PUT).

    Core attributes left out are cleared, but a person always keeps a name (and its parts)
    and an active flag; an extension left out entirely is not asserted and its attributes
    are kept, and so are Rapport's ``function`` and ``level`` when left out.
    """
    fields: dict[str, Any] = {
        **_identity(user),
        "idp_id": _checked("idp_id", _clean(user.external_id)),
        "title": _checked("title", _clean(user.title)),
    }
    name = _name_of(user)
    if name is not None:
        fields["name"] = _checked("name", name)
    if user.name is not None:
        fields.update(_name_parts(user))
    if user.active is not None:
        fields["active"] = user.active
    if user[EnterpriseUser] is not None:
        fields.update(_enterprise_fields(user))
    rapport = user[RapportUser]
    if rapport is not None and rapport.function is not None:
        fields["function"] = str(rapport.function.value)
    if rapport is not None and rapport.level is not None:
        fields["level"] = rapport.level
    return fields


def patched_person(before: Any, after: Any, person: Person) -> dict[str, Any]:
    """Return the fields of a person whose SCIM form went from ``before`` to ``after`` (PATCH).

    The name follows whichever of ``name.formatted``, ``name.givenName``/``familyName`` and
    ``displayName`` the patch changed, in that order; when only one of the given and family
    names is given, the other comes from the current name (its first word is the given
    name). The email follows ``userName`` when it is one, else the primary (or work) email.
    """
    fields: dict[str, Any] = {
        "idp_id": _checked("idp_id", _clean(after.external_id)),
        "title": _checked("title", _clean(after.title)),
        **_name_parts(after),
        **_enterprise_fields(after),
    }
    if after.user_name != before.user_name:
        fields.update(_identity(after))
    else:
        email = _work_email(after)
        if email is not None and email != _work_email(before):
            if not _is_email(email):
                raise InvalidValueException(detail=f"emails: {email!r} is not an email address.")
            fields["email"] = _checked("email", email)
    name = _patched_name(before, after, person.name)
    fields["name"] = _checked("name", name)
    rapport = after[RapportUser] or RapportUser()
    required = {
        "active": after.active,
        "function": str(rapport.function.value) if rapport.function is not None else None,
        "level": rapport.level,
    }
    for column, value in required.items():
        if value is None:
            raise InvalidValueException(
                detail=f"{ATTRIBUTES[column]} cannot be removed: every person has one; "
                "replace it instead."
            )
    fields.update(required)
    return fields


def _patched_name(before: Any, after: Any, current: str) -> str:
    formatted = _clean(after.name.formatted) if after.name is not None else None
    if formatted and formatted != current:
        return formatted
    name = after.name
    given = _clean(name.given_name) if name is not None else None
    family = _clean(name.family_name) if name is not None else None
    if given or family:
        first, _, rest = current.partition(" ")
        return " ".join(p for p in (given or first, family or rest.strip()) if p)
    display = _clean(after.display_name)
    if display and display != _clean(before.display_name):
        return display
    return current


def changed(person: Person, fields: dict[str, Any]) -> dict[str, Any]:
    """Return the fields whose value differs from the person's."""
    return {name: value for name, value in fields.items() if getattr(person, name) != value}
