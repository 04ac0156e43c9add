"""Public pages at the site root: `/` home, `/tra-cuu/` search, `/kiosk/` the lookup kiosk,
`/thu-tuc/<code>/` a procedure, `/thu-tuc/<code>/danh-muc.pdf` its printable checklist,
`/tra-cuu-ho-so/` dossier tracking and rating, `/nop-truc-tuyen/` online submission, `/trung-tam/<code>/`
a center's public figures."""

from __future__ import annotations

from django.urls import path

from motcua.portal import views, views_center, views_submission, views_tracking

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", views.search, name="search"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/danh-muc.pdf", views.checklist_pdf, name="checklist"),
    # The path `dossiers.services.tracking.tracking_url` prints as the receipt's QR code.
    path("tra-cuu-ho-so/", views_tracking.tracking_form, name="tracking"),
    path("tra-cuu-ho-so/<str:code>", views_tracking.tracking_result, name="tracking_result"),
    path("tra-cuu-ho-so/<str:code>/danh-gia/", views_tracking.rate, name="rate"),
    path("nop-truc-tuyen/da-nop/<str:token>/", views_submission.submission_done, name="submission_done"),
    path("nop-truc-tuyen/<str:code>/", views_submission.submission_start, name="submission"),
    path("nop-truc-tuyen/<str:code>/<str:token>/", views_submission.submission_draft, name="submission_draft"),
    path("trung-tam/<str:code>/", views_center.center, name="center"),
]
