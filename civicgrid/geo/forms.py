import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.core import inputs
from civicgrid.geo.models import Grid

# The most a split form may post (the API's split has the same limit); a hand-drawn line is a
# few kilobytes.
CUTTER_MAX_BYTES = 1024 * 1024


class SplitForm(forms.Form):
    cutter = forms.CharField(
        label=_("切割线或切出范围(GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": '{"type": "LineString", ...}'}),
        help_text=_("在下方小地图上依次点击画出切割线,或粘贴 GeoJSON LineString / Polygon。"),
        error_messages={"required": _("请画出切割线或粘贴 GeoJSON。")},
    )
    on = forms.DateField(
        label=_("调整日期"),
        required=False,
        widget=inputs.DateInput(),
        help_text=_("留空为今天。"),
        error_messages={"invalid": _("请输入有效日期。")},
    )

    def clean_cutter(self) -> dict[str, Any]:
        # The shape itself (type, coordinates, closed rings, no self-crossing) is checked by
        # geo.services, which answers the form and the API with the same Chinese reasons.
        try:
            value = json.loads(self.cleaned_data["cutter"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("不是有效的 GeoJSON:第 %(line)s 行第 %(col)s 列无法解析。"),
                params={"line": exc.lineno, "col": exc.colno},
            ) from exc
        except RecursionError as exc:
            raise forms.ValidationError(_("GeoJSON 嵌套过深,无法解析。")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("GeoJSON 应为一个几何对象。"))
        return value


class _GridChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.code})"


class MergeForm(forms.Form):
    others = _GridChoices(
        label=_("与哪些相邻网格合并"),
        queryset=Grid.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个相邻网格。")},
    )
    name = forms.CharField(label=_("合并后名称"), max_length=100, required=False)
    on = forms.DateField(
        label=_("调整日期"),
        required=False,
        widget=inputs.DateInput(),
        help_text=_("留空为今天。"),
        error_messages={"invalid": _("请输入有效日期。")},
    )

    def __init__(self, *args: Any, neighbours: list[Grid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["others"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Grid.objects.filter(pk__in=[g.pk for g in neighbours])
