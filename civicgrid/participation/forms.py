"""Forms of the portal's staff pages. They only shape input: the checks that matter (every
target inside the jurisdiction, who may publish) are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.core import inputs
from civicgrid.core.scoping import prefix_q
from civicgrid.geo.models import Grid, Region
from civicgrid.participation.choices import NoticeKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def target_choices(user: Any) -> list[tuple[str, str]]:
    """Streets, communities and grids inside the user's jurisdiction, in code order."""
    regions = Region.objects.filter(level__in=("street", "community"), retired_on__isnull=True)
    grids = Grid.objects.current()
    if not user.sees_everything:
        regions = regions.filter(prefix_q("code", user.scope_codes))
        grids = grids.filter(prefix_q("code", user.scope_codes))
    rows = [(r.code, f"{r.short_name or r.name}({r.get_level_display()})") for r in regions]
    rows += [(g.code, f"{g.name}") for g in grids]
    return sorted(rows)


class NoticeForm(forms.Form):
    use_required_attribute = False

    kind = forms.ChoiceField(label=_("类型"), choices=NoticeKind.choices)
    title = forms.CharField(
        label=_("标题"), max_length=100, error_messages={"required": _("请填写标题")}
    )
    body = forms.CharField(
        label=_("正文(纯文本,换行会保留)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("请填写正文")},
    )
    targets = forms.MultipleChoiceField(
        label=_("发布范围"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少选择一个发布范围(网格、社区或街道)"),
            "invalid_choice": _("发布范围 %(value)s 不存在或不在您的管辖范围内"),
        },
    )
    starts_on = forms.DateField(
        label=_("开始日期"),
        widget=inputs.DateInput(),
        error_messages={"required": _("请填写开始日期"), "invalid": _("日期格式应为 年-月-日")},
    )
    ends_on = forms.DateField(
        label=_("结束日期(可不填)"),
        required=False,
        widget=inputs.DateInput(),
        error_messages={"invalid": _("日期格式应为 年-月-日")},
    )
    pinned = forms.BooleanField(label=_("置顶"), required=False)
    attachments = MultipleFileField(
        label=_("附件(PDF、图片、Office 文档,最多 5 个)"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = target_choices(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("结束日期不能早于开始日期"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CardForm(forms.Form):
    use_required_attribute = False

    display_name = forms.CharField(
        label=_("公示姓名(留空用账户姓名)"), max_length=50, required=False
    )
    public_phone = forms.CharField(
        label=_("公开工作电话(挂牌电话,不是个人手机)"), max_length=30, required=False
    )
    service_hours = forms.CharField(
        label=_("服务时间"), max_length=100, required=False, initial=_("工作日 9:00-17:30")
    )
    photo = forms.ImageField(label=_("照片"), required=False)
    published = forms.BooleanField(label=_("在社区服务页公开"), required=False)


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
