"""Gunicorn settings of the production web server (SPEC §5: stateless app servers behind a
load balancer), every one from the environment::

    DJANGO_SETTINGS_MODULE=motcua.settings.prod gunicorn -c python:motcua.gunicorn_conf

or ``motcua serve``, which runs the same. ``MOTCUA_BIND`` (``0.0.0.0:8000``; several
addresses separated by commas), ``MOTCUA_WEB_WORKERS`` (2 × CPUs + 1), ``MOTCUA_WEB_THREADS``
(1), ``MOTCUA_WEB_TIMEOUT`` (seconds a request may take, 60), ``MOTCUA_WEB_MAX_REQUESTS``
(a worker is replaced after this many requests, 0: never), ``MOTCUA_ACCESS_LOG`` (``-``:
standard output; empty: none), ``MOTCUA_FORWARDED_ALLOW_IPS`` (the load balancers trusted
for ``X-Forwarded-*``, ``127.0.0.1``).
"""

import os

wsgi_app = "motcua.wsgi:application"
bind = [item.strip() for item in os.environ.get("MOTCUA_BIND", "0.0.0.0:8000").split(",")]
workers = int(os.environ.get("MOTCUA_WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("MOTCUA_WEB_THREADS", "1"))
timeout = int(os.environ.get("MOTCUA_WEB_TIMEOUT", "60"))
graceful_timeout = timeout
keepalive = 5
max_requests = int(os.environ.get("MOTCUA_WEB_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("MOTCUA_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("MOTCUA_LOG_LEVEL", "INFO").lower()
forwarded_allow_ips = os.environ.get("MOTCUA_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "motcua"
# No control socket in the home folder: several servers may share a machine; operators use
# signals (HUP reloads, TTIN/TTOU add or remove a worker).
control_socket_disable = True
