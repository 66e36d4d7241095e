"""Tests of the passenger-targeting domain."""
