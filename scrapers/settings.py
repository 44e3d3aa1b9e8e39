"""Scrapy settings. Defaults fit real government sites; scrapers.run applies each site's registry
entry on top (concurrency, delay, AutoThrottle, timeout, retries, size limit)."""

BOT_NAME = "parkwatch"
SPIDER_MODULES = ["scrapers.spiders"]
# An honest user agent: who we are and where to read about it.
USER_AGENT = "parkwatch/0.2 (+https://github.com/parkwatch/parkwatch; open data research crawler; obeys robots.txt)"
ROBOTSTXT_OBEY = True
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # refuse bodies over 8 MB (also once unpacked: gzip bombs)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_FAIL_ON_DATALOSS = True  # a truncated body is a failure, not a page
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
PARKWATCH_RETRY_BACKOFF_S = 2.0  # first retry waits ~2 s, then 4 s, … (Retry-After wins)
REDIRECT_MAX_TIMES = 5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False  # JavaScript cookie challenges are parked, never "solved"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
ITEM_PIPELINES = {"scrapers.pipelines.LandingPipeline": 100}
DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.RetryDelayMiddleware": 40,
    "scrapers.middlewares.SiteGuardMiddleware": 50,  # own hosts only, no private addresses
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
}
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
HTTPERROR_ALLOW_ALL = True  # non-2xx answers reach the spider, which records them
DEPTH_LIMIT = 0  # depth is bounded by the registry (max_depth, max_list_pages)
