"""Acceptance 5 and the command line: a registry file with a bad field fails naming the file and the
field, and the other sites still crawl; `parkwatch crawl --site … --date …` prints crawl health."""
import json
import subprocess

from parkwatch import config
from parkwatch.land import read_manifests
from parkwatch.portal import Portal
from tests.helpers.cli import run_parkwatch


def parkwatch(env: dict, *args: str) -> subprocess.CompletedProcess:
    return run_parkwatch(*args, env=env, timeout=600)


def test_bad_registry_file_is_named_and_the_other_sites_crawl(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    for name in ("jinhe-etdz", "yuanqu-news"):
        (sites / f"{name}.yaml").write_text((config.PROJECT_ROOT / "sites" / f"{name}.yaml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    broken = (config.PROJECT_ROOT / "sites" / "tongjiang-hitech.yaml").read_text(encoding="utf-8")
    (sites / "tongjiang-hitech.yaml").write_text(broken.replace("delay_s: 0}", "delay_s: -3}"), encoding="utf-8")
    home = tmp_path / "home"
    with Portal(port=0, today="2024-07-31") as portal:
        env = {"PARKWATCH_HOME": str(home), "PARKWATCH_SITES_DIR": str(sites), "PARKWATCH_PORTAL_PORT": str(portal.port)}
        proc = parkwatch(env, "crawl", "--date", "2024-07-31")
        assert proc.returncode == 1, proc.stderr[-3000:]
        assert f"{sites / 'tongjiang-hitech.yaml'}: politeness.delay_s: " in proc.stderr
        assert "jinhe-etdz" in proc.stdout and "yuanqu-news" in proc.stdout and "crawl health" in proc.stdout
        assert portal.requests_for("tongjiang-hitech") == []
        for sid in ("jinhe-etdz", "yuanqu-news"):
            assert any(r["outcome"] == "landed" and r.get("kind") == "page" for r in read_manifests(home / "raw", sid))

        again = parkwatch(env, "crawl", "--site", "jinhe-etdz", "--date", "2024-08-01", "--json")
        unknown = parkwatch(env, "crawl", "--site", "tongjiang-hitech")
    assert again.returncode == 1  # the broken file is still reported …
    [summary] = json.loads(again.stdout)  # … but the named site crawled: nothing new, nothing fetched again
    assert summary["site_id"] == "jinhe-etdz" and summary["error"] is None and summary["finished"]
    assert summary["new"] == 0 and summary["unchanged"] > 0 and summary["pages_landed"] == 0
    assert unknown.returncode == 1 and "unknown site tongjiang-hitech" in unknown.stderr
    runs = (home / "runs" / "crawl.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(runs) == 3 and json.loads(runs[-1])["site_id"] == "jinhe-etdz"
