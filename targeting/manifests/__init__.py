"""Flights, travellers, travel documents and reservations (PNR details)."""
