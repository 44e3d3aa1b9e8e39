"""The report page in a real browser: headless Chromium opens it from file:// with the network cut off,
the charts draw, Chinese renders with a CJK font, the console stays clean, and a screenshot is saved.

The warehouse is real: the demo portal is crawled and the pipeline's transform builds, validates and
publishes, which regenerates the report. Chromium is Debian's ``chromium`` driven through Playwright
(``executable_path``; Playwright downloads no browser). When Chromium or a CJK font is missing the
test installs them with apt-get (root only) and skips, saying why, when it cannot.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from parkwatch.pipeline import crawl, transform
from parkwatch.portal import Portal

pytestmark = pytest.mark.e2e

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
CJK_FONT = re.compile(r"CJK|Han |Han Sans|Han Serif|WenQuanYi|Hei|Song|Ming|Kai|Fallback|AR PL", re.I)
APT_PACKAGES = ["chromium", "fonts-noto-cjk"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
    return bool(out.strip())


def apt_install(packages: list[str]) -> str | None:
    """Install Debian packages; None when done, else why not."""
    if not shutil.which("apt-get"):
        return "apt-get is not available"
    if os.geteuid() != 0:
        return "not root, cannot apt-get install"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
        except subprocess.TimeoutExpired:
            return f"`{' '.join(cmd)}` timed out"
        if proc.returncode != 0:
            return f"`{' '.join(cmd)}` failed: {(proc.stderr or proc.stdout)[-500:]}"
    return None


@pytest.fixture(scope="module")
def browser_ready() -> str:
    missing = [p for p, ok in (("chromium", chromium_path()), ("fonts-noto-cjk", has_cjk_font())) if not ok]
    if missing:
        why = apt_install(missing)
        if why:
            pytest.skip(f"headless browser test needs Debian's {' and '.join(missing)}; could not install: {why}")
    path = chromium_path()
    if not path:
        pytest.skip("chromium is still not on PATH after apt-get install chromium")
    if not has_cjk_font():
        pytest.skip("no CJK font (fc-list :lang=zh-cn is empty) after apt-get install fonts-noto-cjk")
    pytest.importorskip("playwright.sync_api", reason="the playwright package (dev dependency) is not installed")
    return path


@pytest.fixture(scope="module")
def published_report(tmp_path_factory):
    home = tmp_path_factory.mktemp("report")
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    with Portal(port=0) as portal:
        mp.setenv("PARKWATCH_PORTAL_PORT", str(portal.port))
        assert all(not s["error"] for s in crawl())
    result = transform()
    mp.undo()
    assert result["validation"]["success"], result["validation"]
    report = result["publish"].get("report")
    assert report, f"publish did not regenerate the report: {result['publish']}"
    return Path(report)


@pytest.mark.timeout(2400)  # may apt-get install chromium and a CJK font first
def test_report_renders_in_headless_chromium(browser_ready, published_report, tmp_path):
    from playwright.sync_api import sync_playwright

    console, page_errors, outside = [], [], []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=browser_ready, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
        try:
            def offline(route):
                if route.request.url.startswith(("file:", "data:", "blob:")):
                    return route.continue_()
                outside.append(route.request.url)
                return route.abort()

            context.route("**/*", offline)
            page = context.new_page()
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.goto(published_report.resolve().as_uri())
            page.wait_for_selector("html[data-report-ready]", state="attached", timeout=60_000)

            status = page.evaluate("window.parkwatchReport")
            assert page.get_attribute("html", "data-report-ready") == "1", status
            assert status["charts"] >= 2 and status["drawn"] == status["charts"] and not status["errors"], status

            # every chart drew: a canvas of nonzero size with ink on it
            charts = page.evaluate("""() => [...document.querySelectorAll('.chart')].map(el => {
                const c = el.querySelector('canvas');
                if (!c) return {id: el.id, canvas: false};
                const ctx = c.getContext('2d');
                const px = ctx.getImageData(0, 0, c.width, c.height).data;
                let ink = 0;
                for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
                return {id: el.id, canvas: true, w: c.width, h: c.height, ink};
            })""")
            assert len(charts) == status["charts"]
            blank = [c for c in charts if not c["canvas"] or not c["w"] or not c["h"] or c["ink"] < 200]
            assert not blank, f"charts without a drawn canvas: {blank}"

            # the content a reader comes for
            heading = page.inner_text("h1")
            assert "园区监测报告" in heading
            parks_with_data = page.locator("section.park .cards").count()
            assert parks_with_data >= 1
            figures = page.locator(".card .value a[title]")
            assert figures.count() >= 5
            assert all(figures.nth(i).get_attribute("href").startswith("http") for i in range(figures.count()))
            assert page.locator(".card blockquote mark").count() >= 1  # the sentence, figure marked
            for section in ("#quality", "#review", "#crawl"):
                assert page.locator(section).is_visible()
            assert page.locator("table.policies").count() >= 1 and page.locator("table.crawl tbody tr").count() >= 1

            # Chinese is drawn with a CJK font, not tofu
            cdp = context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            assert any(CJK_FONT.search(f["familyName"]) for f in fonts), f"h1 drawn with {fonts}"

            page.screenshot(path=str(tmp_path / "report-top.png"))
            page.evaluate("document.querySelector('section.park .charts').previousElementSibling.scrollIntoView()")
            page.screenshot(path=str(tmp_path / "report-charts.png"))
            page.screenshot(path=str(tmp_path / "report-full.png"), full_page=True)
        finally:
            context.close()

    errors = [text for kind, text in console if kind == "error"]
    assert not errors and not page_errors, f"console errors: {errors}; page errors: {page_errors}"
    assert outside == [], f"the report asked the network for {outside}"
    for name in ("report-top.png", "report-charts.png", "report-full.png"):
        shot = tmp_path / name
        assert shot.exists() and shot.stat().st_size > 20_000, shot
    print(f"\nscreenshots: {tmp_path / 'report-top.png'}, {tmp_path / 'report-charts.png'}")
