"""Simulated game bots other than Dungeon Quest, served over the same chat tools.

Each differs from Dungeon Quest and from the others in wording, screen layout
and mechanics; they are arenas for an agent that has never seen them. Run one
with ``python -m neuronaut.servers.arenas --bot NAME``.
"""
