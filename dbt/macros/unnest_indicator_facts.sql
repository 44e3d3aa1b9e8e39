{#
  The one JSON schema of an indicator fact as int_parsed_pages writes it (parkwatch.extract.rows):
  fact_seq, then INDICATOR_FIELDS in order, then sentence_parks. tests/unit/test_dbt_layout.py keeps
  the two equal, so a field added in Python must be added here too.
#}
{% macro indicator_fact_json_schema() -%}
[{"fact_seq": "BIGINT", "indicator_text": "VARCHAR", "parent_indicator_text": "VARCHAR", "measure": "VARCHAR",
  "value": "DOUBLE", "unit": "VARCHAR", "raw": "VARCHAR", "approx": "VARCHAR", "is_target": "BOOLEAN",
  "target_year": "INTEGER", "period_start": "DATE", "period_end": "DATE", "sentence": "VARCHAR",
  "sentence_parks": ["VARCHAR"]}]
{%- endmacro %}

{# One row per fact in a JSON list column, one column per field. #}
{% macro unnest_indicator_facts(column) -%}
unnest(from_json({{ column }}, '{{ indicator_fact_json_schema() }}'), recursive := true)
{%- endmacro %}
