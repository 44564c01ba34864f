from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointMeetingsConfig(AppConfig):
    name = "civicgrid.participation.joint"
    label = "jointmeetings"
    verbose_name = _("联席会议")
    demo_builder = "civicgrid.participation.joint.demo.build_joint"
    # The same roles as the pages' policies (joint.choices MEETING_READERS).
    nav_group = _("居民参与")
    nav_items: list[tuple[int, object, str, list[str]]] = [
        (64, _("联席会议"), "jointmeetings:list", ["command", "department"]),
    ]
