"""The interface language (not the documents'): chosen from `?ui=`, else the `ui` cookie, else
the browser's Accept-Language, else French. It never filters documents."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import Babel

UI_LOCALES = ("fr", "nl", "de", "en")
DEFAULT_LOCALE = "fr"
PARAM = "ui"  # not `lang`, which filters documents by their language
COOKIE = "ui"
LOCALE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}


def select_locale() -> str:
    if "ui_locale" in g:
        return g.ui_locale
    chosen = request.args.get(PARAM, "")
    if chosen not in UI_LOCALES:
        chosen = request.cookies.get(COOKIE, "")
    if chosen not in UI_LOCALES:
        chosen = request.accept_languages.best_match(UI_LOCALES) or DEFAULT_LOCALE
    g.ui_locale = chosen
    return chosen


def remember_choice(response):
    """A locale chosen in the URL is kept in a cookie for the next pages."""
    chosen = request.args.get(PARAM)
    if chosen in UI_LOCALES and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def init_i18n(app: Flask, translations: str) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    Babel(app, locale_selector=select_locale, default_translation_directories=translations)
    app.after_request(remember_choice)
