"""One module per node; each node is ``async def node(state, runtime) -> dict``."""
