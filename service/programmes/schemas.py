"""The representations of programmes, participants and runs."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service import examples
from service.fields import boolean, choice, integer, text, timestamp
from service.people.schemas import PersonQueryArgsSchema
from service.programmes.models import KINDS, METHODS, PUBLISH_AS, ROLES, RUN_STATUSES, STATUSES
from service.recommendations.schemas import ComponentsSchema

PERSON = examples.PERSON
OTHER = examples.PERSON


def _person_id(description: str, **kwargs) -> ma.fields.String:
    return text(40, description=description, example=PERSON, **kwargs)


class PairSchema(ma.Schema):
    """A mentee and a mentor."""

    mentee_id = _person_id("The mentee.", required=True)
    mentor_id = _person_id("The mentor.", required=True)


class ProgrammeRulesSchema(ma.Schema):
    """The rules every run of a programme keeps (the manager chain is always excluded)."""

    avoid_recent_months = integer(
        0,
        120,
        load_default=12,
        description="Never pair two people who had a mentorship that started in this many "
        "months (0: no limit).",
        example=12,
    )
    forbidden_pairs = ma.fields.List(
        ma.fields.Nested(PairSchema),
        load_default=list,
        validate=validate.Length(max=1000),
        metadata={"description": "Pairs that must never be made."},
    )
    pinned_pairs = ma.fields.List(
        ma.fields.Nested(PairSchema),
        load_default=list,
        validate=validate.Length(max=1000),
        metadata={"description": "Pairs every run keeps, decided beforehand."},
    )
    min_score = ma.fields.Float(
        load_default=0.0,
        validate=validate.Range(0.0, 1.0),
        metadata={"description": "Pairs scoring below this are never made.", "example": 0.2},
    )
    capacity_overrides = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Length(min=1, max=40)),
        values=integer(0, 50),
        load_default=dict,
        metadata={
            "description": "Mentees per mentor in this programme, by person id (default: the "
            "free capacity of their profile).",
            "example": {PERSON: 3},
        },
    )
    group_size = integer(
        2, 8, load_default=2, description="Intro rounds: people per group.", example=2
    )
    avoid_recent_rounds = integer(
        0,
        52,
        load_default=6,
        description="Intro rounds: never repeat a pair from this many previous rounds.",
        example=6,
    )
    preference_length = integer(
        1,
        200,
        load_default=50,
        description="L: each mentee's list holds their best L eligible mentors.",
        example=50,
    )


class ProgrammeSchema(ma.Schema):
    """A programme: who takes part, by which rules, and its runs."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": "prg_01JD3Q5X4J8Z6V2M9N7K1R0T5B"},
    )
    name = text(200, blank=False, required=True, description="Name.", example="Spring mentoring")
    description = ma.fields.String(
        allow_none=True,
        validate=validate.Length(max=4000),
        metadata={"description": "What it is for.", "example": "Mentors for new engineers."},
    )
    kind = choice(
        KINDS,
        required=True,
        description="`mentoring`, `reverse_mentoring`, `cross_functional` or `intro_rounds`.",
        example="mentoring",
    )
    status = choice(
        STATUSES,
        load_default="open",
        description="Members join or leave only an `open` programme.",
        example="open",
    )
    starts_on = ma.fields.Date(
        allow_none=True, metadata={"description": "First day.", "example": "2027-03-01"}
    )
    ends_on = ma.fields.Date(
        allow_none=True, metadata={"description": "Last day.", "example": "2027-06-30"}
    )
    cadence_days = integer(
        1, 180, load_default=14, description="Days between sessions of its pairs.", example=14
    )
    mentorship_ends_on = ma.fields.Date(
        allow_none=True,
        metadata={
            "description": "End date of the mentorships it creates.",
            "example": "2027-06-30",
        },
    )
    publish_as = choice(
        PUBLISH_AS,
        load_default="proposed",
        description="Status of the mentorships a published run creates.",
        example="proposed",
    )
    rules = ma.fields.Nested(
        ProgrammeRulesSchema, load_default=dict, metadata={"description": "Matching rules."}
    )
    published_run_id = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The run that was published, if any.", "example": None},
    )
    created_at = timestamp(dump_only=True, description="When it was created.")
    updated_at = timestamp(dump_only=True, description="When it last changed.")

    @ma.validates_schema
    def _dates_in_order(self, data: dict, **_kwargs: object) -> None:
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            raise ma.ValidationError("ends_on is before starts_on.", field_name="ends_on")


