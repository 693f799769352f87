"""Non-article HTML pages: about/contacts/advertising/privacy, the 404 page with full chrome,
and the JavaScript-only search shell."""

from __future__ import annotations

from newsarchive.demosite.chrome import document, esc, head_common, sidebar
from newsarchive.demosite.labels import LABELS, SITE_NAME, STATIC_PAGES
from newsarchive.demosite.model import Edition
from newsarchive.demosite.options import FOREIGN

STATIC_SLUGS = ("about", "contacts", "advertising", "privacy")
MISSING_ARTICLE_PATH = "/no-such-article-999999/"
"""A dead link on /about/, so a crawl records a 404 with full chrome."""
SEARCH_PATH = "/search-results.html"


def static_document(edition: Edition, slug: str) -> str:
    labels = LABELS[edition.lang]
    title = getattr(labels, slug)
    paragraphs = [f"<p>{esc(text)}</p>" for text in STATIC_PAGES[edition.lang][slug]]
    if edition.lang == "en" and slug == "about":
        paragraphs.append(
            f'<p>Our archive starts with <a href="{MISSING_ARTICLE_PATH}">the very first story '
            "we published</a>.</p>"
        )
    head = head_common(
        title=title,
        description=f"{title} — {SITE_NAME}",
        canonical=f"{edition.prefix}/{slug}/",
        og_type="website",
        labels=labels,
    )
    main = "\n".join(
        [
            '<main class="content">',
            f'<h1 class="page-title">{esc(title)}</h1>',
            '<div class="page-text">',
            *paragraphs,
            "</div>",
            sidebar(edition),
            "</main>",
        ]
    )
    return document(
        lang=edition.lang, head=head, body_class="page-static", main=main, edition=edition
    )


def not_found_document(edition: Edition) -> str:
    """The "Page not found" page (served with 404, and with 200 as the soft 404, E6)."""
    labels = LABELS[edition.lang]
    head = head_common(
        title=labels.not_found_title,
        description=labels.not_found_text,
        canonical=None,
        og_type="website",
        labels=labels,
        extra=['<meta name="robots" content="noindex">'],
    )
    parts = [
        '<main class="content">',
        f'<h1 class="page-title">{esc(labels.not_found_title)}</h1>',
        f"<p>{esc(labels.not_found_text)}</p>",
        f'<p><a href="{edition.prefix}/">{esc(labels.home)}</a></p>',
        sidebar(edition),
        "</main>",
    ]
    main = "\n".join(part for part in parts if part)
    return document(lang=edition.lang, head=head, body_class="page-404", main=main, edition=edition)


def search_document() -> str:
    """Same bytes for any query: results only exist after JavaScript runs (orda's Google CSE)."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>Search — {SITE_NAME}</title>",
            '<meta name="robots" content="noindex">',
            "</head>",
            '<body class="page-search">',
            '<div id="cse" class="gcse-searchresults-only"></div>',
            f'<script async src="{FOREIGN}/cse.js?cx=qala"></script>',
            "</body>",
            "</html>",
            "",
        ]
    )
