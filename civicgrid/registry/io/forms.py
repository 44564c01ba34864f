from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 30 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("台账文件"),
        help_text=_("Excel(.xlsx)或 CSV,第一行为中文表头,列的顺序不限"),
        validators=[
            FileExtensionValidator(["xlsx", "csv", "txt"], message=_("只支持 .xlsx 或 .csv 文件"))
        ],
        error_messages={"required": _("请选择要导入的文件"), "empty": _("文件是空的")},
    )
    scope_code = forms.ChoiceField(
        label=_("导入到"),
        help_text=_("只接受这一范围内的行,其他行会列为错误"),
        error_messages={"invalid_choice": _("请选择您管辖的范围")},
    )

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = cast(forms.ChoiceField, self.fields["scope_code"])
        scope.choices = scopes
        if len(scopes) == 1:
            scope.initial = scopes[0][0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 30 MB,请拆分后分批导入"))
        return upload
