"""Protections against the hostile web: Scrapy components, one concern per module.

- `scope`: every request, redirect targets included, stays on the profile's hosts and under
  the URL length limit (Scrapy's OffsiteMiddleware ignores ports and is bypassed by retries).
- `addresses`: no request to a private, loopback or link-local address unless the profile
  allows it (IP literals by class, host names by the address they resolve to).
- `redirect_loops`: a redirect back to a URL of its own chain is reported as a loop.
- `retry_after`: 429/503 `Retry-After` honoured up to a cap, the host paused meanwhile.
- `robots`: a robots.txt that stays 5xx (or unreachable) after its retries disallows the host
  for the run, as RFC 9309 says.
- `disk`: a full disk (or file size limit) stops the crawl cleanly.
- `sitemaps`: big sitemaps are streamed rather than parsed into one tree.
- `refusals`: the `Refused` exception they raise and the reason of any ignored request.
"""
