from django import template

from civicgrid.core.pii import mask_address, mask_id_number, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_address", mask_address)


@register.filter
def attributes_of(tag: object) -> list[tuple[str, str]]:
    """(label, value) pairs of a person tag's attributes, following its kind's schema."""
    return tag.kind.describe(tag.attributes)  # type: ignore[attr-defined]
