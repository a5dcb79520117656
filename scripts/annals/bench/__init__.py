"""Benchmarks (`annals bench`): the build timed at scale (run.py), memory watched (memory.py), search timed in a
browser (search.py)."""
