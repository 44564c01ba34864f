from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import CASE_READERS, Role

_WORKFLOW_STAFF = ["command", "secretary", "cadre", "gridworker", "department", "sysadmin"]
_REPORTERS = ["command", "secretary", "cadre", "gridworker", "sysadmin"]
# The case list is for the roles that read cases (accounts.choices.READS), residents aside:
# they have their own page. The auditor reads no cases.
_OVERSIGHT = sorted(CASE_READERS - {Role.RESIDENT})


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    verbose_name = "事件诉求"
    nav_group = _("事件")
    nav_items = [
        (30, _("我的工作"), "cases:work", _WORKFLOW_STAFF),
        (31, _("上报事件"), "cases:report", _REPORTERS),
        (32, _("事件列表"), "cases:list", _OVERSIGHT),
        (30, _("我要反映"), "cases:submit", ["resident"]),
        (31, _("我的诉求"), "cases:mine", ["resident"]),
        (32, _("查询进度"), "cases:track", ["resident"]),
    ]
    dashboard_widgets = ["civicgrid.cases.widgets.work_counts"]
    demo_builder = "civicgrid.cases.demo.build_cases"

    def ready(self) -> None:
        from civicgrid.cases import checks  # noqa: F401  (registers the system checks)
        from civicgrid.cases.services import cases_bulk_relocate
        from civicgrid.geo.hooks import register_relocator

        register_relocator("cases", cases_bulk_relocate)
