"""Seed the usual priority groups (đối tượng ưu tiên); officers change ranks or add groups in the admin."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GROUPS = [
    ("merit", "Người có công với cách mạng", 10),
    ("disability", "Người khuyết tật", 10),
    ("elderly", "Người cao tuổi", 20),
    ("pregnant", "Phụ nữ có thai", 20),
    ("small_child", "Người đi cùng trẻ nhỏ dưới 36 tháng tuổi", 20),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    priority_group = apps.get_model("queueing", "PriorityGroup")
    for code, name, rank in GROUPS:
        priority_group.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    priority_group = apps.get_model("queueing", "PriorityGroup")
    priority_group.objects.filter(code__in=[code for code, _, _ in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("queueing", "0001_services_tickets_counters_appointments")]

    operations = [migrations.RunPython(seed, unseed)]
