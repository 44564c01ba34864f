from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.integrations.keys import operation_choices


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    owner_system = forms.CharField(
        label=_("使用系统"), max_length=100, help_text=_("例如:市12345热线平台")
    )
    scopes = forms.CharField(
        label=_("管辖范围"),
        max_length=200,
        help_text=_("区县(6 位)或街道(9 位)编码,多个用空格分隔;密钥只能看到和上报该范围内的事件"),
    )
    operations = forms.MultipleChoiceField(
        label=_("允许调用的接口"), widget=forms.CheckboxSelectMultiple
    )
    rate_per_minute = forms.IntegerField(
        label=_("每分钟请求上限"), min_value=1, max_value=10000, initial=60
    )
    webhook_url = forms.URLField(
        label=_("状态回推地址"),
        required=False,
        assume_scheme="https",
        help_text=_("12345 热线等系统接收事件状态变化的地址;可留空"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["operations"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = operation_choices()

    def clean_scopes(self) -> list[str]:
        return self.cleaned_data["scopes"].split()


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("吊销原因"), max_length=200)
