from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.org.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a staff account and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A note to recognise the token by.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            token = api_token_create(username=options["username"], name=options["name"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(token)
