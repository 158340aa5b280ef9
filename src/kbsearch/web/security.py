"""Response headers that make the browser refuse what kbsearch never does, and per-client
rate limits on the API and on sign-in attempts.

The pages use no inline script or style and embed nothing from elsewhere, so the
Content-Security-Policy allows only this site's own files: text from a hostile document that
slipped through escaping still could not run.
"""

from __future__ import annotations

import math
import threading
import time

from flask import Flask, current_app, request
from werkzeug.exceptions import TooManyRequests

from kbsearch import config

SIGN_IN_ATTEMPTS_PER_MINUTE = 10
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_security(app: Flask) -> None:
    app.config.setdefault("API_RATE_LIMIT", int(config.get("api_rate_limit")))
    limiter = RateLimiter()

    @app.before_request
    def _limit():
        """The API per client, and sign-in attempts per client (password guessing)."""
        if request.path.startswith("/api/"):
            kind, per_minute = "api", current_app.config["API_RATE_LIMIT"]
        elif request.endpoint == "auth.login" and request.method == "POST":
            kind, per_minute = "sign-in", SIGN_IN_ATTEMPTS_PER_MINUTE
        else:
            return
        if per_minute <= 0:
            return
        wait = limiter.wait_seconds(f"{kind} {request.remote_addr or ''}", per_minute)
        if wait is not None:
            retry = max(1, math.ceil(wait))
            raise TooManyRequests(f"more than {per_minute} {kind} requests a minute from this "
                                  f"address; retry in {retry} s", retry_after=retry)

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


class RateLimiter:
    """A token bucket per client address: `per_minute` requests a minute on average, bursts
    up to the same number. Kept per worker process, so the server as a whole allows up to
    workers × the limit; that bounds what one client can cost without shared storage."""

    MAX_CLIENTS = 100_000

    def __init__(self):
        self._buckets: dict[str, tuple[float, float]] = {}  # address → (tokens, when)
        self._lock = threading.Lock()

    def wait_seconds(self, client: str, per_minute: int) -> float | None:
        """None when the request may go ahead (and is counted), else seconds to wait."""
        now = time.monotonic()
        rate = per_minute / 60.0
        with self._lock:
            if len(self._buckets) >= self.MAX_CLIENTS:
                self._buckets.clear()
            tokens, when = self._buckets.get(client, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - when) * rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return None
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / rate
