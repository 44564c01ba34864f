from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "civicgrid.participation"
    verbose_name = _("共建共治")
    demo_builder = "civicgrid.participation.demo.build_participation"
    # The same roles as the pages' policies (participation.choices NOTICE_STAFF, CARD_EDITORS,
    # RESIDENT_CONFIRMERS).
    nav_group = _("居民参与")
    nav_items = [
        # Residents reach their community's page (grid worker, notices, disclosure) from the menu;
        # visitors without an account come by the link /community/.
        (59, _("社区服务"), "participation:home", ["resident"]),
        (
            60,
            _("通知公告"),
            "participation:manage_notices",
            ["cadre", "secretary", "command", "sysadmin"],
        ),
        (
            61,
            _("网格员公示"),
            "participation:manage_cards",
            ["gridworker", "secretary", "command", "sysadmin"],
        ),
        # participation.choices RESIDENT_CONFIRMERS
        (64, _("居民社区确认"), "participation:manage_residents", ["secretary"]),
    ]
