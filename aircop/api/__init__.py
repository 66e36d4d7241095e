"""The REST API shell under /api/v1/: authentication, permissions, errors, personal tokens."""
