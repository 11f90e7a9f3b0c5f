"""Benchmarks and the synthetic corpus generator (for speed and scale tests only; accuracy is
measured on the real reports of data/sample and tests/corpus)."""
