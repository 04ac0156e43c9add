"""Queue pages under /queue/."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

from motcua.org.signin import StaffSignInForm
from motcua.queueing import views
from motcua.queueing.models import TicketSource

app_name = "queueing"

urlpatterns = [
    path(
        "login/",
        LoginView.as_view(template_name="queueing/login.html", authentication_form=StaffSignInForm),
        name="login",
    ),
    path("logout/", LogoutView.as_view(next_page="queueing:login"), name="logout"),
    path("t/<str:token>/", views.ticket_page, name="ticket"),
    path("counter/<int:counter_id>/", views.counter, name="counter"),
    path("counter/<int:counter_id>/rating/", views.rating, name="rating"),
    path("<str:center_code>/kiosk/", views.kiosk, name="kiosk"),
    path("<str:center_code>/take/", views.kiosk, {"source": TicketSource.WEB}, name="take"),
    path("<str:center_code>/board/", views.board, name="board"),
    path("<str:center_code>/board/stream/", views.board_stream, name="board-stream"),
    path("<str:center_code>/book/", views.book, name="book"),
    path("<str:center_code>/statistics/", views.statistics, name="statistics"),
]
