"""The Celery application of the workers and the scheduler (SPEC §5), configured from the
Django settings named ``CELERY_*`` (the broker from ``MOTCUA_BROKER_URL``: Redis, or RabbitMQ
with an ``amqp://`` URL). Only deployments that turn ``MOTCUA_OUTBOX_IN_PROCESS`` off run it::

    celery -A motcua worker
    celery -A motcua beat
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.prod")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
