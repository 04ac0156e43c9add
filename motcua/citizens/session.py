"""Which citizen a request comes from: the portal's own session key, apart from staff sign-in."""

from __future__ import annotations

from django.http import HttpRequest

from motcua.citizens.models import Citizen

SESSION_KEY = "citizen_personal_id"


def session_sign_in(request: HttpRequest, citizen: Citizen) -> None:
    # A new session key at sign-in, so a session id planted before it cannot ride on it (fixation).
    request.session.cycle_key()
    request.session[SESSION_KEY] = citizen.personal_id


def session_sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def current_citizen(request: HttpRequest) -> Citizen | None:
    personal_id = request.session.get(SESSION_KEY)
    if not personal_id:
        return None
    return Citizen.objects.filter(personal_id=personal_id).first()
