"""Staff pages under /can-bo/ (Vietnamese paths, like the rest of the staff's vocabulary)."""

from __future__ import annotations

from django.urls import path

from motcua.dossiers.views import auth, dossier, queues, reception

app_name = "dossiers"

urlpatterns = [
    path("", queues.home, name="home"),
    path("dang-nhap/", auth.login, name="login"),
    path("dang-xuat/", auth.logout, name="logout"),
    path("xac-thuc/", auth.otp, name="otp"),
    path("xac-thuc/dang-ky/", auth.otp_enrol, name="otp-enrol"),
    path("tiep-nhan/", reception.reception, name="reception"),
    path("ho-so/<str:code>/", dossier.dossier_page, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier.dossier_action, name="action"),
    path("ho-so/<str:code>/tep/<str:sha256>/", dossier.dossier_file, name="file"),
    path("ho-so/<str:code>/mau/<slug:form>.pdf", dossier.dossier_form, name="form"),
    path("<slug:slug>/", queues.queue, name="queue"),
]
