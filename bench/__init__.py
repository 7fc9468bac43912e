"""National-scale benchmark: synthetic data over all German Gemeinden (generate.py) and the timed steps (run.py)."""
