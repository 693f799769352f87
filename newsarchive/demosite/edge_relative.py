"""E18 (§12), the relative-URL page: an en article whose `<head>` sets `<base href="/ru/">`, with
`../` links and a `../` image in the body, a link relative to the base (it lands in the ru
edition), and a protocol-relative image on the off-site host. Only the body's URLs are
relative; the chrome's stay root-relative, which a base does not change."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

from newsarchive.demosite.model import Block, Edition, Figure, Paragraph, ReadAlso
from newsarchive.demosite.options import FOREIGN, FOREIGN_NETLOC
from newsarchive.demosite.writer import ArticleWriter, parse_credit

RELATIVE_PATH = "/relative-urls-9019/"
BASE_HREF = "/ru/"
FOREIGN_IMAGE = f"//{FOREIGN_NETLOC}/img.webp"
"""Protocol-relative, on 127.0.0.2 at the server's port."""
SECTION_LINK = ("tourist information centres", "../category/culture/")
TITLE = "One Pass for Museums in Almaty and Astana"
LEAD = (
    "Visitors to Almaty and Astana will be able to buy one pass for the museums of both cities "
    "from the summer, the culture departments of the two akimats announced."
)
_PARAGRAPHS = (
    "The pass will cost 9,000 tenge and will be valid for 30 days. It will be sold online and "
    "at the tourist information centres of both cities.",
    "Twelve museums have joined the scheme so far, among them the Central State Museum in "
    "Almaty and the National Museum in Astana.",
    "Holders of the pass will also get a discount on the train between the two cities on weekdays.",
    "The akimats plan to add theatres and the Almaty zoo to the pass next year if the first "
    "season sells well.",
)
_LOCAL_FIGURE = (
    "The main hall of the Central State Museum in Almaty.",
    "Museum hall",
    "Photo: Qala News collage",
)
_FOREIGN_FIGURE = (
    "The National Museum in Astana at night.",
    "National Museum",
    "© Reuters",
)
READ_ALSO_INDEX = 5
"""Newest-first index of the en article the `../` "Read also" line links to."""
RU_LINK_INDEX = 3
"""Newest-first index of the ru article linked relative to the base (a bare line)."""


def resolved(href: str) -> str:
    """Where a printed href or src of the page points, in the manifest's form: root-relative on
    the site, `{FOREIGN}/…` on the off-site host."""
    url = urljoin(BASE_HREF, href)
    foreign = f"//{FOREIGN_NETLOC}"
    return FOREIGN + url[len(foreign) :] if url.startswith(foreign) else url


def relative_blocks(
    writer: ArticleWriter, en: Edition, ru: Edition, published: datetime
) -> tuple[Block, ...]:
    """The body after the standfirst; every href and src is as printed (relative)."""
    blocks: list[Block] = [Paragraph(_PARAGRAPHS[0], link=SECTION_LINK)]
    if en.articles:
        target = en.articles[min(READ_ALSO_INDEX, len(en.articles) - 1)]
        href = "../" + target.path.lstrip("/")
        blocks.append(ReadAlso(href=href, text=target.title, style="labelled"))
    caption, alt, credit = _LOCAL_FIGURE
    local_src = ".." + writer.image_src(published)
    blocks += [
        Paragraph(_PARAGRAPHS[1]),
        Figure(local_src, alt, caption, parse_credit(credit), "figcaption"),
        Paragraph(_PARAGRAPHS[2]),
    ]
    caption, alt, credit = _FOREIGN_FIGURE
    blocks.append(Figure(FOREIGN_IMAGE, alt, caption, parse_credit(credit), "figcaption"))
    if ru.articles:
        target = ru.articles[min(RU_LINK_INDEX, len(ru.articles) - 1)]
        href = target.path.removeprefix(BASE_HREF)
        blocks.append(ReadAlso(href=href, text=target.title, style="bare"))
    blocks.append(Paragraph(_PARAGRAPHS[3]))
    return tuple(blocks)
