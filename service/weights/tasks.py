"""Background work of the weights: the weekly learning (the platform's beat schedules it)."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from flask import current_app

from service import db
from service.weights import logic
from service.weights.models import WeightSet


def settings_of(config) -> logic.LearningSettings:
    """The learning's settings, from an application's configuration."""
    return logic.LearningSettings(
        retention_days=config["IMPRESSION_RETENTION_DAYS"],
        min_outcomes=config["LEARNING_MIN_OUTCOMES"],
        max_gini_increase=config["LEARNING_MAX_GINI_INCREASE_PERMILLE"] / 1000.0,
    )


def learn_now(now: datetime) -> WeightSet:
    """Learn, evaluate and (if it earns it) adopt a weight set, in the current app's database."""
    session = db.session()
    index = current_app.extensions["rapport.recommendations"].fresh(session)
    weight_set = logic.learn(session, index, settings_of(current_app.config), now)
    session.commit()
    return weight_set


@shared_task(name="rapport.weights.learn")
def learn_weights() -> dict:
    """Learn weights from the outcomes kept so far (meant to run weekly)."""
    weight_set = learn_now(db.utcnow())
    return {"version": weight_set.version, "adopted": weight_set.recommended}
