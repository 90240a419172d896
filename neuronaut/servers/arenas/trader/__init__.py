"""Void Trader: a simulated space-trading bot (ranks, credits, hull and shield, energy)."""
