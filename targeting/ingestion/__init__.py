"""Ingestion of API (PAXLST) and PNR (PNRGOV) messages: a pure EDIFACT core and its Django side."""
