"""Paper transfer: the old `sent_at` was the e-transfer time, so it becomes `transferred_at`; the desk's
hand-over to a carrier gets its own `sent_at`, `sent_by`, `carrier` and `tracking_number`."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_dossier_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="papertransfer", old_name="sent_at", new_name="transferred_at"),
        migrations.AlterField(
            model_name="papertransfer",
            name="transferred_at",
            field=models.DateTimeField(verbose_name="chuyển hồ sơ điện tử lúc"),
        ),
        migrations.AddField(
            model_name="papertransfer",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="gửi hồ sơ giấy lúc"),
        ),
        migrations.AddField(
            model_name="papertransfer",
            name="sent_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="người gửi",
            ),
        ),
        migrations.AddField(
            model_name="papertransfer",
            name="carrier",
            field=models.CharField(blank=True, max_length=100, verbose_name="đơn vị vận chuyển"),
        ),
        migrations.AddField(
            model_name="papertransfer",
            name="tracking_number",
            field=models.CharField(blank=True, max_length=50, verbose_name="số vận đơn"),
        ),
        migrations.AddIndex(
            model_name="papertransfer",
            index=models.Index(
                condition=models.Q(("received_at__isnull", True)), fields=["due_at"], name="paper_transfer_pending"
            ),
        ),
    ]
