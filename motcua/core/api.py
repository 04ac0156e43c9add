"""Health endpoint."""

from __future__ import annotations

from django.db import connection
from ninja import Router, Schema

import motcua

router = Router(tags=["health"])


class HealthOut(Schema):
    status: str
    database: str
    version: str


@router.get("/health", response=HealthOut, auth=None, summary="Service and database health")
def health(request: object) -> HealthOut:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HealthOut(status="ok", database=connection.vendor, version=motcua.__version__)
