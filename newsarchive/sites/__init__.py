"""Site profiles as data; see model.py and the bundled *.toml files."""

from newsarchive.sites.model import (
    CrawlPolicy,
    SiteProfile,
    bundled_profiles,
    load_profile,
    profile_from_mapping,
)

__all__ = ["CrawlPolicy", "SiteProfile", "bundled_profiles", "load_profile", "profile_from_mapping"]
