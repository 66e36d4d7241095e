"""Tests of API/PNR ingestion (pure core and manage.py parse); no database needed."""
