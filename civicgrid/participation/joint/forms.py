from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.core import inputs
from civicgrid.geo.models import Region
from civicgrid.participation.joint import services
from civicgrid.participation.joint.choices import (
    MAX_DUE_DAYS,
    MINUTES_MAX,
    NOTE_MAX,
    PARTICIPANTS_MAX,
    PLACE_MAX,
    TITLE_MAX,
)

DAYS_ERRORS = {
    "required": _("请填写处置时限(工作日)"),
    "invalid": _("处置时限须为整数个工作日"),
    "min_value": _("处置时限应在 1 到 60 个工作日之间"),
    "max_value": _("处置时限应在 1 到 60 个工作日之间"),
}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def split_numbers(text: str) -> list[str]:
    return [n for n in re.split(r"[\s,,;;、]+", text or "") if n]


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("会议名称"), max_length=TITLE_MAX, error_messages={"required": _("请填写会议名称")}
    )
    starts_at = forms.DateTimeField(
        label=_("会议时间"),
        widget=inputs.DateTimeInput(),
        error_messages={
            "required": _("请填写会议时间"),
            "invalid": _("会议时间格式应为 年-月-日 时:分"),
        },
    )
    place = forms.CharField(
        label=_("会议地点"), max_length=PLACE_MAX, error_messages={"required": _("请填写会议地点")}
    )
    region = forms.ChoiceField(label=_("所属辖区"))
    departments = forms.MultipleChoiceField(
        label=_("邀请部门"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("所选部门不负责您的辖区")},
    )
    participants = forms.CharField(
        label=_("其他参会人员(每行一人:姓名 单位/职务)"),
        max_length=PARTICIPANTS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    cases = forms.CharField(
        label=_("议程事件编号(每行一个)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = services.convener_regions(user)
        names = dict(Region.objects.filter(code__in=regions).values_list("code", "name"))
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            (c, f"{names.get(c, c)}({c})") for c in regions
        ]
        seen: dict[int, Any] = {}
        for code in regions:
            for dept in services.departments_serving(code):
                seen.setdefault(dept.pk, dept)
        self.fields["departments"].choices = [  # type: ignore[attr-defined]
            (str(d.pk), d.name) for d in seen.values()
        ]


class AgendaForm(forms.Form):
    cases = forms.CharField(
        label=_("事件编号"), max_length=2000, error_messages={"required": _("请填写事件编号")}
    )


class InviteForm(forms.Form):
    departments = forms.MultipleChoiceField(
        label=_("邀请部门"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请选择要邀请的部门"),
            "invalid_choice": _("所选部门不负责本会议所属辖区"),
        },
    )

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = set(meeting.invitations.values_list("department_id", flat=True))
        self.fields["departments"].choices = [  # type: ignore[attr-defined]
            (str(d.pk), d.name)
            for d in services.departments_serving(meeting.region_code)
            if d.pk not in invited
        ]


class DecisionForm(forms.Form):
    lead = forms.ChoiceField(
        label=_("主办部门"),
        error_messages={
            "required": _("请选择主办部门"),
            "invalid_choice": _("主办部门须为受邀参会部门"),
        },
    )
    assists = forms.MultipleChoiceField(
        label=_("协办部门"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("协办部门须为受邀参会部门")},
    )
    due_days = forms.IntegerField(
        label=_("处置时限(工作日)"), min_value=1, max_value=MAX_DUE_DAYS, error_messages=DAYS_ERRORS
    )
    note = forms.CharField(
        label=_("决定说明"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, departments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(d.pk), d.name) for d in departments]
        self.fields["lead"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        self.fields["assists"].choices = choices  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"),
        max_length=MINUTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
