"""The passenger-targeting domain: manifests, ingestion and screening (one app per concern)."""
