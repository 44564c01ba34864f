from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Who reads figures (assessment.selectors.ASSESSMENT_READERS): each narrowed to their own
# jurisdiction, a grid worker to their own figures, a department to its own.
_READERS = ["command", "secretary", "cadre", "gridworker", "department", "sysadmin"]


class AssessmentConfig(AppConfig):
    name = "civicgrid.assessment"
    verbose_name = _("考核评价")
    demo_builder = "civicgrid.assessment.demo.build_assessment"
    nav_group = _("考核分析")
    nav_items = [
        (60, _("考核排名"), "assessment:ranking", _READERS),
        (61, _("考核指标"), "assessment:indicators", _READERS),
        (62, _("分析研判"), "assessment:analysis", _READERS),
        # Kept monthly reports: a street or district command centre (models.REPORT_READERS).
        (63, _("月度考核报告"), "assessment:reports", ["command", "sysadmin"]),
    ]

    def ready(self) -> None:
        from civicgrid.assessment.completeness import stored_audit, stored_grid_audit
        from civicgrid.registry.hooks import register_stored_audit, register_stored_grid_audit

        register_stored_audit(stored_audit)
        register_stored_grid_audit(stored_grid_audit)
