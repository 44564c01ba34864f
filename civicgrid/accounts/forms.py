from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts import services
from civicgrid.accounts.choices import (
    ADMIN_ROLES,
    SENSITIVE_PERMISSION_ROLES,
    SENSITIVE_PERMISSIONS,
    Role,
)
from civicgrid.accounts.models import Department, User

# The security administrator assigns working roles only; the three administrators come from
# the break-glass command (三权分立, enforced again in accounts.services).
WORKING_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名"), widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账户已停用。"),
    }


def _split_codes(raw: str) -> list[str]:
    return list(dict.fromkeys(c.strip() for c in raw.replace("，", ",").split(",") if c.strip()))


class AccountFieldsForm(forms.Form):
    """What the security admin sets on an account, validated the same way on creation and on
    every later change: scopes must exist and fit the role, handlers need a department."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("角色"), choices=WORKING_ROLE_CHOICES)
    scopes = forms.CharField(
        label=_("管辖范围(区划或网格编码,逗号分隔)"), required=False, max_length=500
    )
    department = forms.ModelChoiceField(
        label=_("所属部门"),
        queryset=Department.objects.filter(retired_on__isnull=True),
        required=False,
        help_text=_("仅职能部门经办人填写。"),
    )
    phone = forms.RegexField(
        label=_("工作电话"),
        regex=r"^[0-9+\- ]{7,20}$",
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        error_messages={"invalid": _("电话只能包含数字、空格、+ 和 -,长度 7–20。")},
    )
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, error_messages={"invalid": _("请输入有效的电子邮箱。")}
    )
    permissions = forms.MultipleChoiceField(
        label=_("敏感数据权限"),
        choices=list(SENSITIVE_PERMISSIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_scopes(self) -> list[str]:
        codes = _split_codes(self.cleaned_data.get("scopes", ""))
        bad = [c for c in codes if not c.isdigit() or len(c) not in (2, 4, 6, 9, 12, 15)]
        if bad:
            raise forms.ValidationError(
                _("编码无效:%(codes)s(应为 2/4/6/9/12 位区划代码或 15 位网格编码)"),
                params={"codes": "、".join(bad)},
            )
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == Role.DEPARTMENT and not data.get("department"):
            self.add_error("department", _("职能部门经办人必须选择所属部门。"))
        if role and "scopes" in data:
            for problem in services.scope_problems(Role(role), data["scopes"]):
                self.add_error("scopes", problem)
        if role and data.get("permissions") and role not in SENSITIVE_PERMISSION_ROLES:
            self.add_error(
                "permissions",
                _("%(role)s不能被授予敏感数据权限。") % {"role": Role(role).label},
            )
        return data


def sensitive_permissions_of(user: User) -> list[str]:
    """The sensitive permissions granted to ``user`` directly, as ``app_label.codename``."""
    granted = user.user_permissions.values_list("content_type__app_label", "codename")
    return sorted(p for p in (f"{a}.{c}" for a, c in granted) if p in SENSITIVE_PERMISSIONS)


class AccountForm(AccountFieldsForm):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.@-]{3,40}$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -,长度 3–40。")},
    )
    # The rules themselves (AUTH_PASSWORD_VALIDATORS) are applied where the password is set,
    # services._set_password, which knows the account being created.
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )

    field_order = [
        "username", "full_name", "role", "scopes", "department", "phone", "email", "password",
    ]  # fmt: skip

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("该用户名已存在。"))
        return username


class AccountEditForm(AccountFieldsForm):
    is_active = forms.BooleanField(label=_("启用"), required=False)
    reason = forms.CharField(
        label=_("事由"),
        max_length=200,
        required=False,
        help_text=_("记入审计记录;停用或启用账户时必填。"),
    )

    def __init__(self, *args: Any, account: User, editor: User, **kwargs: Any) -> None:
        self.account = account
        self.editor = editor
        kwargs.setdefault(
            "initial",
            {
                "full_name": account.full_name,
                "role": account.role,
                "scopes": ",".join(account.scope_codes),
                "department": account.department_id,
                "phone": account.phone,
                "email": account.email,
                "is_active": account.is_active,
                "permissions": sensitive_permissions_of(account),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.account.pk == self.editor.pk:
            # Separation of duties: nobody widens or narrows their own powers.
            if data.get("role") and data["role"] != self.account.role:
                self.add_error("role", _("不能修改自己的角色。"))
            if "is_active" in data and not data["is_active"]:
                self.add_error("is_active", _("不能停用自己的账户。"))
        if (
            "is_active" in data
            and data["is_active"] != self.account.is_active
            and not data.get("reason")
        ):
            self.add_error("reason", _("请填写停用或启用的事由。"))
        return data


class PasswordResetForm(forms.Form):
    """The security admin hands out a temporary password the user must change at login. The
    password rules are applied by services.user_reset_password, like every other password."""

    password = forms.CharField(
        label=_("临时密码"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(label=_("再次输入"), widget=forms.PasswordInput, strip=False)
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("事由"), max_length=200)
