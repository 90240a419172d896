"""The skill library: skills as JSON files (the truth), a Chroma index derived from them,
consolidation of successful runs into skills, and a runner that replays them.

Import from the submodules; this package stays empty so importing it loads nothing heavy.
"""
