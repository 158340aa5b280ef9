"""Staff access: who may see internal documents.

Staff sign in on /login with the password whose hash the `staff_password_hash` setting holds;
the session is a cookie signed with the `secret_key` setting, HTTP-only and SameSite=Lax, and
expires after `session_minutes`. Forms that change state (sign in, sign out) carry a CSRF
token kept in the session. API clients send `Authorization: Bearer <token>` instead, checked
against the `api_token_hash` setting. Without these settings nobody is staff and internal
documents stay invisible: kbsearch fails closed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
import time

from flask import (Blueprint, Flask, abort, current_app, g, redirect, render_template, request,
                   session, url_for)
from werkzeug.security import check_password_hash

from kbsearch import config

bp = Blueprint("auth", __name__)
STAFF_UNTIL = "staff_until"
CSRF = "csrf"


def init_auth(app: Flask) -> None:
    # Flask defines SECRET_KEY (as None), so setdefault would never apply the setting.
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or config.get("secret_key") or None
    app.config.setdefault("STAFF_PASSWORD_HASH", config.get("staff_password_hash"))
    app.config.setdefault("API_TOKEN_HASH", config.get("api_token_hash"))
    app.config.setdefault("SESSION_MINUTES", float(config.get("session_minutes")))
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      PERMANENT_SESSION_LIFETIME=dt.timedelta(
                          minutes=app.config["SESSION_MINUTES"]))
    app.register_blueprint(bp)
    app.jinja_env.globals.update(is_staff=is_staff, csrf_token=csrf_token,
                                 staff_sign_in_enabled=_sign_in_enabled)


def is_staff() -> bool:
    """The current request comes from signed-in staff or carries the API token."""
    if "is_staff" not in g:
        g.is_staff = _valid_bearer() or _valid_session()
    return g.is_staff


def _valid_session() -> bool:
    if not _sign_in_enabled():
        return False
    until = session.get(STAFF_UNTIL)
    return isinstance(until, (int, float)) and until > time.time()


def _valid_bearer() -> bool:
    """A bearer token is for the API (rate-limited per client); pages use sessions."""
    header = request.headers.get("Authorization", "")
    stored = current_app.config["API_TOKEN_HASH"]
    if not stored or not header.startswith("Bearer ") or not request.path.startswith("/api/"):
        return False
    return _token_matches(stored, header[len("Bearer "):].strip())


@functools.lru_cache(maxsize=256)
def _token_matches(stored_hash: str, token: str) -> bool:
    """The hash is slow on purpose (tens of milliseconds); a client sends its token with every
    request, so each worker checks a given token once."""
    return _check(stored_hash, token)


def _check(stored_hash: str, secret: str) -> bool:
    try:
        return bool(secret) and check_password_hash(stored_hash, secret)
    except (ValueError, TypeError):  # a malformed hash in the settings: nobody gets in
        return False


def _sign_in_enabled() -> bool:
    return bool(current_app.config["SECRET_KEY"] and current_app.config["STAFF_PASSWORD_HASH"])


def csrf_token() -> str:
    """This session's token for forms that change state."""
    if CSRF not in session:
        session[CSRF] = secrets.token_urlsafe(32)
    return session[CSRF]


def _require_csrf() -> None:
    sent = request.form.get(CSRF, "").encode("utf-8", "replace")
    expected = str(session.get(CSRF, "")).encode("utf-8")
    if not sent or not hmac.compare_digest(sent, expected):
        abort(400, description="the form expired or did not come from this site; reload it")


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("views.search")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not _sign_in_enabled():
        return render_template("login.html", enabled=False), 503
    error = None
    if request.method == "POST":
        _require_csrf()
        if _check(current_app.config["STAFF_PASSWORD_HASH"], request.form.get("password", "")):
            session.clear()  # a new session for the new privilege
            session[STAFF_UNTIL] = time.time() + 60 * current_app.config["SESSION_MINUTES"]
            session.permanent = True
            return redirect(_safe_next(request.form.get("next")))
        error = True
    return render_template("login.html", enabled=True, error=error,
                           next=_safe_next(request.values.get("next"))), 401 if error else 200


@bp.post("/logout")
def logout():
    _require_csrf()
    session.clear()
    return redirect(url_for("views.search"))
