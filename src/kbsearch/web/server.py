"""`kbsearch serve`: the app on gunicorn, a production WSGI server with worker processes.

Each worker builds its own app (no preloading), so each opens its own searcher after the fork,
and opens it (and reads ahead its commonest postings) before taking its first request.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from kbsearch.errors import KbsearchError
from kbsearch.web.app import create_app
from kbsearch.web.state import open_engine


# The access log's line: client, request line, status, bytes sent, milliseconds taken.
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


class AccessLogger(Logger):
    """gunicorn's logger, making only the atoms ACCESS_LOG_FORMAT writes. gunicorn's own makes
    every atom it knows for every request (a timestamp, the user decoded from the
    Authorization header, an atom per request and response header): 4 % of a worker's time
    under load."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return {"h": environ.get("REMOTE_ADDR", "-"),
                "r": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} "
                     f"{environ['SERVER_PROTOCOL']}",
                "s": status, "b": "-" if sent is None else str(sent),
                "M": request_time.seconds * 1000 + request_time.microseconds // 1000}


class Server(BaseApplication):
    def __init__(self, app_config: dict, options: dict):
        self.app_config = app_config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.app_config)


def _prepare_worker(worker) -> None:
    """gunicorn's post_worker_init hook: the engine and the page templates, ready before the
    first request (compiling the templates took a first page view over 100 ms)."""
    app = worker.wsgi
    try:
        with app.app_context():
            open_engine()
    except KbsearchError as exc:  # requests will answer 503 with the same message
        worker.log.error("%s", exc)
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)


def serve(index_dir: str, host: str, port: int, workers: int) -> None:
    options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "sync",
               "timeout": 60, "graceful_timeout": 10, "accesslog": "-",
               "access_log_format": ACCESS_LOG_FORMAT, "logger_class": AccessLogger,
               "post_worker_init": _prepare_worker}
    Server({"INDEX_DIR": index_dir}, options).run()
