"""Text cleaning: pinyin glosses, 繁→简, width, whitespace."""

import re

import pytest

from parkwatch.extract.text import clean_text, collapse_whitespace, normalize_width, strip_pinyin_glosses


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("园(yuan)区", "园区"),
        ("开发区(qū)", "开发区"),
        ("开发区【qū】", "开发区"),
        ("經濟開發區(qu)(qu)緊(jin)緊(jin)", "經濟開發區緊緊"),
        ("率(lǜ)先", "率先"),
        ("率(lv)先", "率先"),
        ("行(xing)(xing)政", "行政"),
        ("國內生產總值(GDP)", "國內生產總值(GDP)"),
        ("規劃(2022)", "規劃(2022)"),
        ("措施(一)", "措施(一)"),
        ("企业(VOCs)排放", "企业(VOCs)排放"),
        ("办法(试行)", "办法(试行)"),
    ],
)
def test_gloss_stripping(raw, expected):
    assert strip_pinyin_glosses(raw) == expected


def test_gloss_that_is_not_a_reading_stays():
    # (ma) is not a reading of 园: it is kept
    assert strip_pinyin_glosses("园(ma)区") == "园(ma)区"


def test_chain_cut_at_first_non_reading():
    assert strip_pinyin_glosses("区(qu)(GDP)") == "区(GDP)"


def test_clean_text_traditional_with_glosses_loses_no_character():
    raw = "園(yuan)區(qu)(qu)實現營業收入(ru)12.5億元,同比增長(zhang)6.1%。"
    out = clean_text(raw)
    assert out == "园区实现营业收入12.5亿元,同比增长6.1%。"
    cjk = lambda s: len(re.findall(r"[\u4e00-\u9fff]", s))  # noqa: E731
    assert cjk(out) == cjk(re.sub(r"\([a-z]+\)", "", raw))


def test_width_normalisation_keeps_document_number_brackets():
    assert normalize_width("某政发〔２０２３〕５号，增长１２．５％") == "某政发〔2023〕5号,增长12.5%"
    assert clean_text("某政发﹝2023﹞5号") == "某政发〔2023〕5号"


def test_whitespace_collapsed_and_blank_lines_dropped():
    assert collapse_whitespace("  第一段\u3000\u3000内容  \n\n\t第二段 ") == "第一段 内容\n第二段"


def test_clean_text_empty():
    assert clean_text("") == ""
