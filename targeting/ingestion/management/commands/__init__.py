"""manage.py parse (and later ingest, make_messages)."""
