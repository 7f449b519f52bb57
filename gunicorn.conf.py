"""gunicorn settings for a production Observer: `gunicorn -c gunicorn.conf.py wsgi:app`.

gunicorn also reads this file by itself when started from the repository's folder. Every value
can be changed with an environment variable (OBSERVER_WEB_*), or on the command line, which wins
over this file."""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

# Loopback only: nginx (deploy/nginx/observer.conf) is the one thing that talks to gunicorn.
bind = os.environ.get("OBSERVER_WEB_BIND", "127.0.0.1:8000")

# Requests are short and mostly wait on PostgreSQL: two workers per core, plus one.
workers = int(os.environ.get("OBSERVER_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))

# What stays synchronous: evidence uploads (up to OBSERVER_MAX_REQUEST_MB, from slow phones,
# though nginx buffers them before gunicorn sees them), a statement's PDF render at publication
# and the dashboard's CSV export. 120 s covers the slowest of them at mission scale; a worker
# stuck past that is killed and replaced.
timeout = int(os.environ.get("OBSERVER_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so a slow leak in a library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200

# The app reads the client address from X-Forwarded-For itself (OBSERVER_PROXY_COUNT); gunicorn
# only needs to know that the proxy on loopback may tell it the request came over https.
forwarded_allow_ips = os.environ.get("OBSERVER_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("OBSERVER_WEB_ACCESS_LOG", "-")
errorlog = os.environ.get("OBSERVER_WEB_ERROR_LOG", "-")
# No query string and no referrer: search terms, filters and tokens stay out of the log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s'

# Set-password links carry their one-time token in the path.
TOKEN_IN_PATH = re.compile(r"^(/set-password/)[^/?]+")


def redact_path(path: str) -> str:
    return TOKEN_IN_PATH.sub(r"\1[token]", path.split("?", 1)[0])


class RedactingLogger(Logger):
    """Access log atoms without query strings, referrers or set-password tokens, whatever
    access_log_format asks for (a format given on the command line included)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO", ""))
        atoms["U"] = path
        atoms["q"] = ""
        atoms["f"] = "-"
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD', '-')} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        )
        return atoms


logger_class = RedactingLogger
