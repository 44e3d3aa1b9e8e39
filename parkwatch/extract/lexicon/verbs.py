"""Verbs that decide what a figure means: change verbs (增长/下降), the action verbs that frame a
counted noun (开展12场招聘会), and the words that give a project its status.

Data only; `parkwatch.extract.facts.subjects` and `.projects` read it.
"""

from __future__ import annotations

# a change directly before a figure: up, down or flat (the sign of a growth rate follows from it)
UP_VERBS = ("增长", "增加", "上涨", "上升", "提高", "提升", "回升", "增收", "扩大", "高出", "增幅", "增速",
            "比增", "增", "多")
DOWN_VERBS = ("下降", "减少", "回落", "降低", "下滑", "减收", "缩小", "收窄", "低于", "负增长", "降幅",
              "减", "降", "少")
FLAT_VERBS = ("持平",)
# verbs and particles that name nothing by themselves (开展, 全面完成, 已推荐 …): a subject made only
# of them takes the noun after the figure
PRENOMINAL_VERBS = (
    "全面完成", "研究审议", "开展", "提供", "组织", "下发", "下达", "发放", "清理", "劝导", "规范", "新设",
    "建成", "完成", "实施", "引进", "获批", "获得", "吸引", "办理", "拆除", "恢复", "设置", "培育", "推荐",
    "签订", "举办", "召开", "制定", "出台", "列入", "纳入", "拥有", "建设", "打造", "落地", "签约", "开工",
    "投产", "走访", "帮助", "服务", "培训", "接待", "受理", "审批", "解决", "化解", "帮扶", "带动", "新建",
    "改造", "修复", "治理", "整改", "销号", "审议", "通过", "推动", "实现", "达到", "累计", "共计", "合计",
    "全面", "先后", "成功", "积极", "已", "还", "再", "又", "分别", "吸纳", "安置", "新增", "共有", "有",
    "共", "为", "对", "向", "给", "涉及", "覆盖", "认定", "评选", "入选", "选派", "了", "的", "等", "将",
    "确定", "认定", "遴选", "申报", "落实", "兑现", "投入", "投资", "惠及", "公布", "促成", "帮助", "助力",
    "督促", "创造", "带来", "建立", "成立", "组建", "引导", "扶持", "奖励", "资助", "表彰", "举行", "开设",
    "设立", "招引", "培养", "新认定", "上线", "推出", "发布", "印发", "完成了", "建设完成了", "建成了",
    "调整", "调整为", "变为", "促成", "筹集", "筹集了", "成立", "成立了", "搭建", "给予", "形成", "分别给予",
)
# of those, the particles and one-character adverbs: they do not make a subject an action
NOT_ACTION_WORDS = ("的", "了", "等", "有", "共", "为", "对", "向", "给", "已", "还", "再", "又", "将")

# the statuses a project can have, and the words that give them (first match wins)
PROJECT_STATUSES = ("签约", "备案", "开工", "在建", "投产", "竣工")
PROJECT_STATUS_WORDS = (
    ("竣工", "竣工"), ("建成投产", "投产"), ("正式投产", "投产"), ("投产", "投产"), ("达产", "投产"),
    ("封顶", "在建"), ("在建", "在建"), ("调试", "在建"), ("加快建设", "在建"), ("建设中", "在建"),
    ("开复工", "开工"), ("开工", "开工"), ("动工", "开工"),
    ("备案", "备案"), ("签约", "签约"), ("签订", "签约"), ("落户", "签约"),
)
