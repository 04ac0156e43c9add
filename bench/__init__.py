"""Benchmarks: each `bench/bench_*.py` has a `main()` that prints a table of its figures and baselines."""
