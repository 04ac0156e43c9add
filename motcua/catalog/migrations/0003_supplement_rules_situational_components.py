"""Supplement rules per procedure, and situational components (thành phần theo trường hợp) no longer required.

The parser now reads a component whose name or group caption opens with "Trường hợp", "Nếu", "Đối với
trường hợp", "Trong trường hợp" or "(nếu có)" (or whose name says "(nếu có)" / "trong trường hợp") as
not required. Stored components are corrected here rather than by a re-import: the published content
did not change, so the import's content hash would leave every version alone, and a new version would
claim a change the national database never made. Dossiers keep the flag they copied at reception.

The rule is frozen here (a migration must not follow later parser edits).
"""

import re

from django.db import migrations, models

BATCH = 2000
_OPENINGS = ("trường hợp", "nếu", "đối với trường hợp", "trong trường hợp", "(nếu có)")
_OPENING = re.compile("|".join(rf"^{re.escape(phrase)}(?!\w)" for phrase in _OPENINGS))
_ANYWHERE = re.compile(r"\(nếu có\)|\btrong trường hợp\b", re.IGNORECASE)
_OLD_OPTIONAL = re.compile(r"\(nếu có\)", re.IGNORECASE)
_LIST_MARK = re.compile(r"^(?:[-+*•\s]+|[a-zđ0-9]{1,2}[).]\s*)+", re.IGNORECASE)


def _situational(name, group):
    if _ANYWHERE.search(name):
        return True
    return any(_OPENING.match(_LIST_MARK.sub("", text.strip(), count=1).lower()) for text in (name, group))


def _set_required(apps, rule):
    Component = apps.get_model("catalog", "Component")
    changed = []
    for component in Component.objects.only("id", "name", "group", "required").iterator(chunk_size=BATCH):
        required = rule(component.name, component.group)
        if component.required != required:
            component.required = required
            changed.append(component)
        if len(changed) >= BATCH:
            Component.objects.bulk_update(changed, ["required"])
            changed = []
    Component.objects.bulk_update(changed, ["required"])


def mark_situational(apps, schema_editor):
    _set_required(apps, lambda name, group: not _situational(name, group))


def unmark_situational(apps, schema_editor):
    _set_required(apps, lambda name, group: not _OLD_OPTIONAL.search(name))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_competence"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="supplement_close_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Để trống nếu không tự đóng. Một số nghị định quy định 15 ngày làm việc.",
                null=True,
                verbose_name="đóng hồ sơ sau (ngày làm việc chờ bổ sung)",
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="supplement_rule",
            field=models.CharField(
                choices=[
                    ("pause", "Tạm dừng: thời gian chờ bổ sung không tính vào thời hạn"),
                    ("restart", "Tính lại: thời hạn tính lại từ khi nhận đủ hồ sơ"),
                ],
                default="pause",
                max_length=10,
                verbose_name="khi bổ sung hồ sơ",
            ),
        ),
        migrations.RunPython(mark_situational, unmark_situational),
    ]
