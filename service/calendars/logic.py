"""Use-cases of calendar feeds: issue and revoke a feed token, render the feed."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.auth import Caller, hash_secret
from service.calendars.models import CalendarFeed
from service.errors import Forbidden, NotFound
from service.events.models import Event as GatheringEvent
from service.events.models import EventParticipant
from service.interactions.models import Interaction
from service.mentorships.logic import is_active, today_of
from service.mentorships.models import Mentorship
from service.people.logic import get_person
from service.people.models import Person
from service.relationships.logic import Settings, check_ins, ties_of

FEED_PREFIX = "rapcal_"
PRODID = "-//Rapport//Calendar feed//EN"
# How long each kind of entry lasts in the calendar.
FOLLOW_UP_MINUTES = 15
MEETING_MINUTES = 30


def authorize(caller: Caller, person_id: str) -> None:
    """A member manages only their own feed; admins anyone's."""
    if caller.is_member and not caller.is_person(person_id):
        raise Forbidden("A member token manages only its own calendar feed.")
    if not (caller.is_member or caller.is_admin):
        raise Forbidden("Calendar feeds are for members and admins.")


def issue(session: Session, person_id: str, now: datetime) -> tuple[CalendarFeed, str]:
    """Issue a new feed token for a person, revoking the earlier ones; return it and its secret."""
    get_person(session, person_id)
    revoke(session, person_id, now)
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed(person_id=person_id, secret_hash=hash_secret(secret), created_at=now)
    session.add(feed)
    session.flush()
    return feed, secret


def revoke(session: Session, person_id: str, now: datetime) -> int:
    """Revoke a person's feed tokens; return how many were active."""
    return session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount


def authenticate(session: Session, person_id: str, secret: str | None) -> Person:
    """Return the person whose feed ``secret`` opens, or 404 (a wrong token reveals nothing)."""
    feed = (
        session.scalar(
            select(CalendarFeed).where(
                CalendarFeed.secret_hash == hash_secret(secret),
                CalendarFeed.revoked_at.is_(None),
            )
        )
        if secret
        else None
    )
    if feed is None or feed.person_id != person_id:
        raise NotFound("No calendar feed has this address; ask for a new one.")
    return get_person(session, person_id)


def _event(uid: str, summary: str, start: datetime, minutes: int, now: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("dtstamp", now)
    return event


def feed(
    session: Session, person: Person, now: datetime, days_ahead: int, settings: Settings
) -> bytes:
    """Render a person's feed: open follow-ups, check-ins due, mentorship meetings by cadence,
    and the events they joined."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Rapport — {person.name}")
    calendar.add("refresh-interval;value=duration", "PT1H")
    horizon = now + timedelta(days=days_ahead)
    names = dict(session.execute(select(Person.id, Person.name)).all())

    follow_ups = session.scalars(
        select(Interaction).where(
            Interaction.person_id == person.id,
            Interaction.follow_up_done.is_(False),
            Interaction.follow_up_due_at.is_not(None),
            Interaction.follow_up_due_at <= horizon,
        )
    )
    for interaction in follow_ups:
        assert interaction.follow_up_due_at is not None
        contact = names.get(interaction.contact_id, "a contact")
        calendar.add_component(
            _event(
                f"follow-up-{interaction.id}@rapport",
                f"Follow up with {contact}",
                interaction.follow_up_due_at,
                FOLLOW_UP_MINUTES,
                now,
            )
        )

    for tie in check_ins(ties_of(session, person.id, now, settings)):
        assert tie.next_check_in_at is not None
        contact = names.get(tie.contact_id, "a contact")
        calendar.add_component(
            _event(
                f"check-in-{person.id}-{tie.contact_id}@rapport",
                f"Check in with {contact}",
                max(tie.next_check_in_at, now.replace(minute=0, second=0, microsecond=0)),
                FOLLOW_UP_MINUTES,
                now,
            )
        )

    mentorships = session.scalars(
        select(Mentorship).where(
            or_(Mentorship.mentor_id == person.id, Mentorship.mentee_id == person.id),
            is_active(today_of(now)),
        )
    )
    for mentorship in mentorships:
        other = mentorship.mentee_id if mentorship.mentor_id == person.id else mentorship.mentor_id
        first = (mentorship.accepted_at or mentorship.created_at) + timedelta(
            days=mentorship.cadence_days
        )
        event = _event(
            f"mentorship-{mentorship.id}@rapport",
            f"{mentorship.kind.replace('_', ' ').capitalize()} session with "
            f"{names.get(other, 'your pair')}",
            first,
            MEETING_MINUTES,
            now,
        )
        rule: dict = {"freq": "daily", "interval": mentorship.cadence_days}
        if mentorship.ends_on is not None:
            rule["until"] = datetime.combine(mentorship.ends_on, first.timetz())
        event.add("rrule", rule)
        calendar.add_component(event)

    joined = session.scalars(
        select(GatheringEvent)
        .join(EventParticipant, EventParticipant.event_id == GatheringEvent.id)
        .where(
            EventParticipant.person_id == person.id,
            GatheringEvent.ended_at.is_(None),
            GatheringEvent.starts_at <= horizon,
            GatheringEvent.starts_at >= now - timedelta(days=1),
        )
    )
    for gathering in joined:
        event = _event(
            f"event-{gathering.id}@rapport",
            gathering.title,
            gathering.starts_at,
            gathering.duration_minutes,
            now,
        )
        if gathering.location or gathering.link:
            event.add("location", gathering.location or gathering.link)
        calendar.add_component(event)
    return calendar.to_ical()
