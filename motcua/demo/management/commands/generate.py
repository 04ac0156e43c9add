"""`motcua generate --dossiers N --year Y --seed S`: a province-year (or more) of generated dossiers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.demo.generate import generate


class Command(BaseCommand):
    help = (
        "Sinh hồ sơ giả lập như thật (thủ tục theo phân bố Zipf, kênh nộp, phi địa giới, bổ sung, trễ hạn, "
        "nhật ký có chuỗi băm, phiếu số thứ tự, đánh giá) và nạp vào PostgreSQL bằng COPY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, required=True, help="number of dossiers (10000000 works)")
        parser.add_argument("--year", type=int, required=True, help="year of reception; the current year stops today")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
        parser.add_argument("--batch", type=int, default=5000, help="dossiers per COPY transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = generate(
                dossiers=options["dossiers"],
                year=options["year"],
                seed=options["seed"],
                batch=options["batch"],
                progress=not options["no_progress"],
            )
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.code})") from error
        channels = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.by_channel.items()))
        self.stdout.write(
            f"{summary.dossiers:,} dossiers in {summary.seconds:.1f} s ({summary.rate:,.0f}/s): "
            f"{summary.events:,} events, {summary.steps:,} steps, {summary.supplements:,} supplement requests, "
            f"{summary.tickets:,} tickets, {summary.ratings:,} dossier ratings; channels: {channels}; "
            f"boundary-free {summary.boundary_free:,}; finished late {summary.late:,}."
        )
