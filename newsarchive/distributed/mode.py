"""Whether a crawl runs in Redis mode: a Redis URL from the settings or the environment.

Kept free of redis-py so that the spider and the CLI can ask without importing it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

URL_ENV = "NEWSARCHIVE_REDIS_URL"


def redis_url(settings: BaseSettings) -> str | None:
    """The Redis URL of this crawl: the setting (`--redis`, `-s`), else the environment."""
    value = settings.get("NEWSARCHIVE_REDIS_URL") or os.environ.get(URL_ENV) or ""
    return str(value).strip() or None
