"""Sign-in and sign-out of staff (Django sessions); each role lands on its own queue."""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView

login = LoginView.as_view(template_name="dossiers/staff/login.html", redirect_authenticated_user=True)
logout = LogoutView.as_view(next_page="dossiers:login")
