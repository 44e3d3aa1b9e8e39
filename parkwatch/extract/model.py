"""The Document record every page becomes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DOC_TYPES = ("bulletin", "news", "policy", "policy_interpretation", "notice", "other")


@dataclass
class Document:
    """One parsed page. `error` is set (and the rest may be empty) when parsing failed."""

    url: str | None = None
    title: str | None = None
    published_date: str | None = None  # ISO yyyy-mm-dd
    source: str | None = None
    doc_type: str = "other"
    body: str = ""  # cleaned main text, paragraphs separated by "\n"
    metadata: dict[str, str] = field(default_factory=dict)
    attachments: list[dict] = field(default_factory=list)
    encoding: str | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        """Plain dict (JSON-serialisable)."""
        return asdict(self)
