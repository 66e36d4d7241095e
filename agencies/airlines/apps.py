from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AirlinesConfig(AppConfig):
    name = "agencies.airlines"
    label = "airlines"
    verbose_name = _("Airlines")
