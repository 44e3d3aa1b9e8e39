import pytest

from parkwatch.listing import classify_link, normalise_url, same_origin, trs_page_urls


@pytest.mark.parametrize("url,text,kind", [
    ("http://a/jb/202406/t20240712_1001.html", "", "article"),
    ("http://a/art/2024/7/12/art_1234_56789.html", "", "article"),
    ("http://a/info/1021/3456.htm", "", "article"),
    ("http://a/news/2024/0715/1234.html", "", "article"),
    ("http://a/jb/index_1.html", "", "list"),
    ("http://a/list/page3", "下一页", "list"),
    ("http://a/files/P020220811123456789012.pdf", "附件", "attachment"),
    ("http://a/about.html", "关于我们", None),
])
def test_classify_link(url, text, kind):
    assert classify_link(url, text) == kind


def test_normalise_url_drops_fragments_and_scripts():
    assert normalise_url("http://a/b/c.html", "../d.html#top") == "http://a/d.html"
    assert normalise_url("http://a/", "javascript:void(0)") is None
    assert normalise_url("http://a/", "mailto:x@y") is None


def test_same_origin():
    assert same_origin("http://127.0.1.1:80/a", "http://127.0.1.1:80/b")
    assert not same_origin("http://127.0.1.1:80/a", "http://127.0.1.2:80/a")


def test_trs_pagination_from_create_page_html():
    html = '<script>createPageHTML(3, 0, "index", "html");</script>'
    assert trs_page_urls("http://a/jb/index.html", html) == ["http://a/jb/index_1.html", "http://a/jb/index_2.html"]
    assert trs_page_urls("http://a/jb/index.html", "<p>none</p>") == []
