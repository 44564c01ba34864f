"""Readable labels for audit entries on the audit administrator's page."""

from django import template

from civicgrid.core import audit
from civicgrid.core.models import AuditEntry

register = template.Library()

register.filter("audit_action", audit.action_label)
register.filter("audit_field", audit.field_label)
register.filter("audit_result", audit.result_label)


@register.filter
def audit_target(entry: AuditEntry) -> str:
    return audit.target_label(entry.target_type, entry.target_id)
