"""Tests of the benchmark scripts: they run, not how fast."""
