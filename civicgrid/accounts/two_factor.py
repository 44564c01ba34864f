"""The second factor at sign-in (等保 2.0 level 3): a TOTP authenticator app (django-otp's
TOTPDevice) plus ten single-use recovery codes (StaticDevice). Required for the roles in
settings.OTP_REQUIRED_ROLES, optional for everyone else; once a user has one it is always asked.
docs/architecture.md "Sign-in".
"""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.core.audit import audit_record

RECOVERY_CODES = 10


def required(user: Any) -> bool:
    return bool(user.is_authenticated and str(user.role) in settings.OTP_REQUIRED_ROLES)


def enrolled(user: Any) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user; a new visit keeps the same
    secret so a QR code already scanned still works)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (no script, no external image: CSP-safe)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1b2733"))


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app without a camera."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def confirm(*, request: HttpRequest, user: Any, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; returns the new recovery codes
    (shown once), or None when the code is wrong."""
    device = pending_device(user)
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    audit_record(actor=user, action="otp_enrol", target=user, request=request)
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


def verify(*, request: HttpRequest, user: Any, token: str) -> bool:
    """Check a code from the app or a recovery code (used up); marks the session verified."""
    device = match_token(user, token.strip().replace(" ", ""))
    if device is None:
        audit_record(actor=user, action="otp_verify", target=user, request=request, result="denied")
        return False
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        audit_record(actor=user, action="otp_recovery_code", target=user, request=request)
    return True


@transaction.atomic
def reset(*, by: Any, user: Any, reason: str, request: HttpRequest | None = None) -> int:
    """The security administrator removes a user's second factor (lost phone); the user sets
    up a new one at next sign-in. Audited with the reason."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[0]
    audit_record(actor=by, action="otp_reset", target=user, reason=reason, request=request)
    return removed
