from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.core import inputs
from civicgrid.participation.teams.choices import ContactWay, TeamRole


class MemberForm(forms.Form):
    """Add a member; the service checks every target (department account, person)."""

    role = forms.ChoiceField(label=_("团队角色"), choices=TeamRole.choices)
    user = forms.IntegerField(
        label=_("部门人员账号"), required=False, min_value=1, widget=forms.Select
    )
    person = forms.IntegerField(label=_("台账人员编号(可不填)"), required=False, min_value=1)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    work_phone = forms.CharField(label=_("工作电话"), max_length=20, required=False)
    public = forms.BooleanField(label=_("在社区服务页公开"), required=False)
    since = forms.DateField(label=_("加入日期"), required=False, widget=inputs.DateInput())

    def __init__(
        self, *args: Any, department_users: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(社区力量不选)"))] + [
            (u.pk, f"{u.department.name if u.department else ''} · {u.full_name or u.username}")
            for u in department_users or []
        ]
        self.fields["user"].widget = forms.Select(choices=choices)


class LeaveForm(forms.Form):
    until = forms.DateField(label=_("退出日期"), required=False, widget=inputs.DateInput())


class PartyMemberForm(forms.Form):
    person = forms.IntegerField(label=_("台账人员编号(党员)"), required=False, min_value=1)
    user = forms.IntegerField(label=_("或工作人员账号编号"), required=False, min_value=1)
    grid = forms.IntegerField(label=_("工作人员所在网格"), required=False, min_value=1)
    branch = forms.CharField(label=_("所在党支部"), max_length=100, required=False)


class LinkForm(forms.Form):
    household = forms.IntegerField(
        label=_("住户编号"), min_value=1, error_messages={"required": _("请填写住户编号")}
    )


class ContactForm(forms.Form):
    link = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    contacted_on = forms.DateField(label=_("联系日期"), required=False, widget=inputs.DateInput())
    way = forms.ChoiceField(label=_("方式"), choices=ContactWay.choices)
    note = forms.CharField(
        label=_("联系情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    issues = forms.CharField(
        label=_("发现问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    category = forms.IntegerField(
        label=_("上报为事件:小类编号(可不填)"), required=False, min_value=1
    )


class CoverageForm(forms.Form):
    days = forms.IntegerField(label=_("近多少天"), required=False, min_value=1, max_value=366)
    code = forms.RegexField(label=_("区划/网格编码"), regex=r"^\d{0,15}$", required=False)
