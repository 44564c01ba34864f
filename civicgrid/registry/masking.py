"""Server-side masking of the ledgers' personal data (rule 3). Nothing unmasked leaves the
server except through ``services.person_unmask``."""

from __future__ import annotations

from civicgrid.core.pii import mask_address, mask_id_number, mask_phone

# Encrypted person fields: never shown in lists, history or API output unmasked.
PII_FIELDS = frozenset({"id_number", "phone", "address"})


def masked_pii(person: object) -> dict[str, str]:
    return {
        "id_number": mask_id_number(getattr(person, "id_number", "")),
        "phone": mask_phone(getattr(person, "phone", "")),
        "address": mask_address(getattr(person, "address", "")),
    }
