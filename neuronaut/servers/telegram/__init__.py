"""The real Telegram account as an MCP server (Telethon), with the simulator's tools.

``server.build_server(adapter, policy)`` builds it, ``server.main`` runs it on
stdio, ``login.login_interactive`` creates the session it needs, and
``standin.StandinTelegram`` replaces Telegram's network with the simulated RPG
bot so all of the above can be tested and benchmarked offline.
"""
