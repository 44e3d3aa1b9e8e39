"""Stage 7, serve: what people read. Takes the published marts and the run log; gives
``parkwatch status`` (state and what needs attention) and the offline report page."""
