from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.accounts.models import User
from civicgrid.geo.models import Grid
from civicgrid.geo.services import GridAdjustmentError, grid_merge, grid_split


class Command(BaseCommand):
    help = (
        "网格动态调整。拆分:adjust_grid split 网格编码 --cutter 切割线.geojson;"
        "合并:adjust_grid merge 网格编码 网格编码 [...] [--name 名称]。"
        "新网格取社区内下一个序号,旧网格停用并记为前身;--actor 指定记入审计的操作人。"
        "调整失败时给出原因并以退出码 1 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        split = sub.add_parser("split", help="按线或面拆分一个网格")
        split.add_argument("code", help="要拆分的网格编码(15 位)")
        split.add_argument("--cutter", required=True, help="GeoJSON 文件:LineString 或 Polygon")
        merge = sub.add_parser("merge", help="合并同一社区内相邻的网格")
        merge.add_argument("codes", nargs="+", help="要合并的网格编码")
        merge.add_argument("--name", default="", help="合并后的网格名称")
        for command in (split, merge):
            command.add_argument("--on", type=date.fromisoformat, help="调整日期 YYYY-MM-DD")
            command.add_argument("--actor", required=True, help="操作人用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(f"用户 {options['actor']} 不存在")
        on = options["on"]
        try:
            if options["action"] == "split":
                cutter = json.loads(Path(options["cutter"]).read_text(encoding="utf-8"))
                new = grid_split(grid=_grid(options["code"]), cutter=cutter, actor=actor, on=on)
            else:
                grids = [_grid(code) for code in options["codes"]]
                new = [grid_merge(grids=grids, actor=actor, on=on, name=options["name"])]
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"无法读取切割线文件:{exc}") from exc
        except GridAdjustmentError as exc:
            raise CommandError(str(exc)) from exc
        for grid in new:
            self.stdout.write(f"新网格 {grid.code} {grid.name} {grid.area_m2:.0f} 平方米")


def _grid(code: str) -> Grid:
    grid = Grid.objects.filter(code=code).first()
    if grid is None:
        raise CommandError(f"网格 {code} 不存在")
    return grid
