from django.apps import AppConfig


class IngestionConfig(AppConfig):
    """API (PAXLST) and PNR (PNRGOV) ingestion."""

    name = "targeting.ingestion"
    label = "ingestion"
    verbose_name = "Ingestion"
