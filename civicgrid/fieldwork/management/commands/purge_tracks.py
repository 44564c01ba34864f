from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from civicgrid.core.scoping import prefix_q
from civicgrid.fieldwork.models import Patrol, PatrolStandard, TrackPoint


class Command(BaseCommand):
    help = (
        "删除超过保存期限的巡查轨迹点(保留巡查记录及其里程、时长等指标;"
        "保存天数按巡查标准;可重复运行)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        # Longest prefix first: a grid follows the most specific standard, so each standard
        # covers its prefix minus the longer prefixes already handled.
        standards = sorted(
            PatrolStandard.objects.all(), key=lambda s: len(s.region_prefix), reverse=True
        )
        if not any(s.region_prefix == "" for s in standards):
            standards.append(PatrolStandard(region_prefix=""))
        handled: list[str] = []
        total_points = total_patrols = 0
        for standard in standards:
            cutoff = now - timedelta(days=standard.retention_days)
            query = Q(started_at__lt=cutoff)
            if standard.region_prefix:
                query &= Q(grid_code__startswith=standard.region_prefix)
            if handled:
                query &= ~prefix_q("grid_code", handled)
            old = TrackPoint.objects.filter(patrol__in=Patrol.objects.filter(query))
            patrols = old.values("patrol_id").distinct().count()
            deleted, _by_model = old.delete()
            # The outline and last fix the on-duty map keeps on each patrol are track too.
            Patrol.objects.filter(query).exclude(outline__isnull=True, last_at__isnull=True).update(
                outline=None, last_at=None, last_lat=None, last_lng=None
            )
            total_points += deleted
            total_patrols += patrols
            handled.append(standard.region_prefix)
        self.stdout.write(f"删除轨迹点 {total_points} 个,涉及巡查 {total_patrols} 次")
