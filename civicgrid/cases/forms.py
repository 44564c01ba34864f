"""Forms of the case pages. They only shape input: intake goes to ``services.case_report``,
every action to ``workflow.case_transition``, which do the checking that matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.cases.choices import (
    WORKER_CHANNELS,
    Action,
    CaseStatus,
    Channel,
    HandlingLevel,
    Satisfaction,
)
from civicgrid.cases.models import Case, Category
from civicgrid.cases.photos import photo_validate
from civicgrid.cases.selectors import departments_serving, dispatch_members
from civicgrid.cases.ui_selectors import suggest_categories
from civicgrid.cases.workflow import default_department, dispatch_departments
from civicgrid.core import inputs
from civicgrid.core.worktime import WorkUnit
from civicgrid.geo.models import Grid

MAX_PHOTOS = 6


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked by the domain's ``photo_validate`` so the
    page and the API give the same Chinese message."""

    widget = MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("照片"))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(_("请至少上传一张照片"))
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("最多上传 %(n)s 张照片") % {"n": MAX_PHOTOS})
        errors = []
        for upload in files:
            try:
                photo_validate(upload)
            except ValidationError as exc:
                errors.append(f"{upload.name}:{' '.join(exc.messages)}")
        if errors:
            raise ValidationError(errors)
        return list(files)


