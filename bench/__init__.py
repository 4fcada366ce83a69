"""Benchmarks: chorusflow side by side with what a user would otherwise use, as ratios."""
