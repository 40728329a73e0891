"""Use-cases of the prompt catalogue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import page_of
from service.errors import NotFound
from service.events.models import BingoPrompt

_FIELDS = ("text", "category", "condition", "active")


def list_prompts(
    session: Session, filters: dict[str, Any], *, offset: int, limit: int
) -> tuple[list[BingoPrompt], int]:
    """Return one page of the catalogue, by category then text, and how many in all."""
    query = select(BingoPrompt)
    if filters.get("category"):
        query = query.where(BingoPrompt.category == filters["category"])
    if filters.get("active") is not None:
        query = query.where(BingoPrompt.active.is_(filters["active"]))
    return page_of(
        session,
        query,
        BingoPrompt.category,
        BingoPrompt.text,
        BingoPrompt.id,
        offset=offset,
        limit=limit,
    )


def get_prompt(session: Session, prompt_id: str) -> BingoPrompt:
    """Return a prompt, or raise NotFound."""
    prompt = session.get(BingoPrompt, prompt_id)
    if prompt is None:
        raise NotFound(f"No prompt has id {prompt_id!r}.")
    return prompt


def create_prompt(session: Session, data: dict[str, Any], now: datetime) -> BingoPrompt:
    """Add a prompt to the catalogue."""
    prompt = BingoPrompt(created_at=now, updated_at=now)
    for name in _FIELDS:
        if name in data:
            setattr(prompt, name, data[name])
    prompt.text = prompt.text.strip()
    session.add(prompt)
    session.flush()
    return prompt


def update_prompt(
    session: Session, prompt: BingoPrompt, changes: dict[str, Any], now: datetime
) -> BingoPrompt:
    """Change a prompt; cards already dealt keep it as printed."""
    for name in _FIELDS:
        if name in changes:
            setattr(prompt, name, changes[name].strip() if name == "text" else changes[name])
    prompt.updated_at = now
    session.flush()
    return prompt
