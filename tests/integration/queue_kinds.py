"""A kind of job for the queue tests: it writes skills, and hangs midway on its first attempt."""

from __future__ import annotations

import os
import time
from pathlib import Path

from service.jobs import logic as jobs
from service.skills.models import Skill


def slow_skills(session, run: jobs.JobRun) -> dict:
    """Write ``count`` skills in one transaction; on attempt 1 with ``hang_at``, stop there."""
    count, prefix = run.params["count"], run.params["prefix"]
    for i in range(count):
        session.add(Skill(name=f"{prefix}-{i}", category="test"))
        session.flush()
        if run.attempt == 1 and i == run.params.get("hang_at"):
            # Half the rows are written, not committed: tell the test who to kill, and wait.
            Path(run.params["signal"]).write_text(str(os.getpid()))
            time.sleep(300)
    return {"written": count}


jobs.register("test.slow_skills", slow_skills)
