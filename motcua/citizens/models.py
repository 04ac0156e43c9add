"""Citizen accounts, as known from the identity provider (VNeID or compatible)."""

from __future__ import annotations

from django.db import models

from motcua.core.models import TimestampedModel


class Citizen(TimestampedModel):
    """A person who signed in on the portal, keyed by the 12-digit personal ID from the provider's userinfo.

    Not a Django user: citizens never reach the staff pages or the admin, and their session holds only
    this row's personal ID. The profile is refreshed at every sign-in and pre-fills online forms.
    """

    personal_id = models.CharField(max_length=12, unique=True, verbose_name="số định danh cá nhân")
    subject = models.CharField(max_length=255, verbose_name="định danh tại nhà cung cấp (sub)")
    issuer = models.CharField(max_length=255, verbose_name="nhà cung cấp định danh")
    full_name = models.CharField(max_length=150, verbose_name="họ tên")
    birth_date = models.DateField(null=True, blank=True, verbose_name="ngày sinh")
    phone = models.CharField(max_length=20, blank=True, verbose_name="điện thoại")
    email = models.EmailField(blank=True, verbose_name="thư điện tử")
    address = models.CharField(max_length=255, blank=True, verbose_name="địa chỉ")
    identity_level = models.PositiveSmallIntegerField(default=0, verbose_name="mức định danh điện tử")
    last_sign_in_at = models.DateTimeField(verbose_name="đăng nhập gần nhất")

    class Meta:
        verbose_name = "công dân"
        verbose_name_plural = "công dân"

    def __str__(self) -> str:
        return self.personal_id
