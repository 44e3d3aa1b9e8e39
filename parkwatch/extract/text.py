"""Text cleaning for Chinese pages: pinyin-gloss stripping, 繁→简, width normalisation, whitespace.

Order matters: glosses are stripped first (their reading is checked against the character before
them, which may be traditional), then OpenCC t2s, then NFKC-style normalisation, then whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "clean_text",
    "collapse_whitespace",
    "is_cjk",
    "normalize_width",
    "strip_pinyin_glosses",
    "to_simplified",
]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PY_LETTERS = "a-zA-ZüÜvāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_GLOSS = rf"[(（【]\s*[{_PY_LETTERS}]{{1,7}}[1-5]?\s*[)）】]"
_GLOSS_CHAIN_RE = re.compile(rf"(?<=[{_CJK}])((?:{_GLOSS})+)")
_ONE_GLOSS_RE = re.compile(_GLOSS)

# characters NFKC would change but that carry meaning here
_KEEP_WIDTH = set("…〔〕【】")
# zero-width and soft-hyphen characters, C0/C1 control characters (NUL from a broken page) and
# U+FFFD (a byte that did not decode): none of them carries text
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u2028\u2029\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def strip_invisible(s: str) -> str:
    """``s`` without the characters that carry no text (zero-width, soft hyphen, C0/C1 controls, U+FFFD)."""
    return _INVISIBLE_RE.sub("", s)


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph."""
    return bool(ch) and bool(re.match(f"[{_CJK}]", ch))


def _plain_syllable(s: str) -> str:
    """Lower-case pinyin without tone marks or tone digits; ü and v both become u."""
    s = unicodedata.normalize("NFD", s.strip().lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.rstrip("12345").replace("v", "u")


@lru_cache(maxsize=8192)
def _readings(ch: str) -> frozenset[str]:
    """All readings pypinyin knows for a character (traditional or simplified form)."""
    from pypinyin import Style, pinyin

    out: set[str] = set()
    for form in {ch, to_simplified(ch)}:
        for group in pinyin(form, heteronym=True, style=Style.TONE, errors="ignore"):
            out.update(_plain_syllable(r) for r in group)
    return frozenset(out)


def strip_pinyin_glosses(s: str) -> str:
    """Remove (la) / (qū) / 【qū】 glosses, and chains of them, that read the character before them.

    A gloss is removed only when it is a reading of that character, so (GDP), (2022) and (一)
    stay; a chain is cut at the first parenthesis that is not such a reading.
    """

    def repl(m: re.Match) -> str:
        ch = s[m.start() - 1]
        readings = _readings(ch)
        chain = m.group(1)
        kept_from = len(chain)
        pos = 0
        for g in _ONE_GLOSS_RE.finditer(chain):
            syl = _plain_syllable(g.group(0)[1:-1])
            if g.start() != pos or syl not in readings:
                kept_from = g.start()
                break
            pos = g.end()
        return chain[kept_from:]

    return _GLOSS_CHAIN_RE.sub(repl, s)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(s: str) -> str:
    """Traditional → simplified Chinese (OpenCC t2s)."""
    return _t2s().convert(s) if s else s


def normalize_width(s: str) -> str:
    """NFKC per character (full-width digits, letters, punctuation → ASCII), keeping 〔〕… 【】."""
    s = strip_invisible(s)
    return "".join(c if c in _KEEP_WIDTH else unicodedata.normalize("NFKC", c) for c in s)


_HSPACE_RE = re.compile(r"[ \t\f\v\u00a0\u3000\u2000-\u200a\u202f\u205f]+")


def collapse_whitespace(s: str) -> str:
    """Collapse runs of spaces, strip each line, drop empty lines; lines joined by "\\n"."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_HSPACE_RE.sub(" ", ln).strip() for ln in s.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def clean_text(s: str) -> str:
    """Glosses out, traditional → simplified, width normalised, whitespace collapsed."""
    if not s:
        return ""
    s = strip_pinyin_glosses(s)
    s = to_simplified(s)
    s = normalize_width(s)
    return collapse_whitespace(s)
