"""Scrapy project: one generic spider driven by the site registry. Spiders crawl; they do not parse facts."""
