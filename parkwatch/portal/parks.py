"""The fictional parks the demo portal's sites belong to (ids match sites/*.yaml ``parks``)."""

from __future__ import annotations

PARKS: dict[str, dict[str, object]] = {
    "qingchuan-hitech": {
        "name": "青川高新技术产业开发区",
        "short_name": "青川高新区",
        "aliases": ["青川高新技术产业开发区", "青川高新区", "青川高新區", "青川高新技術產業開發區"],
        "level": "national",
        "kind": "hitech",
        "province": "江西省",
        "city": "青川市",
        "authority": "青川高新技术产业开发区管理委员会",
    },
    "jinhe-etdz": {
        "name": "金河经济技术开发区",
        "short_name": "金河经开区",
        "aliases": ["金河经济技术开发区", "金河经开区", "金河经济开发区", "金河經濟技術開發區", "金河經開區"],
        "level": "provincial",
        "kind": "etdz",
        "province": "河南省",
        "city": "金河市",
        "authority": "金河经济技术开发区管理委员会",
    },
    "tongjiang-hitech": {
        "name": "桐江高新技术产业开发区",
        "short_name": "桐江高新区",
        "aliases": ["桐江高新技术产业开发区", "桐江高新区", "桐江高新區", "桐江高新技術產業開發區"],
        "level": "provincial",
        "kind": "hitech",
        "province": "浙江省",
        "city": "桐江市",
        "authority": "桐江高新技术产业开发区管理委员会",
    },
}
