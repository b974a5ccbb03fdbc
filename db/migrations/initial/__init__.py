"""The first schema's tables by concept, created by migration 0001 in its order."""
