"""Dashboards under /bao-cao/ (staff sign-in): each page also answers `?format=xlsx`."""

from __future__ import annotations

from django.urls import path

from motcua.reports import views, views_access, views_person

app_name = "reports"

urlpatterns = [
    path("", views.index766, name="index766"),
    path("ton-dong/", views.backlog, name="backlog"),
    path("den-han/", views.deadlines, name="deadlines"),
    path("thoi-gian/", views.processing, name="processing"),
    path("lien-thong/", views.flows, name="flows"),
    path("lay-so/", views.queues, name="queues"),
    path("bao-cao-dinh-ky.pdf", views.periodic_pdf, name="periodic_pdf"),
    path("nhat-ky-truy-cap/", views_access.access_log, name="access_log"),
    path("du-lieu-ca-nhan/", views_person.person_export_page, name="person_export"),
]
