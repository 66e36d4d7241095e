from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "agencies.cases"
    label = "cases"
    verbose_name = _("Case files")

    def ready(self) -> None:
        from agencies.cases import signals  # noqa: F401  (keeps agency groups in step)
