"""`motcua generate`: realistic dossiers for benchmarks and scale tests, loaded into PostgreSQL with COPY.

`world` reads the province once, `life` simulates one dossier by the lifecycle's own rules, `load` streams
days of dossiers into the database in batches. Generated events carry a valid hash chain, so
`motcua audit-verify` checks them like any other.
"""

from .load import Summary, generate

__all__ = ["Summary", "generate"]
