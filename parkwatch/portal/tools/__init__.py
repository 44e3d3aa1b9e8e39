"""Maintenance scripts for the demo portal's frozen content (run by hand, never at serve time)."""
