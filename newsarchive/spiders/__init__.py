"""Scrapy spiders (`scrapy list` shows them)."""
