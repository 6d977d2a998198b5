"""Netsmith's PyTorch engine: trains the module that the lab's PyTorch exporter writes for a graph."""
