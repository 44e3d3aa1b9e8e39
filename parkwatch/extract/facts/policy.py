"""Policy documents → one policy record: number, issuer, dates, validity, level, cited documents,
targets and responsible units."""

from __future__ import annotations

import re

from parkwatch.common.dates import parse_date
from parkwatch.extract.lexicon.patterns import DOC_NUMBER_RE, PARK_DOC_CODE_RE, PARK_ISSUER_RE

_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "［": "〔",
        "］": "〕",
        "(": "〔",
        ")": "〕",
        "（": "〔",
        "）": "〕",
        "【": "〔",
        "】": "〕",
        "﹝": "〔",
        "﹞": "〕",
        "〖": "〔",
        "〗": "〕",
    }
)
_CITED_RE = re.compile(
    r"(?P<issuer>国务院|[\u4e00-\u9fff]{0,10}(?:人民政府|办公厅|委员会|部|局))?《(?P<title>[^《》]{2,80})》"
    r"\s*(?:[(（]\s*(?P<num>[^()（）]{2,30}?号)\s*[)）])?"
)
_RESP_RE = re.compile(r"[(（]\s*(?:责任单位|责任部门|牵头单位|配合单位)\s*[:：]\s*(?P<units>[^()（）]+)[)）]")


def normalize_doc_number(s: str | None) -> str | None:
    """发文字号 with brackets as 〔〕 and no spaces: 乌海政发[2022]23号 → 乌海政发〔2022〕23号."""
    if not s:
        return None
    m = DOC_NUMBER_RE.search(s)
    if not m:
        return re.sub(r"\s+", "", s) or None
    return re.sub(r"\s+", "", m.group(0)).translate(_BRACKETS)


_PROVINCE_CODES = (
    "内",
    "冀",
    "晋",
    "辽",
    "吉",
    "黑",
    "苏",
    "浙",
    "皖",
    "闽",
    "赣",
    "鲁",
    "豫",
    "鄂",
    "湘",
    "粤",
    "桂",
    "琼",
    "川",
    "贵",
    "黔",
    "云",
    "滇",
    "藏",
    "陕",
    "甘",
    "青",
    "宁",
    "新",
    "京",
    "津",
    "沪",
    "渝",
)


def policy_level(doc_number: str | None, issuer: str | None, title: str | None) -> str | None:
    """national | provincial | city | park: from the issuer when it says, else the number's issuer code
    (国发 → national, 内政发 → provincial, 乌海政发 → city), else the title."""
    code = re.split(r"[〔\[［(（【﹝]", doc_number or "")[0]
    issuer = issuer or ""
    if PARK_ISSUER_RE.search(issuer) or PARK_DOC_CODE_RE.search(code) or re.search(r"管(?:办)?(?:发|规|字|函)?$", code):
        return "park"
    if re.match(r"国(?:发|办|函|令)", code) or re.search(r"^(?:国务院|国家|中共中央)|部$", issuer):
        return "national"
    if re.search(r"(?:省|自治区)(?:人民政府|政府|委员会|办公厅)?|^(?:北京|天津|上海|重庆)市人民政府", issuer):
        return "provincial"
    if re.search(r"[市盟州]|地区|行政公署|行署", issuer):
        return "city"
    if code and code[0] in _PROVINCE_CODES and re.match(r".(?:政|府|办)", code):
        return "provincial"
    if re.search(r"(?:政|府|署)(?:办)?(?:发|字|函)$", code) and len(code) >= 4:
        return "city"
    text = " ".join(filter(None, (issuer, title)))
    if re.search(r"自治区|省人民政府|省政府|^[\u4e00-\u9fff]{2,3}省", text):
        return "provincial"
    if re.search(r"市|盟|州|地区", text):
        return "city"
    return None


def cited_documents(body: str) -> list[dict]:
    """《title》 references with the number in brackets after them, in order, deduplicated."""
    out, seen = [], set()
    for m in _CITED_RE.finditer(body or ""):
        title = m.group("title").strip()
        num = normalize_doc_number(m.group("num")) if m.group("num") else None
        if num and not DOC_NUMBER_RE.search(num):
            num = None
        key = (title, num)
        if key in seen:
            continue
        seen.add(key)
        out.append({"title": title, "number": num})
    return out


def responsible_units(body: str) -> list[str]:
    """Units named in (责任单位:…) notes, first-seen order, without duplicates."""
    out: list[str] = []
    for m in _RESP_RE.finditer(body or ""):
        for u in re.split(r"[、,，;；]", m.group("units")):
            u = re.sub(r"按照职能负责|等具有审批职能部门|负责$", "", u.strip()).strip()
            if u and u not in out:
                out.append(u)
    return out


def validity(meta: dict[str, str]) -> str | None:
    """有效性 as written (有效 / 失效 / 废止 …)."""
    v = (meta.get("有效性") or "").strip()
    if v:
        return v
    if meta.get("废止日期") and parse_date(meta.get("废止日期")):
        return "废止"
    return None


def signature_date(body: str) -> str | None:
    """The date line that closes a policy text (2022年8月11日), if any."""
    lines = [ln.strip() for ln in (body or "").split("\n") if ln.strip()]
    for ln in reversed(lines[-6:]):
        if len(ln) <= 20:
            d = parse_date(ln)
            if d:
                return d
    return None


def find_doc_number(meta: dict[str, str], body: str, title: str | None) -> str | None:
    """发文字号 from metadata, else from the first lines of the body (not from citations)."""
    if meta.get("发文字号"):
        return normalize_doc_number(meta["发文字号"])
    head = "\n".join((body or "").split("\n")[:3])
    for m in DOC_NUMBER_RE.finditer(head):
        before = head[max(0, m.start() - 2) : m.start()]
        if "》" not in before and "(" not in before and "（" not in before:
            return normalize_doc_number(m.group(0))
    return None
