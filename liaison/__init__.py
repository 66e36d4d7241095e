"""Exchanges with INTERPOL I-24/7, WCO CENcomm, national databases and other task forces."""
