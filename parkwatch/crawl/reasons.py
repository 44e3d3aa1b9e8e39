"""Why a URL was not landed: the one list of skip and failure reasons.

A *skip* is a policy refusal (robots.txt, another host, a private address): counted apart from
failures in crawl health and never retried. ``NO_RETRY`` reasons are final for a URL in a run.
The dbt seed ``seed_failure_reasons.csv`` mirrors these sets for ``crawl_health`` (a test keeps
them equal).
"""

SKIP_REASONS = frozenset({"robots", "offsite", "private_address"})
NO_RETRY = frozenset({"robots", "offsite", "private_address", "too_large", "too_large_unpacked", "soft_404",
                      "http_404", "http_410", "redirect_loop"})
