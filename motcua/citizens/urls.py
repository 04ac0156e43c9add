"""Citizen sign-in (`/dang-nhap/`, `/dang-xuat/`) and the local VNeID simulator (`/vneid-sim/`)."""

from __future__ import annotations

from django.urls import path

from motcua.citizens import simulator, views

app_name = "citizens"

urlpatterns = [
    path("dang-nhap/", views.sign_in, name="sign_in"),
    path("dang-nhap/vneid/", views.callback, name="callback"),
    path("dang-xuat/", views.sign_out, name="sign_out"),
    path("vneid-sim/.well-known/openid-configuration", simulator.discovery, name="sim_discovery"),
    path("vneid-sim/authorize", simulator.authorize, name="sim_authorize"),
    path("vneid-sim/token", simulator.token, name="sim_token"),
    path("vneid-sim/userinfo", simulator.userinfo, name="sim_userinfo"),
    path("vneid-sim/jwks", simulator.jwks, name="sim_jwks"),
]