class CategoryChoiceField(forms.ModelChoiceField):
    """小类 grouped under their 大类, so one control is the 大类 → 小类 picker."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Category.objects.current().minors().select_related("parent"),
            label=_("分类"),
            empty_label=_("请选择分类"),
            error_messages={
                "required": _("请选择分类"),
                "invalid_choice": _("请选择有效的分类"),
            },
            **kwargs,
        )

    def grouped_choices(self, *, codes: bool = True) -> list[tuple[Any, Any]]:
        """Choices with optgroups; residents get plain names, staff the codes as well."""
        groups: dict[str, list[tuple[Any, str]]] = {}
        for category in self.queryset.order_by("code"):  # type: ignore[union-attr]
            parent = category.parent
            label = f"{parent.code} {parent.name}" if codes else parent.name
            name = f"{category.code} {category.name}" if codes else category.name
            groups.setdefault(label, []).append((category.pk, name))
        return [("", [("", str(self.empty_label))]), *groups.items()]


class ReportForm(forms.Form):
    """Staff intake (网格员上报, 来访, 12345, 上级交办)."""

    channel = forms.ChoiceField(
        label=_("来源渠道"),
        # Residents and Open311 apps file through their own doors, never a staff member's form.
        choices=[c for c in Channel.choices if c[0] not in (Channel.RESIDENT, Channel.OPEN311)],
        initial=Channel.GRID_WORKER,
    )
    category = CategoryChoiceField()
    description = forms.CharField(
        label=_("问题描述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请描述问题")},
    )
    urgent = forms.BooleanField(label=_("紧急"), required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("地点"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("反映人姓名"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("反映人电话"), max_length=30, required=False)
    photos = PhotosField()
    duplicate_of = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = self.fields["category"].grouped_choices()  # type: ignore[attr-defined]
        if getattr(user, "role", None) == Role.GRID_WORKER:
            channel: Any = self.fields["channel"]
            channel.choices = [c for c in channel.choices if c[0] in WORKER_CHANNELS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lat") is None and not (data.get("address") or "").strip():
            self.add_error("address", _("请在地图上选点、使用当前位置或填写地点"))
        needs_reporter = data.get("channel") in (Channel.WALK_IN, Channel.HOTLINE)
        if needs_reporter and not (data.get("reporter_name") or "").strip():
            self.add_error("reporter_name", _("来访和热线事件请填写反映人姓名"))
        return data


class ResidentReportForm(forms.Form):
    """A resident's request: plain words, a pin or an address, an optional photo."""

    # Missing input is told by the server, in Chinese next to the field, not by a browser
    # tooltip in the phone's language that vanishes when touched.
    use_required_attribute = False

    category = CategoryChoiceField()
    description = forms.CharField(
        label=_("遇到了什么问题"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请说说遇到了什么问题")},
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("详细地点(路名、小区、楼栋)"), max_length=200, required=False)
    # Without a position (no GPS, or a site without map tiles) the resident names their grid,
    # as the community portal shows them; the desk of that grid's community takes the request
    # (docs/architecture.md "Community portal": a request reaches a desk by a point or a grid).
    grid = forms.ChoiceField(label=_("所在网格(无法定位时选择)"), required=False)
    reporter_phone = forms.CharField(label=_("联系电话(可不填)"), max_length=30, required=False)
    photos = PhotosField(label=_("照片(可不传)"))

    def __init__(
        self, *args: Any, community: str = "", pick_map: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # What the page offers, so that no hint points at something it does not show: a map
        # to tap (only over real tiles for a resident) and, above the type, the categories
        # suggested by the words already written (shown again when the page comes back).
        self.pick_map = pick_map
        self.suggestions: list[Category] = []
        if self.is_bound:
            described = str(self.data.get(self.add_prefix("description")) or "")[:2000]
            self.suggestions = suggest_categories(described)
        field = self.fields["category"]
        field.label = _("问题类型")
        field.choices = field.grouped_choices(codes=False)  # type: ignore[attr-defined]
        field.error_messages["required"] = (
            _("请选择问题类型(可点上方的推荐分类)") if self.suggestions else _("请选择问题类型")
        )
        self.fields["grid"].choices = grid_choices(community)  # type: ignore[attr-defined]
        self.fields["grid"].error_messages["invalid_choice"] = _("请选择有效的网格")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Intake finds the community from the point or from the grid chosen; a typed address
        # alone would reach no desk, so one of the two is required here.
        data["grid_obj"] = None
        if data.get("lat") is None or data.get("lng") is None:
            code = data.get("grid") or ""
            grid = Grid.objects.current().filter(code=code).first() if code else None
            if grid is None:
                self.add_error(
                    "address",
                    _(
                        "请点“使用我的位置”或在地图上点出位置,或选择您所在的网格,"
                        "以便转给所在社区办理"
                    )
                    if self.pick_map
                    else _("请点“使用我的位置”,或选择您所在的网格,以便转给所在社区办理"),
                )
            else:
                data["grid_obj"] = grid
        return data


def grid_choices(community: str = "") -> list[tuple[Any, Any]]:
    """Current grids grouped by community (only the given community's when one is named):
    grid outlines and names are public, as on the community portal."""
    grids = Grid.objects.current().select_related("community").order_by("code")
    if community and community.isdigit():
        narrowed = grids.filter(community__code=community)
        if narrowed.exists():
            grids = narrowed
    groups: dict[str, list[tuple[str, str]]] = {}
    for grid in grids:
        groups.setdefault(grid.community.short_name, []).append((grid.code, grid.name))
    return [("", _("请选择网格")), *groups.items()]


class TrackForm(forms.Form):
    """Tracking by number. Someone not signed in (a caller of 12345 who has only the number)
    also gives the phone number they left with the case: something they know by heart, that a
    stranger trying sequential case numbers does not (docs/architecture.md "Cases")."""

    number = forms.CharField(
        label=_("事件编号"),
        max_length=32,
        error_messages={"required": _("请输入事件编号")},
    )
    phone = forms.RegexField(
        label=_("登记的联系电话"),
        regex=r"^[\d\s+()-]{7,30}$",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"invalid": _("请输入完整的联系电话(手机号或带区号的固定电话)")},
    )


class FilterForm(forms.Form):
    """GET filters of the command-centre list; all optional, bad values are simply ignored."""

    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *CaseStatus.choices]
    )
    number = forms.RegexField(
        label=_("事件编号"),
        required=False,
        max_length=32,
        regex=r"^\s*[0-9-]+\s*$",
        error_messages={"invalid": _("事件编号只含数字和 -,可只填开头部分")},
    )
    category = forms.ChoiceField(label=_("分类"), required=False)
    grid = forms.CharField(label=_("区划/网格编码"), required=False, max_length=15)
    department = forms.ModelChoiceField(
        label=_("承办部门"),
        required=False,
        queryset=Department.objects.filter(retired_on__isnull=True),
        empty_label=_("全部"),
    )
    # 在办: not yet closed or voided (the screen's map counts these per grid).
    open = forms.BooleanField(label=_("仅在办"), required=False)
    overdue = forms.BooleanField(label=_("仅超期"), required=False)
    supervised = forms.BooleanField(label=_("仅督办"), required=False)
    channel = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部")), *Channel.choices]
    )
    date_from = forms.DateField(label=_("上报自"), required=False, widget=inputs.DateInput())
    date_to = forms.DateField(label=_("至"), required=False, widget=inputs.DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and not user.sees_everything:
            # The departments that can hold the viewer's cases, and a department clerk's own.
            serving = departments_serving(list(user.scope_codes))
            own = Department.objects.filter(pk=user.department_id)
            self.fields["department"].queryset = (serving | own).filter(  # type: ignore[attr-defined]
                retired_on__isnull=True
            )
        self.fields["category"].choices = [("", _("全部"))] + [  # type: ignore[attr-defined]
            (c.code, f"{'' if c.parent_id is None else '— '}{c.code} {c.name}")
            for c in Category.objects.current().order_by("code")
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        if data.get("department"):
            data["department"] = data["department"].pk
        return {k: v for k, v in data.items() if v}


# --- one small form per workflow action -----------------------------------------------------


class ActionForm(forms.Form):
    """Base: an optional note. Subclasses add what their action needs; ``transition_data``
    turns the cleaned input into the keyword arguments of ``case_transition``."""

    note_required = False
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, case: Case, actor: Any, **kwargs: Any) -> None:
        self.case = case
        self.actor = actor
        super().__init__(*args, **kwargs)
        if self.note_required:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _("请填写说明或理由")

    def transition_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("note", None)
        return {k: v for k, v in data.items() if v not in (None, "", [])}


class NoteRequiredForm(ActionForm):
    note_required = True


class RouteForm(ActionForm):
    level = forms.ChoiceField(label=_("分流至"), choices=HandlingLevel.choices)
    department = forms.ModelChoiceField(
        label=_("建议承办部门"), required=False, queryset=Department.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = dispatch_departments(self.case)  # type: ignore[attr-defined]
        self.fields["level"].initial = self.case.level or HandlingLevel.STREET


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = obj.department.name if obj.department_id else ""
        return f"{dept} · {obj.full_name or obj.username}"


class DispatchForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("承办部门"),
        queryset=Department.objects.none(),
        error_messages={"required": _("请选择承办部门")},
    )
    assignee = AssigneeChoiceField(
        label=_("指定承办人(网格团队成员,可不选)"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("所选人员不是该网格团队的部门成员")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Exactly what case_transition accepts (one function decides both), with the
        # department the responsibility list names pre-selected.
        field = self.fields["department"]
        field.queryset = dispatch_departments(self.case)  # type: ignore[attr-defined]
        default = default_department(self.case)
        field.initial = default.pk if default else self.case.department_id
        # Members of the case grid's team from the departments it may go to: the command
        # centre may name the handler at once (the API accepts the same people).
        people = dispatch_members(self.case)
        if people:
            self.fields["assignee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                pk__in=[u.pk for u in people]
            ).select_related("department")
        else:
            del self.fields["assignee"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, dept = data.get("assignee"), data.get("department")
        if person is not None and dept is not None and person.department_id != dept.pk:
            self.add_error("assignee", _("所选人员不属于承办部门,请重新选择"))
        return data

    def transition_data(self) -> dict[str, Any]:
        # The assignee is set by a REASSIGN right after the dispatch (views.act): dispatch
        # itself always leaves the case for the department to sign for.
        data = super().transition_data()
        data.pop("assignee", None)
        return data


class FeedbackForm(NoteRequiredForm):
    photos = PhotosField(label=_("处置照片"))


class VerifyForm(ActionForm):
    photos = PhotosField(label=_("核查照片"))


class LimitForm(ActionForm):
    amount = forms.DecimalField(
        label=_("时长"), min_value=0.25, max_digits=6, decimal_places=2, required=False
    )
    unit = forms.ChoiceField(label=_("单位"), choices=WorkUnit.choices, initial=WorkUnit.DAYS)

    def transition_data(self) -> dict[str, Any]:
        data = super().transition_data()
        # A unit without an amount would override the unit of the pending request.
        if "amount" not in data:
            data.pop("unit", None)
        return data


class ExtensionApproveForm(LimitForm):
    """Approve as asked, or change the length before approving."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.case.extension_amount:
            self.fields["amount"].initial = self.case.extension_amount
            self.fields["unit"].initial = self.case.extension_unit or WorkUnit.DAYS
        self.fields["amount"].label = _("批准延期时长(默认为申请的时长)")


class ExtensionRequestForm(LimitForm):
    note_required = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = True
        self.fields["amount"].error_messages["required"] = _("请填写延期时长")
        self.fields["note"].label = _("延期理由")


class SuperviseForm(LimitForm):
    note_required = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("督办意见")
        self.fields["amount"].label = _("新时限(可不填)")


class EvaluateForm(ActionForm):
    field_order = ["satisfaction", "note"]
    satisfaction = forms.ChoiceField(
        label=_("评价"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("意见(可不填)")


class ReassignForm(ActionForm):
    assignee = forms.ModelChoiceField(
        label=_("交给"),
        queryset=User.objects.none(),
        error_messages={"required": _("请选择接手人员")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from civicgrid.cases.ui_selectors import reassign_candidates

        people = reassign_candidates(self.case, self.actor)
        field: Any = self.fields["assignee"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in people])
        if not people:
            # An empty list reads as broken; say why there is nobody to choose.
            field.empty_label = _("暂无可接手的人员")
            field.help_text = _("没有其他可以接手的账户;需要时请联系管理员添加,或退回上一环节")


class MergeForm(ActionForm):
    into = forms.ModelChoiceField(
        label=_("合并到"),
        queryset=Case.objects.none(),
        error_messages={"required": _("请选择要合并到的主事件")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from civicgrid.cases.ui_selectors import visible_duplicates

        case = self.case
        targets = visible_duplicates(
            self.actor, category=case.category, lat=case.lat, lng=case.lng, exclude=case
        )
        field = self.fields["into"]
        field.queryset = Case.objects.filter(pk__in=[c.pk for c in targets])  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: f"{c.number} {c.description[:20]}"  # type: ignore[attr-defined]


ACTION_FORMS: dict[str, type[ActionForm]] = {
    Action.ACCEPT: ActionForm,
    Action.VOID: NoteRequiredForm,
    Action.MERGE: MergeForm,
    Action.ROUTE: RouteForm,
    Action.DISPATCH: DispatchForm,
    Action.SIGN_FOR: ActionForm,
    Action.RETURN: NoteRequiredForm,
    Action.FEEDBACK: FeedbackForm,
    Action.REQUEST_EXTENSION: ExtensionRequestForm,
    Action.APPROVE_EXTENSION: ExtensionApproveForm,
    Action.REJECT_EXTENSION: NoteRequiredForm,
    Action.DEFER: NoteRequiredForm,
    Action.HOLD: NoteRequiredForm,
    Action.RESUME: ActionForm,
    Action.VERIFY: VerifyForm,
    Action.REWORK: NoteRequiredForm,
    Action.EVALUATE: EvaluateForm,
    Action.REOPEN: NoteRequiredForm,
    Action.SUPERVISE: SuperviseForm,
    Action.REASSIGN: ReassignForm,
}


def action_form(
    action: str, *, case: Case, actor: Any, data: Any = None, files: Any = None
) -> ActionForm:
    form_class = ACTION_FORMS[action]
    return form_class(data, files, case=case, actor=actor, prefix=action)
