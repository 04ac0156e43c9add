"""Writes to the catalog: the import of national procedure data and internal workflow templates."""
