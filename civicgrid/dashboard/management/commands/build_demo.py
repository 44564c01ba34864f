"""Build the deterministic demo city into an empty database.

Apps that add demo data declare ``demo_builder = "module.function"`` on their AppConfig; each
is called in INSTALLED_APPS order with the city, after regions, grids and accounts exist.
"""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

from civicgrid.dashboard.demo import DEMO_PASSWORD, build_accounts
from civicgrid.geo.demo import SIZES, build_geo
from civicgrid.geo.models import Region


class Command(BaseCommand):
    help = "生成演示城市(贵阳风格区划、网格、各角色演示账户)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时跳过而不报错")

    def handle(self, *args: Any, **options: Any) -> None:
        if Region.objects.exists():
            if options["if_empty"]:
                self.stdout.write("演示数据已存在,跳过生成。")
                self._print_accounts()
                return
            raise CommandError("数据库中已有区划数据;演示城市只能生成到空数据库中。")
        started = time.monotonic()
        with transaction.atomic():
            city = build_geo(size_name=options["size"], seed=options["seed"])
            build_accounts(city)
            for config in apps.get_app_configs():
                builder = getattr(config, "demo_builder", None)
                if builder:
                    import_string(builder)(city, stdout=self.stdout)
        self.stdout.write(
            f"演示城市已生成:{len(city.streets)} 个街道,{len(city.communities)} 个社区,"
            f"{len(city.grids)} 个网格,用时 {time.monotonic() - started:.1f} 秒。"
        )
        self._print_accounts()

    def _print_accounts(self) -> None:
        from civicgrid.accounts.models import User

        self.stdout.write(f"\n演示账户(密码均为 {DEMO_PASSWORD}):")
        from civicgrid.accounts.choices import SERVICE_USERNAME_PREFIX

        people = User.objects.exclude(username__startswith="gw").exclude(
            username__startswith=SERVICE_USERNAME_PREFIX
        )
        for user in people.order_by("id"):
            scopes = ", ".join(user.scope_codes) or "—"
            self.stdout.write(
                f"  {user.username:<11} {user.post_label:<12} {user.full_name:<5} 范围 {scopes}"
            )
