"""Stage 5, quality: the gate in front of publishing.

Takes the marts in ``build.duckdb`` and gives a validation result: Great Expectations suites
(*error* suites block publishing, *warn* suites publish and flag), within-document consistency
checks (其中 parts, shares, growth against levels) and the re-derivation of every value from its
raw text. A passed validation is stamped into the build so `parkwatch.publish` can check it.
"""
