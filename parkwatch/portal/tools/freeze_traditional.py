"""Regenerate ``content/yuanqu_trad.py``: a simplified text → Traditional (OpenCC s2t) with pinyin
glosses injected after characters, in two forms: ``經(jing)濟`` (toneless, parentheses) and
``经济【jì】`` (tone marks, lenticular brackets). The result is frozen into the content module so
the portal does not depend on OpenCC/pypinyin versions at run time.

    python -m parkwatch.portal.tools.freeze_traditional
"""

from __future__ import annotations

import random
import re
from pathlib import Path

TITLE = "金河经开区全力推进千亿级园区建设"

# (form, paragraph) in simplified Chinese; form "paren" → 經(jing), "lentic" → 经济【jì】
PARAGRAPHS = [
    (
        "paren",
        "金河经济技术开发区紧紧围绕千亿级园区建设目标,坚持项目为王、创新驱动,经济运行保持稳中向好态势。上半年,开发区实现营业收入186.52亿元,同比增长12.3%;规模以上工业增加值同比增长9.5%;完成一般公共预算收入3.18亿元,同比增长6.9%。",
    ),
    (
        "paren",
        "产业结构持续优化。生物基材料、有色金属精深加工、高端装备和其他产业产值占规模以上工业总产值的比重分别为41.6%、33.2%、17.5%和7.7%,主导产业集聚效应进一步显现。",
    ),
    (
        "paren",
        "项目建设提速增效。上半年开复工项目25个,完成投资31.08亿元;金河华禾年产15万吨生物基聚酯材料项目进入投产前调试阶段。",
    ),
    ("lentic", "下一步,开发区将围绕全年目标任务,加快推进重点项目建设,力争全年规模以上工业增加值增长10%以上。"),
]


def convert() -> tuple[str, list[str]]:
    import opencc
    from pypinyin import Style, pinyin

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(20240726)
    han = re.compile(r"[\u4e00-\u9fff]")
    out = []
    for form, text in PARAGRAPHS:
        trad = s2t.convert(text) if form == "paren" else text
        pieces = []
        for ch in trad:
            pieces.append(ch)
            if not han.match(ch) or rng.random() > 0.3:
                continue
            if form == "paren":
                py = pinyin(ch, style=Style.NORMAL)[0][0]
                gloss = f"({py})"
            else:
                py = pinyin(ch, style=Style.TONE)[0][0]
                gloss = f"【{py}】"
            pieces.append(gloss * (2 if rng.random() < 0.15 else 1))
        out.append("".join(pieces))
    return s2t.convert(TITLE), out


def main() -> None:
    title, paragraphs = convert()
    target = Path(__file__).resolve().parents[1] / "content" / "yuanqu_trad.py"
    body = "\n".join(paragraphs)
    target.write_text(
        '"""Frozen output of parkwatch.portal.tools.freeze_traditional (do not edit by hand)."""\n\n'
        f"TITLE = {title!r}\n\n"
        f"SOURCE_PARAGRAPHS = {[p for _, p in PARAGRAPHS]!r}\n\n"
        f'BODY = """\\\n{body}\n"""\n',
        encoding="utf-8",
    )
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
