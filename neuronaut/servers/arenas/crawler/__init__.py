"""Crypt Crawl: a terse simulated dungeon bot (stances, an edited screen, text-only status)."""
