"""Data quality gate (Great Expectations) in front of publishing."""
