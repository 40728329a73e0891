"""Jobs: background work that clients start and poll, run by Celery workers.

How another package runs its work as a job::

    # yourpackage/jobs.py — imported by yourpackage/api.py, so the worker knows it too
    from service.jobs import logic as jobs

    def run_programme(session, run: jobs.JobRun) -> dict | None:
        for i, chunk in enumerate(chunks):
            ...                                  # write through `session`; do not commit
            run.progress((i + 1) / len(chunks))  # 0–1; raises JobCancelled if cancelled
        run.result_url = f"/v1/programmes/{...}/runs/{...}"
        return {"assigned": 42}                  # the job's `result` (JSON)

    jobs.register("programme.run", run_programme, cancellable=True)

    # in the view: create, commit, start, answer 202 with Location
    from service.jobs.api import ACCEPTED, accepted   # ACCEPTED documents the 202 (alt_response)
    job = jobs.create(session, "programme.run", caller=current_caller(),
                      params={"programme_id": pid}, now=clock.now())
    session.commit()
    jobs.start(job)
    return accepted(job)

The runner's writes and the job's outcome commit together (one transaction), so a job whose
worker is killed leaves no partial writes; the message goes back to the queue (late
acknowledgement) and another worker runs it again, at most ``RAPPORT_JOBS_MAX_ATTEMPTS``
times. A runner that must commit on its own (as the HR import does) must be safe to run
twice. Raising a :class:`service.errors.Problem` fails the job with that problem; any other
exception fails it with an internal error (logged). Every finished job publishes the
``job.completed`` webhook event. Without ``REDIS_URL``, :func:`logic.start` runs the job at
once, in-process.
"""
