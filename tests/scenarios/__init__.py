"""Scenarios shared by servers that speak the same contract."""
