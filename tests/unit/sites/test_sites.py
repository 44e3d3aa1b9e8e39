from pathlib import Path

import pytest

from parkwatch.sites import expand_env, get_site, load_sites

GOOD = """
id: good-site
name: 某高新区管委会
parks: [some-park]
base_url: "http://127.0.1.9:${PW_TEST_PORT:-8700}/"
sections:
  - kind: bulletin
    start_urls: ["jb/index.html"]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_good_site_loads_with_env_expansion(tmp_path, monkeypatch):
    write(tmp_path, "good.yaml", GOOD)
    monkeypatch.setenv("PW_TEST_PORT", "9123")
    sites, errors = load_sites(tmp_path)
    assert errors == []
    assert sites[0].base_url == "http://127.0.1.9:9123/"
    assert sites[0].start_requests() == [("http://127.0.1.9:9123/jb/index.html", "bulletin")]


def test_env_default_used_when_unset(monkeypatch):
    monkeypatch.delenv("PW_UNSET_VAR", raising=False)
    assert expand_env({"a": ["${PW_UNSET_VAR:-x}"]}) == {"a": ["x"]}


def test_bad_files_name_file_and_field_and_do_not_stop_others(tmp_path):
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "bad_kind.yaml", GOOD.replace("good-site", "bad-kind").replace("kind: bulletin", "kind: gossip"))
    write(tmp_path, "bad_yaml.yaml", "id: [unclosed\n")
    write(tmp_path, "bad_url.yaml", GOOD.replace("good-site", "bad-url").replace('"http://127.0.1.9:${PW_TEST_PORT:-8700}/"', "ftp:nope"))
    sites, errors = load_sites(tmp_path)
    assert [s.id for s in sites] == ["good-site"]
    by_file = {Path(e.file).name: e for e in errors}
    assert by_file["bad_kind.yaml"].field == "sections.0.kind"
    assert by_file["bad_yaml.yaml"].reason.startswith("not valid YAML")
    assert by_file["bad_url.yaml"].field == "base_url"
    assert "bad_kind.yaml: sections.0.kind:" in str(by_file["bad_kind.yaml"])


def test_duplicate_ids_reported(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    sites, errors = load_sites(tmp_path)
    assert len(sites) == 1 and errors[0].field == "id" and "duplicate" in errors[0].reason


def test_get_site_unknown_names_known_ones(tmp_path):
    write(tmp_path, "good.yaml", GOOD)
    with pytest.raises(KeyError, match="known: good-site"):
        get_site("nope", tmp_path)


def test_repository_sites_are_valid():
    sites, errors = load_sites()
    assert errors == []
    assert len(sites) >= 2


FULL = GOOD + """
cms: trs
encoding: gb18030
selectors: {list_item: "ul.list > li", date: "span", next_page: "a.next"}
limits: {max_pages: 50, max_depth: 1, max_list_pages: 20, date_floor: 2024-01-01, max_bytes: 4000000}
politeness: {concurrency: 2, delay_s: 1.5, timeout_s: 20, retries: 3, retry_backoff_s: 1}
revisit: {recent_days: 30, every_days: 2, max_per_run: 10}
allow_hosts: ["files.example.gov.cn", "*.cdn.example.gov.cn"]
allow_networks: ["10.0.0.0/8"]
"""


def test_every_registry_field_loads(tmp_path):
    import datetime as dt

    write(tmp_path, "full.yaml", FULL)
    [site], errors = load_sites(tmp_path)
    assert errors == []
    assert site.cms == "trs" and site.encoding == "gb18030" and site.selectors.date == "span"
    assert site.limits.date_floor == dt.date(2024, 1, 1) and site.limits.max_bytes == 4_000_000
    assert site.politeness.retries == 3 and site.revisit.every_days == 2


def test_defaults_are_polite_and_safe(tmp_path):
    write(tmp_path, "good.yaml", GOOD)
    [site], _ = load_sites(tmp_path)
    assert site.politeness.delay_s >= 1 and site.politeness.concurrency <= 2 and site.politeness.autothrottle is None
    assert site.limits.max_bytes <= 8 * 1024 * 1024 and site.limits.date_floor is None
    assert site.allow_networks == [] and site.allow_hosts == [] and site.selectors is None


def test_own_hosts(tmp_path):
    write(tmp_path, "full.yaml", FULL.replace("${PW_TEST_PORT:-8700}", "8700"))
    [site], _ = load_sites(tmp_path)
    assert site.owns("http://127.0.1.9:8700/any/page.html")
    assert not site.owns("http://127.0.1.9:8701/any/page.html")  # another port is another origin
    assert site.owns("https://files.example.gov.cn/a.pdf")
    assert site.owns("http://img.cdn.example.gov.cn/b.pdf") and site.owns("http://cdn.example.gov.cn/b.pdf")
    assert not site.owns("http://evil-cdn.example.gov.cn/b.pdf")
    assert not site.owns("http://example.gov.cn.evil.com/") and not site.owns("ftp://127.0.1.9:8700/")
    plain = site.model_copy(update={"base_url": "http://www.example.gov.cn/"})
    assert plain.owns("https://www.example.gov.cn/a.html") and plain.owns("http://WWW.example.gov.cn:80/a.html")
    assert not plain.owns("http://www.example.gov.cn:8080/a.html")


@pytest.mark.parametrize("change,field", [
    ('encoding: gb18030', 'encoding'),
    ('next_page: "a.next"', 'selectors.next_page'),
    ('allow_networks: ["10.0.0.0/8"]', 'allow_networks'),
    ('max_bytes: 4000000', 'limits.max_bytes'),
    ('date_floor: 2024-01-01', 'limits.date_floor'),
    ('every_days: 2', 'revisit.every_days'),
    ('cms: trs', 'cms'),
    ('allow_hosts: ["files.example.gov.cn", "*.cdn.example.gov.cn"]', 'allow_hosts'),
    ('start_urls: ["jb/index.html"]', 'sections.0.start_urls.0'),
])
def test_bad_fields_are_named(tmp_path, change, field):
    bad = {
        'encoding: gb18030': 'encoding: klingon',
        'next_page: "a.next"': 'next_page: "a..[next"',
        'allow_networks: ["10.0.0.0/8"]': 'allow_networks: ["ten-net"]',
        'max_bytes: 4000000': 'max_bytes: -1',
        'date_floor: 2024-01-01': 'date_floor: someday',
        'every_days: 2': 'every_days: 0',
        'cms: trs': 'cms: wordpress',
        'allow_hosts: ["files.example.gov.cn", "*.cdn.example.gov.cn"]': 'allow_hosts: ["http://x/"]',
        'start_urls: ["jb/index.html"]': 'start_urls: ["http://elsewhere.example/jb/index.html"]',
    }[change]
    write(tmp_path, "good.yaml", GOOD.replace("good-site", "other-site"))
    write(tmp_path, "broken.yaml", FULL.replace(change, bad))
    sites, errors = load_sites(tmp_path)
    assert [s.id for s in sites] == ["other-site"]
    assert [(Path(e.file).name, e.field) for e in errors] == [("broken.yaml", field)], errors
    assert str(errors[0]).startswith(f"{errors[0].file}: {field}: ")


def test_unknown_field_is_named(tmp_path):
    write(tmp_path, "typo.yaml", GOOD + "politeness: {delay: 2}\n")
    _, errors = load_sites(tmp_path)
    assert errors[0].field == "politeness.delay" and "Extra inputs" in errors[0].reason
