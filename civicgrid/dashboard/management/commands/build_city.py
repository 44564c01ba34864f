"""Generate a city-scale data set into an empty database (docs/scaling.md "City-scale run").

    python manage.py build_city --people 1000000 --cases 1000000 [--grids 2500] [--seed 2026]
    python manage.py build_city --add-cases 2000000

Refuses a database that already holds grids: the generated keys, case numbers and resident
IDs are only unique against an empty ledger, so the command is not re-runnable in place (make
a new database instead). ``--add-cases`` adds cases to a city it generated earlier, numbered
after those it holds, so a long run can be finished in steps."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from civicgrid.accounts.demo import DEMO_PASSWORD
from civicgrid.dashboard.city_scale import CityExists, CityMissing, add_cases, build_city


def _positive(value: str) -> int:
    number = int(value.replace("_", "").replace(",", ""))
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "生成城市规模的测试数据(网格、房屋、住户、人口、事件),用于容量与性能测试"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=_positive, default=None, help="人口数")
        parser.add_argument("--cases", type=_positive, default=None, help="事件数")
        parser.add_argument(
            "--add-cases", type=_positive, default=None, help="向已生成的城市追加的事件数"
        )
        parser.add_argument("--grids", type=_positive, default=None, help="网格数(默认每400人一个)")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子(相同种子生成相同数据)")
        parser.add_argument("--batch", type=_positive, default=20_000, help="每批写入的行数")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def say(line: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f}s] {line}")
            self.stdout.flush()

        if options["add_cases"] is not None:
            if options["people"] is not None or options["cases"] is not None:
                raise CommandError("--add-cases 不能与 --people、--cases 同时使用。")
            try:
                added = add_cases(
                    cases=options["add_cases"],
                    seed=options["seed"],
                    batch=options["batch"],
                    progress=say,
                )
            except CityMissing as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"已追加 {added.cases:,} 件事件({added.events:,} 条记录),"
                f"用时 {added.seconds['total']:.1f} 秒。"
            )
            return
        if options["people"] is None or options["cases"] is None:
            raise CommandError("请给出 --people 与 --cases(或用 --add-cases 向已有城市追加事件)。")
        try:
            report = build_city(
                people=options["people"],
                cases=options["cases"],
                grids=options["grids"],
                seed=options["seed"],
                batch=options["batch"],
                progress=say,
            )
        except CityExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"城市已生成({connection.vendor}):{report.grids:,} 个网格,{report.buildings:,} 栋楼,"
            f"{report.dwellings:,} 套房屋,{report.households:,} 户,{report.people:,} 人,"
            f"{report.cases:,} 件事件({report.events:,} 条记录),"
            f"{report.tags:,} 个关爱标签,{report.visits:,} 次走访,"
            f"用时 {report.seconds['total']:.1f} 秒。"
        )
        self.stdout.write(
            f"查看账户(密码 {DEMO_PASSWORD}):{'、'.join(report.users)}(每个社区各有"
            "书记 city_secretary_N 与网格员 city_worker_N)"
        )
