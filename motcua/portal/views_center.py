"""A service center's public page (`/trung-tam/<code>/`): on-time rate, average processing time and
ratings of the dossiers it received, and the live waiting counts of its queue (read from queueing)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import DomainError
from motcua.dossiers.center_selectors import center_figures
from motcua.dossiers.models import Satisfaction
from motcua.queueing.selectors.board import active_center, board_for_center


def center(request: HttpRequest, code: str) -> HttpResponse:
    try:
        found = active_center(code)
    except DomainError:
        return render(request, "portal/center_not_found.html", {"code": code}, status=404)
    figures = center_figures(found)
    return render(
        request,
        "portal/center.html",
        {
            "center": found,
            "figures": figures,
            "ratings": [(label, figures.ratings[value]) for value, label in Satisfaction.choices],
            "board": board_for_center(found.code),
        },
    )
