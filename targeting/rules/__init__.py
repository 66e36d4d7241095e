"""Watchlists, the name matcher, risk rules, screening and hits."""
