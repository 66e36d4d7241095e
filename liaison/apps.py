from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    label = "liaison"
    verbose_name = _("Liaison")

    def ready(self) -> None:
        from liaison.adapters import https_peer, register, store_forward

        register("jaitf_https", https_peer.HttpsPeerAdapter())
        store_forward.register_channels()
