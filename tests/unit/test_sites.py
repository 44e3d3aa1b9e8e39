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
