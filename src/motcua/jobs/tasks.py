"""The Celery task behind every entry of the beat schedule."""

from motcua.celery import app

from .schedule import run


@app.task(name="motcua.jobs.run", acks_late=True)
def run_job(name: str) -> dict[str, int]:
    return run(name)
