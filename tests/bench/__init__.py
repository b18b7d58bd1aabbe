"""Benchmark harness: synthetic briefings, a bare Textual baseline, and a pty runner.

`uv run python -m tests.bench --help` runs the figures; `python -m tests.bench.generate` makes
briefings of any size. The benchmark is not a test; tests/test_bench.py checks the harness.
"""
