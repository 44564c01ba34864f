"""Template helpers of the registry pages.

There are deliberately no masking filters here: templates get personal data already masked
by ``registry.presenters`` (docs/architecture.md rule 7), so a template never holds a value it
would have to remember to mask.
"""

from django import template

register = template.Library()
