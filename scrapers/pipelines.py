"""Landing pipeline: every fetched URL goes to the raw zone and a manifest line. Files only, no database.

Bodies are stored content-addressed before their manifest line is written, so a line never points
at bytes that are not there. Whether a page is new, revised or unchanged is decided here, against
the site's state derived from earlier manifests (and updated as this run lands pages).
"""

from __future__ import annotations

from dataclasses import asdict

from parkwatch.land import ManifestLine, ManifestWriter, RawStore

_LINE_FIELDS = set(ManifestLine.__dataclass_fields__)


class LandingPipeline:
    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self.store = RawStore(spider.raw_root)
        self.store.sweep_tmp()
        self.store.repair_manifests(spider.site.id)
        self.manifest = ManifestWriter(self.store, spider.site.id, spider.run_id)

    def close_spider(self, spider=None):
        self.manifest.close()

    def process_item(self, item, spider=None):
        """Store the body in a worker thread (write + fsync must not stall the crawl), then write
        the manifest line on the reactor thread, so lines never interleave and always follow
        their bytes."""
        from twisted.internet.threads import deferToThread

        spider = spider or self.crawler.spider
        body = item.get("body")
        if body is None or (item["outcome"] == "landed" and item.get("not_modified")):
            return self._record(spider, item, None)
        d = deferToThread(self.store.put, body)
        d.addCallback(lambda stored: self._record(spider, item, stored))
        return d

    def _record(self, spider, item, stored):
        fields = {k: v for k, v in item.items() if k in _LINE_FIELDS and v is not None}
        line = ManifestLine(
            run_id=spider.run_id,
            site_id=spider.site.id,
            logical_date=spider.logical_date,
            park_ids=list(spider.site.parks),
            **fields,
        )
        prev = spider.state.latest(line.url) if line.kind != "list" else None
        if line.kind == "page" and not line.list_date and line.url in spider.plan.listed:
            line.list_title, line.list_date = spider.plan.listed[line.url]
        if line.outcome == "landed" and item.get("not_modified"):
            line.sha256, line.object_path = prev["sha256"], prev.get("object_path")
            line.size, line.content_type = prev.get("size"), line.content_type or prev.get("content_type")
            line.change = "unchanged"
        elif stored is not None:
            line.sha256, line.object_path = stored
            line.size = len(item["body"])
            if line.outcome == "landed" and line.kind != "list":
                line.change = "new" if prev is None else ("unchanged" if prev["sha256"] == line.sha256 else "revised")
        row = asdict(line)
        self.manifest.write(row)
        spider.state.observe(row)
        spider.plan.record(row)
        stats = self.crawler.stats if self.crawler else spider.crawler.stats
        stats.inc_value(f"parkwatch/{line.outcome}/{line.kind}")
        if line.outcome == "failed":
            stats.inc_value(f"parkwatch/failed/{line.reason or 'unknown'}")
        return {k: v for k, v in row.items() if k in ("url", "outcome", "change", "reason", "kind")}
