"""Forms of the volunteer pages. Choices that name objects (communities, teams, volunteers)
are limited to the user's jurisdiction here, and the services check them again."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.core import inputs
from civicgrid.core.scoping import prefix_q
from civicgrid.geo.models import Region
from civicgrid.participation.volunteers.choices import MAX_HOURS_PER_ACTIVITY, TeamKind
from civicgrid.participation.volunteers.models import Team, Volunteer
from civicgrid.participation.volunteers.services import phone_valid


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def community_choices(user: Any) -> list[tuple[str, str]]:
    rows = Region.objects.filter(level="community", retired_on__isnull=True)
    if not user.is_superuser:
        # A grid-level scope does not make anyone manager of a whole community's volunteers.
        rows = rows.filter(prefix_q("code", [c for c in user.scope_codes if len(c) <= 12]))
    return [(r.code, r.name) for r in rows.order_by("code")[:200]]


class TeamForm(forms.Form):
    community = forms.ChoiceField(label=_("社区"))
    name = forms.CharField(label=_("队伍名称"), max_length=50)
    kind = forms.ChoiceField(label=_("类型"), choices=TeamKind.choices)
    leader = forms.ModelChoiceField(
        label=_("队长"), queryset=Volunteer.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("简介"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["community"]).choices = community_choices(user)
        cast(forms.ModelChoiceField, self.fields["leader"]).queryset = Volunteer.objects.visible_to(
            user
        ).filter(retired_on__isnull=True)


class VolunteerForm(forms.Form):
    community = forms.ChoiceField(label=_("社区"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    skills = forms.CharField(label=_("特长"), max_length=200, required=False)
    teams = forms.ModelMultipleChoiceField(
        label=_("加入队伍"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["community"]).choices = community_choices(user)
        cast(forms.ModelChoiceField, self.fields["teams"]).queryset = Team.objects.visible_to(
            user
        ).filter(retired_on__isnull=True)


class VolunteerEditForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("新联系电话(不改请留空)"), max_length=20, required=False)
    skills = forms.CharField(label=_("特长"), max_length=200, required=False)
    teams = forms.ModelMultipleChoiceField(
        label=_("所在队伍"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    retire = forms.BooleanField(label=_("退出志愿者队伍"), required=False)

    def __init__(self, *args: Any, volunteer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["teams"]).queryset = Team.objects.filter(
            community_code=volunteer.community_code, retired_on__isnull=True
        )


class ActivityForm(forms.Form):
    team = forms.ModelChoiceField(label=_("志愿服务队"), queryset=Team.objects.none())
    title = forms.CharField(label=_("活动名称"), max_length=100)
    # A browser's date and time inputs take only ISO values: the localised format would leave
    # them empty when the edit form shows the stored date.
    date = forms.DateField(label=_("日期"), widget=inputs.DateInput())
    starts_at = forms.TimeField(label=_("开始时间"), widget=inputs.TimeInput())
    ends_at = forms.TimeField(label=_("结束时间"), widget=inputs.TimeInput())
    place = forms.CharField(label=_("地点"), max_length=200)
    lat = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("经度"), required=False, min_value=-180, max_value=180)
    places = forms.IntegerField(label=_("名额"), min_value=1, max_value=1000)
    checkin_radius_m = forms.IntegerField(
        label=_("签到范围(米)"), min_value=50, max_value=5000, initial=500
    )
    description = forms.CharField(
        label=_("活动说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    case_number = forms.CharField(label=_("关联事件编号"), max_length=32, required=False)
    task_id = forms.IntegerField(label=_("关联网格任务编号"), required=False, min_value=1)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.visible_to(
            user
        ).filter(retired_on__isnull=True)


class ActivityEditForm(ActivityForm):
    """The same fields as publishing; the team stays within the activity's community (its
    sign-ups and hours belong there)."""

    def __init__(self, *args: Any, user: Any, activity: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.visible_to(
            user
        ).filter(retired_on__isnull=True, community_code=activity.community_code)


PHONE_INVALID = _("联系电话格式不正确")


class SignupForm(forms.Form):
    phone = forms.CharField(
        label=_("联系电话(首次报名填写)"),
        max_length=20,
        required=False,
        error_messages={"max_length": PHONE_INVALID},
    )

    def clean_phone(self) -> str:
        phone = "".join(self.cleaned_data["phone"].split())
        if phone and not phone_valid(phone):
            raise ValidationError(PHONE_INVALID)
        return phone


class StaffSignupForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("志愿者"), queryset=Volunteer.objects.none())

    def __init__(self, *args: Any, activity: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["volunteer"]).queryset = Volunteer.objects.filter(
            community_code=activity.community_code, retired_on__isnull=True
        )


class CheckinForm(forms.Form):
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180)


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("时长(小时)"),
        min_value=0,
        max_value=MAX_HOURS_PER_ACTIVITY,
        decimal_places=2,
        max_digits=5,
    )
    reason = forms.CharField(label=_("调整理由"), max_length=200)