class ProgrammeQueryArgsSchema(ma.Schema):
    """Filters of the programme list."""

    kind = choice(KINDS, description="Only programmes of this kind.", example="mentoring")
    status = choice(STATUSES, description="Only programmes in this status.", example="open")


class ProgrammeParticipantSchema(ma.Schema):
    """A person's enrolment in a programme."""

    id = ma.fields.String(
        dump_only=True,
        metadata={"description": "Opaque id.", "example": "ppt_01JD3Q5X4J8Z6V2M9N7K1R0T5B"},
    )
    programme_id = ma.fields.String(
        dump_only=True,
        metadata={"description": "The programme.", "example": "prg_01JD3Q5X4J8Z6V2M9N7K1R0T5B"},
    )
    person_id = _person_id("The person.", dump_only=True)
    role = choice(ROLES, description="`mentee`, `mentor` or `either`.", example="mentee")
    joined_at = timestamp(dump_only=True, description="When they were enrolled.")


class EnrolmentSchema(ma.Schema):
    """Who to enrol, in which role: ids, people filters, or (a member) oneself."""

    role = choice(
        ROLES,
        required=True,
        description="`mentee`, `mentor`, or `either` (intro rounds only).",
        example="mentee",
    )
    person_ids = ma.fields.List(
        ma.fields.String(validate=validate.Length(min=1, max=40)),
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "People to enrol (admins).", "example": [PERSON, OTHER]},
    )
    filters = ma.fields.Nested(
        PersonQueryArgsSchema,
        metadata={
            "description": "Enrol the active people matching the filters of `/v1/people` (admins)."
        },
    )


class EnrolledSchema(ma.Schema):
    """The people just enrolled."""

    enrolled = ma.fields.List(
        ma.fields.Nested(ProgrammeParticipantSchema), metadata={"description": "New participants."}
    )


class ParticipantQueryArgsSchema(ma.Schema):
    """Filters of the participant list."""

    role = choice(ROLES, description="Only participants in this role.", example="mentor")


class RunRequestSchema(ma.Schema):
    """How to match the cohort."""

    method = choice(
        METHODS,
        load_default="stable",
        description="`stable` (mentee-proposing deferred acceptance), `optimal` (largest total "
        "score) or `greedy` (best score first, the baseline).",
        example="stable",
    )


class AssignmentSchema(ma.Schema):
    """One pair of a run, explained."""

    mentee_id = _person_id("The mentee.")
    mentor_id = _person_id("The mentor.")
    score = ma.fields.Float(
        allow_none=True,
        metadata={"description": "The mentee's score of the mentor, in [0, 1].", "example": 0.71},
    )
    components = ma.fields.Nested(
        ComponentsSchema,
        allow_none=True,
        metadata={
            "description": "The parts of the score.",
            "example": {"skill_fit": 0.8, "mutual_benefit": 0.2, "availability": 1.0},
        },
    )
    rank = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "Position of the mentor in the mentee's list, from 1.",
            "example": 2,
        },
    )
    explanation = ma.fields.String(
        metadata={
            "description": "Why this pair, from the run's own lists.",
            "example": "Ava was your first choice; she had room.",
        }
    )
    reasons = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "The evidence behind the score.",
            "example": ["teaches kubernetes (level 5) — on your learning list (priority 1)"],
        },
    )
    pinned = boolean(description="Fixed by an administrator, not by the algorithm.", example=False)


