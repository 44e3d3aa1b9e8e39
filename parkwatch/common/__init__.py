"""Helpers that know nothing of the pipeline: dates, atomic files, the warehouse lock, the run log."""
