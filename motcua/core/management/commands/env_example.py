from typing import Any

from django.core.management.base import BaseCommand

from motcua.config import env_example


class Command(BaseCommand):
    help = "Print every setting with its default and help text, in .env format."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(env_example(), ending="")