class UnmatchedSchema(ma.Schema):
    """A mentee left without a mentor, and why."""

    mentee_id = _person_id("The mentee.")
    reason = ma.fields.String(
        metadata={
            "description": "`no_eligible_mentor`, `below_minimum_score`, `mentors_full` or "
            "`dropped_in_review`.",
            "example": "mentors_full",
        }
    )
    explanation = ma.fields.String(
        metadata={
            "description": "In a sentence.",
            "example": "Every mentor on your list (Ava) was filled by mentees they could help more.",
        }
    )


class MetricsSchema(ma.Schema):
    """How good a matching is."""

    mentees = ma.fields.Integer(metadata={"description": "Mentees in the cohort.", "example": 300})
    mentors = ma.fields.Integer(metadata={"description": "Mentors in the cohort.", "example": 80})
    matched = ma.fields.Integer(metadata={"description": "Mentees matched.", "example": 240})
    matched_share = ma.fields.Float(
        metadata={"description": "Share of mentees matched.", "example": 0.8}
    )
    total_score = ma.fields.Float(metadata={"description": "Sum of pair scores.", "example": 151.2})
    mean_score = ma.fields.Float(
        allow_none=True, metadata={"description": "Mean pair score.", "example": 0.63}
    )
    mean_rank = ma.fields.Float(
        allow_none=True,
        metadata={"description": "Mean rank of the mentor in the mentee's list.", "example": 1.7},
    )
    worst_rank = ma.fields.Integer(
        allow_none=True, metadata={"description": "Worst such rank.", "example": 9}
    )
    blocking_pairs = ma.fields.Integer(
        metadata={
            "description": "Pairs of a mentee and a listed mentor who both prefer each other to "
            "what they got (0 for `stable`).",
            "example": 0,
        }
    )
    capacity_violations = ma.fields.Integer(
        metadata={"description": "Mentees over capacity, summed (always 0).", "example": 0}
    )
    mentor_load_gini = ma.fields.Float(
        metadata={"description": "Gini coefficient of mentor loads (0: even).", "example": 0.21}
    )
    cross_division_share = ma.fields.Float(
        allow_none=True,
        metadata={"description": "Share of pairs across two divisions.", "example": 0.45},
    )


class GroupSchema(ma.Schema):
    """A group of an intro round."""

    person_ids = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Who meets.", "example": [PERSON, OTHER]},
    )
    score = ma.fields.Float(
        metadata={"description": "Mean cross-functional score of the group.", "example": 0.52}
    )
    repeats = boolean(
        description="A pair in it met in a recent round: nobody else was left.", example=False
    )


class IntroSchema(ma.Schema):
    """One intro of a person: whom they were to meet in one round, and whether they did."""

    programme_id = ma.fields.String(
        metadata={"description": "The programme.", "example": "prg_01JD3Q5X4J8Z6V2M9N7K1R0T5B"}
    )
    run_id = ma.fields.String(
        metadata={"description": "The round.", "example": "run_01JD3Q5X4J8Z6V2M9N7K1R0T5B"}
    )
    person_ids = ma.fields.List(
        ma.fields.String(), metadata={"description": "Whom to meet.", "example": [OTHER]}
    )
    drawn_at = timestamp(description="When the round was published.")
    status = ma.fields.String(
        metadata={
            "description": "`met` (an interaction was logged with one of them before the next "
            "round), `pending` (the current round) or `ignored`.",
            "example": "met",
        }
    )


class IntrosSchema(ma.Schema):
    """A person's intros, newest first, and whether they are paused."""

    person_id = _person_id("Whose intros.")
    paused = boolean(
        description="Three rounds ignored in a row: left out of the next rounds until they "
        "meet someone or rejoin.",
        example=False,
    )
    notice = ma.fields.String(
        allow_none=True,
        metadata={"description": "What the person is told.", "example": None},
    )
    items = ma.fields.List(ma.fields.Nested(IntroSchema), metadata={"description": "Intros."})


