"""`xinfang api_token`: create (shown once), list and revoke a user's API tokens."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xinfang.api.services import api_token_create, api_token_revoke, api_tokens_of
from xinfang.matters.errors import DomainError


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (Authorization: Bearer xf_...)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; it is printed once, never again.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for.")
        show = sub.add_parser("list", help="A user's tokens (prefix, name, dates).")
        show.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke the live token with this prefix.")
        revoke.add_argument("prefix", help="The prefix `list` shows, e.g. xf_Ab1cD.")
        revoke.add_argument("--user", dest="username", help="When two users' prefixes clash.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, options: dict[str, Any]) -> None:
        row, token = api_token_create(username=options["username"], name=options["name"])
        self.stderr.write(
            f"Token {row.prefix}… created for {row.user} ({row.name}). "
            "Copy it now: it is not stored and cannot be shown again."
        )
        self.stdout.write(token)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = api_tokens_of(username=options["username"])
        if not tokens:
            self.stdout.write(f"{options['username']} has no API tokens.")
            return
        self.stdout.write(f"{'prefix':10} {'created':16} {'last used':16} {'revoked':16} name")
        for t in tokens:
            self.stdout.write(
                f"{t.prefix:10} {_when(t.created_at):16} {_when(t.last_used_at):16} "
                f"{_when(t.revoked_at):16} {t.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = api_token_revoke(prefix=options["prefix"], username=options.get("username"))
        self.stdout.write(
            self.style.SUCCESS(f"Revoked {token.prefix}… ({token.name}) of {token.user}.")
        )
