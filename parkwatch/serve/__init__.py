"""Stage 7, serve: what people read. Takes the published marts and the run log; gives
``parkwatch status`` (state and what needs attention, `status`) and the offline report page
(`report`)."""

from parkwatch.serve.report import generate_report, report_path
from parkwatch.serve.status import problems, published_counts, status

__all__ = ["generate_report", "problems", "published_counts", "report_path", "status"]
