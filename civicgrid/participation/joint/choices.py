from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CONVENED = "convened", _("已召集")
    CLOSED = "closed", _("已结束")


# The command centre (street or district) convenes and decides; departments read the meetings
# they were invited to. Nobody else takes part (docs/architecture.md "One way in").
CONVENERS = frozenset({Role.COMMAND})
MEETING_READERS = frozenset({Role.COMMAND, Role.DEPARTMENT})

TITLE_MAX = 100
PLACE_MAX = 100
PARTICIPANTS_MAX = 1000
NOTE_MAX = 500
MINUTES_MAX = 20000
EARLY_CLOSE_REASON_MAX = 200
MAX_DUE_DAYS = 60
MAX_AGENDA = 50
MAX_DEPARTMENTS = 30
