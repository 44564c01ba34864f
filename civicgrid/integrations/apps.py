from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import ACCOUNT_MANAGERS


class IntegrationsConfig(AppConfig):
    name = "civicgrid.integrations"
    verbose_name = _("外部系统接入")
    demo_builder = "civicgrid.integrations.demo.build_integrations"
    # The same role set as the key pages' policy (integrations.views).
    nav_group = _("系统管理")
    nav_items = [(92, _("API 密钥"), "integrations:key_list", ACCOUNT_MANAGERS)]

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from civicgrid.cases.models import CaseEvent
        from civicgrid.core.policy import register_api_key_resolver
        from civicgrid.integrations.hotline import on_case_event_saved
        from civicgrid.integrations.keys import resolve_api_key

        # core and cases know nothing of outside systems (docs/architecture.md "Layout"):
        # this app plugs its key check into the API policy and listens for case steps.
        register_api_key_resolver(resolve_api_key)
        post_save.connect(
            on_case_event_saved, sender=CaseEvent, dispatch_uid="integrations.hotline_push"
        )
