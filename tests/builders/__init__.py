"""Builders for tests, in two modules that never share a name: `domain` builds domain objects
(`Report`, `Dashboard`, `Tile`, `Collection`), `wire` builds export-file entities as JSON values."""
