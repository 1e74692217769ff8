"""Link a person to their personal identity code before their first strong sign-in, for a
scripted setup: `echo 131052-308T | manage.py link_identity_code anna`. The code is read from
standard input, never from the command line (which the shell's history and `ps` keep)."""

import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from identity.services import identity_code_link
from workflow.actors import SYSTEM


class Command(BaseCommand):
    help = "Link a person (by username) to the personal identity code read from standard input."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No person with the username {username!r}.") from None
        code = sys.stdin.readline().strip()
        if not code:
            raise CommandError("Give the personal identity code on standard input.")
        try:
            identity_code_link(user=user, code=code, actor=SYSTEM)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{username} is linked to the identity code's keyed hash.")
