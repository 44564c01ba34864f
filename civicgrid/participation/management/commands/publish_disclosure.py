"""``manage.py publish_disclosure [--month YYYY-MM] [--code CODE ...]``: store a month's
信息公开 for every street and community (default: last month). Idempotent, so a scheduler may
run it as often as it likes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from civicgrid.participation.disclosure import parse_month, previous_months, publish_disclosure


class Command(BaseCommand):
    help = "Store the monthly disclosure (信息公开) of every street and community."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM (default: last month)")
        parser.add_argument("--code", action="append", default=None, help="division code")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            month = parse_month(options["month"])
            if month is None:
                raise CommandError("--month must be YYYY-MM")
        else:
            month = previous_months(timezone.localdate(), 1)[0]
        stored = publish_disclosure(month, options["code"])
        self.stdout.write(f"{month:%Y-%m}: {stored} disclosures stored")
