"""Benchmarks run by hand (see bench/extraction.py); not part of the package or the tests."""
