from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "civicgrid.fieldwork"
    verbose_name = _("巡查走访")
    demo_builder = "civicgrid.fieldwork.demo.build_fieldwork"
    # The grid worker patrols and sees their own calendar; those who supervise field work
    # (track readers but the worker) see the on-duty map, the verdicts and the flags.
    nav_group = _("网格工作")
    nav_items = [
        # 拍照上报 works offline (offline_views.py); /fieldwork/ is the worker's home screen.
        (39, _("拍照上报"), "fieldwork:quick_report", ["gridworker"]),
        (40, _("巡查"), "fieldwork:patrol", ["gridworker"]),
        (41, _("巡查日历"), "fieldwork:calendar", ["gridworker"]),
        (40, _("在岗地图"), "fieldwork:onduty", ["command", "secretary", "cadre", "sysadmin"]),
        (41, _("一日双巡"), "fieldwork:compliance", ["command", "secretary", "cadre", "sysadmin"]),
        (42, _("电子监察"), "fieldwork:flags", ["command", "secretary", "cadre", "sysadmin"]),
        # 入户走访 is ledger work: every staff role that reads ledgers (LEDGER_READERS).
        (
            43,
            _("入户走访"),
            "fieldwork:visits",
            ["gridworker", "cadre", "secretary", "command", "sysadmin"],
        ),
        # Grid tasks: the worker ticks their part; the community and street issue and watch.
        (44, _("任务"), "fieldwork:tasks", ["gridworker"]),
        (44, _("任务下发"), "fieldwork:tasks", ["command", "secretary", "cadre", "sysadmin"]),
        # 民情日志: the worker's own log; 工作量统计: the counts of those one supervises.
        (45, _("民情日志"), "fieldwork:worklog", ["gridworker"]),
        (
            45,
            _("工作量统计"),
            "fieldwork:worklog_stats",
            ["command", "secretary", "cadre", "sysadmin"],
        ),
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from civicgrid.fieldwork.models import Visit

        post_save.connect(_visit_saved, sender=Visit, dispatch_uid="fieldwork.last_visits")


def _visit_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # Every visit created, by visit_record or by a fixture, keeps the latest-visit rows the due
    # list reads; bulk_create sends no signal, so bulk writers call note_last_visits themselves.
    if created:
        from civicgrid.fieldwork.visits import note_last_visits

        note_last_visits([instance])
