"""Public pages at the site root: `/` home, `/tra-cuu/` search, `/kiosk/` the lookup kiosk,
`/thu-tuc/<code>/` a procedure, `/thu-tuc/<code>/danh-muc.pdf` its printable checklist."""

from __future__ import annotations

from django.urls import path

from motcua.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", views.search, name="search"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/danh-muc.pdf", views.checklist_pdf, name="checklist"),
]
