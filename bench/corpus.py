"""The pages every stage measures: the demo portal's generated sites (deterministic for a seed).

Pages are rendered in this process by the portal's own CMS renderers (the bytes the portal
would serve, without HTTP), written to a site registry for the crawls, or landed straight into a
raw zone with parkwatch's own landing code for the warehouse stages.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_SITE = 200
SEED = 10
HOST_PREFIX = "127.0.1"


@dataclass(frozen=True)
class Page:
    site_id: str
    section: str  # bulletin | policy | news
    path: str
    url: str
    body: bytes
    content_type: str
    published: str


def sites(n_sites: int, pages_per_site: int = PAGES_PER_SITE, seed: int = SEED, exclude_cms: tuple[str, ...] = ()):
    """Generated sites, skipping CMS families in ``exclude_cms`` (the generator cycles through
    five families; we generate more and keep the first ``n_sites`` that qualify)."""
    from parkwatch.portal.generator import generate

    if n_sites <= 0:
        return []
    need = n_sites + math.ceil(n_sites * len(exclude_cms) / max(1, 5 - len(exclude_cms))) + len(exclude_cms)
    kept = [g for g in generate(need, pages_per_site, seed) if g.content.cms not in exclude_cms]
    return kept[:n_sites]


def render(generated, port: int = 8700, limit_per_site: int | None = None, skip_per_site: int = 0) -> list[Page]:
    """The detail pages of generated sites as the portal serves them (clock: everything published).
    ``skip_per_site``/``limit_per_site`` select a slice of each site's pages in publication order."""
    from parkwatch.portal.cms import build_site
    from parkwatch.portal.model import Request

    pages = []
    for g in generated:
        base = f"http://{HOST_PREFIX}.{g.content.host_index}:{port}/"
        site = build_site(g.content, base_url=base, today=None)
        truths = sorted(g.truth.values(), key=lambda t: (t["published"], t["path"]))
        end = None if limit_per_site is None else skip_per_site + limit_per_site
        for t in truths[skip_per_site:end]:
            resp = site.handle(Request(method="GET", path=t["path"], query={}))
            if resp.status != 200:
                raise RuntimeError(f"{g.content.id}{t['path']}: portal answered {resp.status}")
            pages.append(
                Page(
                    site_id=g.content.id,
                    section=t["kind"],
                    path=t["path"],
                    url=base.rstrip("/") + t["path"],
                    body=resp.body,
                    content_type=resp.content_type,
                    published=t["published"],
                )
            )
    return pages


def write_registry(generated, sites_dir: Path) -> list[str]:
    """sites/*.yaml entries for the generated sites, as the portal publishes them."""
    from parkwatch.portal.generator import site_yaml

    sites_dir.mkdir(parents=True, exist_ok=True)
    ids = []
    for g in generated:
        (sites_dir / f"{g.content.id}.yaml").write_text(site_yaml(g, HOST_PREFIX), encoding="utf-8")
        ids.append(g.content.id)
    return ids


def land(pages: list[Page], raw_root: Path, run_tag: str, fetched_at: dt.datetime | None = None) -> int:
    """Land pages into a raw zone as a crawl would (content-addressed objects, one manifest per
    site and run), using parkwatch's landing code; returns how many lines were written."""
    from parkwatch.land import ManifestLine, ManifestWriter, RawStore

    store = RawStore(raw_root)
    fetched_at = fetched_at or dt.datetime(2026, 1, 15, 6, 0, tzinfo=dt.UTC)
    by_site: dict[str, list[Page]] = {}
    for p in pages:
        by_site.setdefault(p.site_id, []).append(p)
    n = 0
    for site_id, site_pages in by_site.items():
        run_id = f"{fetched_at.date().isoformat()}T{run_tag}"
        writer = ManifestWriter(store, site_id, run_id)
        try:
            for i, p in enumerate(site_pages):
                sha, rel = store.put(p.body)
                line = ManifestLine(
                    run_id=run_id,
                    site_id=site_id,
                    url=p.url,
                    section=p.section,
                    outcome="landed",
                    fetched_at=(fetched_at + dt.timedelta(milliseconds=20 * i)).isoformat(timespec="seconds"),
                    status=200,
                    sha256=sha,
                    size=len(p.body),
                    object_path=rel,
                    content_type=p.content_type,
                    final_url=p.url,
                    logical_date=fetched_at.date().isoformat(),
                    park_ids=[site_id],
                    kind="page",
                    change="new",
                )
                writer.write(line)
                n += 1
        finally:
            writer.close()
    return n


def truth_paths(generated) -> set[tuple[str, str]]:
    """(host index, path) of every detail page: what both crawls must reach."""
    return {(str(g.content.host_index), t["path"]) for g in generated for t in g.truth.values()}