class RunSchema(ma.Schema):
    """A matching run: its status and, once it succeeded, the draft."""

    id = ma.fields.String(
        metadata={"description": "Opaque id.", "example": "run_01JD3Q5X4J8Z6V2M9N7K1R0T5B"}
    )
    programme_id = ma.fields.String(
        metadata={"description": "The programme.", "example": "prg_01JD3Q5X4J8Z6V2M9N7K1R0T5B"}
    )
    method = choice(
        (*METHODS, "round"),
        description="How the cohort is matched (`round`: an intro round).",
        example="stable",
    )
    groups = ma.fields.List(
        ma.fields.Nested(GroupSchema),
        attribute="shown_groups",
        metadata={"description": "Intro rounds: the groups drawn (a member sees their own)."},
    )
    status = choice(
        RUN_STATUSES,
        description="queued → running → succeeded (a draft) or failed; a draft is published "
        "or discarded.",
        example="succeeded",
    )
    progress = ma.fields.Float(metadata={"description": "Share done, 0 to 1.", "example": 1.0})
    error = ma.fields.String(
        allow_none=True, metadata={"description": "Why it failed.", "example": None}
    )
    assignments = ma.fields.List(
        ma.fields.Nested(AssignmentSchema),
        attribute="shown_assignments",
        metadata={"description": "The pairs (a member sees only their own, once published)."},
    )
    unmatched = ma.fields.List(
        ma.fields.Nested(UnmatchedSchema),
        attribute="shown_unmatched",
        metadata={"description": "Mentees left without a mentor, with the reason."},
    )
    metrics = ma.fields.Nested(
        MetricsSchema,
        allow_none=True,
        attribute="shown_metrics",
        metadata={
            "description": "The quality of this draft (admins).",
            "example": {"matched_share": 0.8, "blocking_pairs": 0},
        },
    )
    baseline = ma.fields.Nested(
        MetricsSchema,
        allow_none=True,
        attribute="shown_baseline",
        metadata={
            "description": "The same metrics for a greedy fill of the same cohort (admins).",
            "example": {"matched_share": 0.8, "blocking_pairs": 12},
        },
    )
    created_at = timestamp(description="When it was requested.")
    started_at = timestamp(allow_none=True, description="When it started.")
    finished_at = timestamp(allow_none=True, description="When it finished.")
    published_at = timestamp(allow_none=True, description="When it was published.")


class ReviewSchema(ma.Schema):
    """One change to a draft: pin a pair, swap two mentees' mentors, or drop a pair."""

    action = choice(
        ("pin", "swap", "drop"),
        required=True,
        description="`pin` (mentee_id to mentor_id), `swap` (mentee_id and other_mentee_id "
        "exchange mentors) or `drop` (mentee_id loses their mentor).",
        example="pin",
    )
    mentee_id = _person_id("The mentee.", required=True)
    mentor_id = _person_id("The mentor (pin).")
    other_mentee_id = text(40, description="The other mentee (swap).", example=OTHER)


class PreferenceQueryArgsSchema(ma.Schema):
    """Whose list to read."""

    mentee_id = text(40, description="A mentee: their mentors, best first.", example=PERSON)
    mentor_id = text(
        40, description="A mentor: the mentees who listed them, best first.", example=OTHER
    )


class PreferenceItemSchema(ma.Schema):
    """One entry of a list."""

    person_id = _person_id("The mentor (mentee's list) or mentee (mentor's list).")
    score = ma.fields.Float(
        metadata={"description": "The owner's score of them, in [0, 1].", "example": 0.71}
    )
    rank = ma.fields.Integer(metadata={"description": "Position, from 1.", "example": 1})


class PreferencesSchema(ma.Schema):
    """A preference list the run used."""

    person_id = _person_id("Whose list.")
    side = ma.fields.String(metadata={"description": "`mentee` or `mentor`.", "example": "mentee"})
    capacity = ma.fields.Integer(
        allow_none=True, metadata={"description": "The mentor's capacity.", "example": 2}
    )
    items = ma.fields.List(
        ma.fields.Nested(PreferenceItemSchema), metadata={"description": "Best first."}
    )
