"""Landing pipeline: every page item goes to the raw zone and a manifest line. Files only, no database."""
from __future__ import annotations

from parkwatch.landing import ManifestLine, ManifestWriter, RawStore


class LandingPipeline:
    def open_spider(self, spider):
        self.store = RawStore(spider.raw_root)
        self.manifest = ManifestWriter(self.store, spider.site.id, spider.run_id)

    def close_spider(self, spider):
        self.manifest.close()

    def process_item(self, item, spider):
        line = ManifestLine(
            run_id=spider.run_id, site_id=spider.site.id, url=item["url"], section=item.get("section"),
            outcome=item["outcome"], status=item.get("status"), content_type=item.get("content_type"),
            final_url=item.get("final_url"), referer=item.get("referer"), reason=item.get("reason"),
            logical_date=spider.logical_date, park_ids=list(spider.site.parks),
        )
        if item["outcome"] == "landed":
            line.sha256, line.object_path = self.store.put(item["body"])
            line.size = len(item["body"])
            spider.crawler.stats.inc_value("parkwatch/landed")
        else:
            spider.crawler.stats.inc_value(f"parkwatch/failed/{item.get('reason', 'unknown')}")
        self.manifest.write(line)
        return {k: v for k, v in item.items() if k != "body"}
