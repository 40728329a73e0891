"""The /v1/skills resource."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.auth import ALL_ROLES, Role, roles
from service.idempotency import idempotent
from service.rest import Blueprint, conflicts, created, etag_of, item_links, patch_schema
from service.skills import logic
from service.skills.schemas import SkillQueryArgsSchema, SkillSchema

SKILL = "/v1/skills/{skill_id}"
SKILL_LINKS = item_links(SKILL)

blp = Blueprint(
    "skills",
    __name__,
    url_prefix="/v1/skills",
    description="The skill taxonomy: canonical skills, their aliases and categories.",
)


@blp.route("")
class Skills(MethodView):
    """The taxonomy."""

    @roles(*ALL_ROLES)
    @blp.arguments(SkillQueryArgsSchema, location="query")
    @blp.response(200, SkillSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List skills

        Ordered by name.
        """
        items, total = logic.list_skills(
            db.session(),
            logic.SkillFilters(q=args.get("q"), category=args.get("category")),
            offset=pagination_parameters.first_item,
            limit=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items

    @roles(Role.ADMIN)
    @idempotent
    @blp.etag
    @blp.arguments(SkillSchema)
    @blp.response(201, SkillSchema)
    @blp.doc(responses={201: {"links": SKILL_LINKS}})
    @conflicts(
        "the name or an alias already names another skill",
        "'k8s' already names the skill 'kubernetes'.",
    )
    def post(self, data):
        """Add a skill

        Its name and aliases must not already name another skill (409).
        """
        session = db.session()
        skill = logic.create_skill(
            session,
            name=data["name"],
            aliases=data.get("aliases", []),
            category=data.get("category"),
        )
        session.flush()
        blp.set_etag(etag_of(skill))
        return skill, 201, created(f"/v1/skills/{skill.id}")


@blp.route("/<string:skill_id>")
class SkillById(MethodView):
    """One skill."""

    @roles(*ALL_ROLES)
    @blp.etag
    @blp.response(200, SkillSchema)
    @blp.doc(responses={200: {"links": SKILL_LINKS}})
    def get(self, skill_id):
        """Read a skill"""
        skill = logic.get_skill(db.session(), skill_id)
        blp.set_etag(etag_of(skill))
        return skill

    @roles(Role.ADMIN)
    @blp.etag
    @blp.arguments(patch_schema(SkillSchema))
    @blp.response(200, SkillSchema)
    @blp.doc(responses={200: {"links": SKILL_LINKS}})
    @conflicts(
        "the name or an alias already names another skill",
        "'k8s' already names the skill 'kubernetes'.",
    )
    def patch(self, changes, skill_id):
        """Change a skill

        Renaming keeps every person's and goal's link to the skill.
        """
        session = db.session()
        skill = logic.get_skill(session, skill_id)
        blp.check_etag(etag_of(skill))
        logic.update_skill(session, skill, changes)
        session.commit()
        blp.set_etag(etag_of(skill))
        return skill

    @roles(Role.ADMIN)
    @blp.etag
    @blp.response(204)
    @conflicts(
        "the skill is still held, wanted or targeted",
        "The skill 'kubernetes' is still held, wanted or targeted; rename it or add an alias instead.",
    )
    def delete(self, skill_id):
        """Remove a skill

        Only a skill that nobody holds, wants or targets can be removed (409 otherwise).
        """
        session = db.session()
        skill = logic.get_skill(session, skill_id)
        blp.check_etag(etag_of(skill))
        logic.delete_skill(session, skill)
        session.commit()
