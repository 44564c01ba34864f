from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicgrid.core"
    verbose_name = "核心"
    dashboard_widgets = ["civicgrid.core.widgets.calendar_warning"]

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from civicgrid.core import bulk, checks  # noqa: F401  (system checks; the any_of lookup)
        from civicgrid.core.models import WorkCalendarDay
        from civicgrid.core.worktime import clear_calendar_cache, work_periods

        # A malformed WORK_PERIODS stops every command and server at start, not at the first
        # case created.
        work_periods()
        post_save.connect(clear_calendar_cache, sender=WorkCalendarDay, dispatch_uid="wcd-save")
        post_delete.connect(clear_calendar_cache, sender=WorkCalendarDay, dispatch_uid="wcd-del")
