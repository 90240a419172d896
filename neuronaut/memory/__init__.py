"""Memory: embeddings, episodic memory (steps and documents) and the Chroma plumbing they share.

Import from the submodules (``neuronaut.memory.store``, ``neuronaut.memory.embeddings``):
this package stays empty so that importing one part does not load Chroma or torch.
"""
