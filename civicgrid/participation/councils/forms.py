from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.core import inputs
from civicgrid.participation.councils.choices import (
    Decision,
    FollowUp,
    MemberRole,
    PassBase,
    VoteChoice,
)


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class CouncilForm(forms.Form):
    community_code = forms.ChoiceField(label=_("社区"))
    name = forms.CharField(label=_("名称"), max_length=100)
    support_threshold = forms.IntegerField(
        label=_("议题支持门槛"), min_value=1, max_value=1000, initial=10
    )
    quorum_ratio = forms.DecimalField(
        label=_("法定人数比例"), min_value=0, max_value=0.99, decimal_places=2, initial="0.50"
    )
    pass_ratio = forms.DecimalField(
        label=_("通过比例"), min_value=0, max_value=0.99, decimal_places=2, initial="0.50"
    )
    pass_base = forms.ChoiceField(label=_("计票基数"), choices=PassBase.choices)

    def __init__(self, *args: Any, communities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community_code"].choices = communities  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("议事会职务"), choices=MemberRole.choices)


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("会议时间"),
        widget=inputs.DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("地点"), max_length=100)


class NoteForm(forms.Form):
    discussion = forms.CharField(
        label=_("讨论记录"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VoteForm(forms.Form):
    member = forms.IntegerField(label=_("成员"), min_value=1)
    choice = forms.ChoiceField(label=_("表决"), choices=VoteChoice.choices)


class ResolutionForm(forms.Form):
    decision = forms.ChoiceField(label=_("决议事项"), choices=Decision.choices)
    text = forms.CharField(
        label=_("决议内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.CharField(label=_("责任人"), max_length=50)
    due_on = forms.DateField(label=_("完成时限"), widget=inputs.DateInput())


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("落实情况"), choices=FollowUp.choices)
    note = forms.CharField(label=_("进展说明"), max_length=500)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("议题标题"), max_length=100)
    description = forms.CharField(
        label=_("议题内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    address = forms.CharField(label=_("地点(可选)"), max_length=200, required=False)
    lat = forms.FloatField(
        label=_("纬度"), required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    lng = forms.FloatField(
        label=_("经度"), required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)


class CommunityForm(forms.Form):
    community = forms.ChoiceField(label=_("所在社区"))

    def __init__(self, *args: Any, communities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = communities  # type: ignore[attr-defined]
