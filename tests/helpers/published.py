"""A small published warehouse made in a test (no crawl, no dbt): parks.duckdb with the published
marts' columns and a handful of rows, some of them hostile (``EVIL``)."""

from __future__ import annotations

from pathlib import Path

import duckdb

URL = "http://127.0.1.1:8700/jb/202407/t20240712_1.html"
EVIL = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"

MARTS_SQL = f"""
create schema marts;
create table marts.parks as select * from (values
    ('qingchuan-hitech', '青川高新技术产业开发区', '青川高新区', ['青川高新區'], 'national', '江西省', '青川市'),
    ('empty-park', '空白经济技术开发区', '空白经开区', [], 'provincial', '河南省', '空白市'))
    t(park_id, park_name, short_name, aliases, level, province, city);
create table marts.documents as select * from (values
    ('d1', 'qingchuan-hitech', 'qingchuan-hitech', '{URL}', '青川高新区工作简报(2024年第7期)', date '2024-07-12',
     null, 'bulletin', 'news', timestamptz '2024-07-12 08:00:00+00', null, '0.3.0'),
    ('d2', 'qingchuan-hitech', 'qingchuan-hitech', 'http://127.0.1.1:8700/jb/202404/t1.html', '简报 第4期',
     date '2024-04-10', null, 'bulletin', 'news', timestamptz '2024-04-10 08:00:00+00', null, '0.3.0'))
    t(doc_id, park_id, site_id, url, title, published_date, source, doc_type, section_kind, first_seen_at,
      parse_error, extractor_version);
create table marts.indicators as select * from (values
    ('f1', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'fiscal_revenue', '财政收入', null, 'amount',
     8.36e8, 'CNY', '8.36亿元', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '1-6月,高新区完成财政收入8.36亿元,同比增长6.8%。', '0.3.0', []::varchar[]),
    ('f2', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'fiscal_revenue', '财政收入', null, 'growth_pct',
     6.8, '%', '6.8%', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '1-6月,高新区完成财政收入8.36亿元,同比增长6.8%。', '0.3.0', []::varchar[]),
    ('f3', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'fiscal_revenue', '财政收入', null, 'amount',
     4.18e8, 'CNY', '4.18亿元', null, false, null, date '2024-01-01', date '2024-03-31', 'd2',
     'http://127.0.1.1:8700/jb/202404/t1.html', date '2024-04-10', '一季度财政收入4.18亿元。', '0.3.0', []::varchar[]),
    ('f4', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', 'market_entities', '新增市场主体', null, 'count',
     512, 'count', '512户', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '新增市场主体512户{EVIL}', '0.3.0', ['parts_exceed_total']),
    ('f5', 'qingchuan-hitech', '青川高新区', '青川高新技术产业开发区', null, '咖啡馆', null, 'count',
     3, 'count', '3家', null, false, null, date '2024-01-01', date '2024-06-30', 'd1', '{URL}',
     date '2024-07-12', '新开咖啡馆3家。', '0.3.0', []::varchar[]))
    t(fact_id, park_id, park_mention, park_name, indicator_code, indicator_text, parent_indicator_text, measure, value,
      unit, raw, approx, is_target, target_year, period_start, period_end, doc_id, url, published_date, sentence,
      extractor_version, quality_flags);
create table marts.indicators_best as
    select park_id, park_name, coalesce(indicator_code, indicator_text) as indicator_key, indicator_code, indicator_text,
           measure, unit, period_start, period_end, value, 1::bigint as sources_agreeing, 0::bigint as sources_conflicting,
           []::double[] as conflicting_values, fact_id, url, published_date
    from marts.indicators;
create table marts.projects as select * from (values
    ('p1', 'qingchuan-hitech', '青川高新技术产业开发区', '青川锐能年产15万吨正极材料项目', '青川锐能', 2.6e9, 150000.0, 't/yr', '开工',
     null, null, null, null, null, '青川锐能年产15万吨正极材料项目开工,总投资26亿元。', 'd1', '{URL}', date '2024-07-12', '0.3.0'),
    ('p2', 'qingchuan-hitech', '青川高新技术产业开发区', null, null, null, null, null, '开工',
     40.0, '开复工项目40个', 76.9, date '2024-01-01', date '2024-06-30', '开复工项目40个,开复工率76.9%。', 'd1', '{URL}',
     date '2024-07-12', '0.3.0'))
    t(project_id, park_id, park_name, project_name, company, investment_cny, capacity_value, capacity_unit, status,
      project_count, count_text, rate_pct, period_start, period_end, sentence, doc_id, url, published_date,
      extractor_version);
create table marts.policies as select * from (values
    ('d9', 'qingchuan-hitech', '青川高新技术产业开发区', '关于促进青川高新区高质量发展的实施意见', '青府发〔2024〕9号',
     '青川市人民政府', date '2024-04-18', date '2024-04-25', '有效', 'city', '[]'::json,
     '[{{"year": 2025, "indicator_text": "工业总产值", "raw": "2000亿元"}}]'::json, '[]'::json, '[]'::json,
     'http://127.0.1.2:8700/zcwj/t9.html', '0.3.0'))
    t(doc_id, park_id, park_name, title, doc_number, issuer, written_date, published_date, validity, level, cited_json,
      targets_json, responsible_units_json, attachments_json, url, extractor_version);
create table marts.policy_targets as select * from (values
    ('t1', 'd9', 'qingchuan-hitech', '关于促进青川高新区高质量发展的实施意见', '青府发〔2024〕9号', 2025, 'industrial_output',
     '工业总产值', 2e11, 'CNY', '2000亿元', '到2025年,工业总产值突破2000亿元。', 'http://127.0.1.2:8700/zcwj/t9.html'))
    t(target_id, doc_id, park_id, policy_title, doc_number, target_year, indicator_code, indicator_text, value, unit, raw,
      sentence, url);
create table marts.review_queue as select * from (values
    ('r1', 'parts_exceed_total', '新增市场主体: parts 8948 exceed the total 512', 'qingchuan-hitech', '新增市场主体',
     'count', 'count', 8948.0, 512.0, 0.5, '新增市场主体512户{EVIL}', '{URL}', 'f4'))
    t(review_id, flag, reason, park_id, indicator_text, measure, unit, stated_value, expected_value, tolerance,
      sentence, url, fact_id);
create table marts.crawl_health as select * from (values
    ('qingchuan-hitech', 'run1', date '2024-07-12', timestamptz '2024-07-12 06:00:00+00',
     timestamptz '2024-07-12 06:01:00+00', 21, 21, 3, 1, '{{"http_404": 1}}'::json, 21, 16, 0.762))
    t(site_id, run_id, logical_date, started_at, finished_at, pages_seen, pages_landed, pages_new_content,
      pages_failed, failed_by_reason, site_documents, documents_with_facts, extraction_yield);
create table marts.publish_log as select timestamptz '2024-07-12 07:00:00+00' as published_at,
    '{{"success": true, "warnings": 1, "validated_at": "2024-07-12T06:59:00+00:00", "data_docs": "file:///tmp/dd/index.html",
      "suites": [{{"suite": "indicators_errors", "severity": "error", "rows": 5, "expectations": 19, "success": true,
                   "failed": []}}]}}' as validation_json;
"""


def make_published(path: Path) -> Path:
    """A parks.duckdb with the published marts' columns and a handful of rows."""
    with duckdb.connect(str(path)) as con:
        con.execute(MARTS_SQL)
    return path
