"""Small hand-built pages for the extraction tests, in the markup of fixture-site.md §6."""

from __future__ import annotations

from newsarchive.extract import HtmlPage, load_page

BASE = "https://qala.example"
ARTICLE_URL = f"{BASE}/almaty-akimat-postpones-lrt-tender-5719/"
IMAGE = "/uploads/posts/2025-03/sizes/1440x810/3f2a9c1e.webp"

PARAGRAPHS = (
    "The Almaty city administration has postponed the LRT tender for the third time, "
    "Qala News reports.",
    "According to the akimat, the bids did not meet the updated technical requirements, and "
    "the commission asked the bidders to resubmit their documents by the end of April.",
    "Deputy akim Yerlan Zhaksybekov said the city still expects the first line to open in "
    "2027, although the budget has grown by almost a fifth since last year.",
    "Urban planners, however, warn that another delay would push the project past the "
    "deadline agreed with the development bank that finances the first stage.",
)

RU_PARAGRAPHS = (
    "Акимат Алматы в третий раз перенёс конкурс на строительство линии лёгкого рельсового "
    "транспорта, сообщает Qala News.",
    "По словам представителей акимата, заявки участников не соответствовали обновлённым "
    "техническим требованиям, и комиссия попросила подать документы повторно до конца апреля.",
    "Заместитель акима Ерлан Жаксыбеков заявил, что город по-прежнему рассчитывает открыть "
    "первую линию в 2027 году, хотя бюджет с прошлого года вырос почти на пятую часть.",
)
KK_PARAGRAPHS = (
    "Алматы әкімдігі жеңіл рельсті көлік желісін салуға арналған конкурсты үшінші рет "
    "кейінге қалдырды, деп хабарлайды Qala News.",
    "Әкімдік өкілдерінің айтуынша, қатысушылардың өтінімдері жаңартылған техникалық "
    "талаптарға сәйкес келмеген, сондықтан комиссия құжаттарды сәуірдің соңына дейін қайта "
    "тапсыруды сұрады.",
    "Әкім орынбасары Ерлан Жақсыбеков қала бірінші желіні 2027 жылы ашуды күтетінін айтты, "
    "дегенмен бюджет өткен жылмен салыстырғанда бестен бір бөлікке дерлік өскен.",
)

SIDEBAR = """
<aside class="sidebar"><div class="newslist3"><h3 class="newslist3__title">Latest news</h3><ul>
<li><a href="/kazakhstan-to-extend-gas-export-ban-5718/">Kazakhstan to Extend Gas Export Ban</a>
<span class="time">16:02</span></li>
<li><a href="/senate-approves-budget-rules-5717/">Senate Approves Budget Rules</a></li>
<li><a href="/rescue-service-reviews-search-5716/">Rescue Service Reviews Search</a></li>
</ul><a class="newslist3__more" href="/last-news/">All news</a></div>
<div class="adv adv--sidebar">Advertisement</div></aside>
"""


def paragraphs(count: int = 4) -> str:
    return "\n".join(f"<p>{text}</p>" for text in PARAGRAPHS[:count])


def orda_page(
    newstext: str,
    *,
    head: str = "",
    postpic: str = "",
    after: str = "",
    title: str = "Almaty Akimat Postpones LRT Tender for Third Time",
    lang: str = "en",
) -> str:
    """A default-template (orda-like) article page: no <article>, body in div.newstext."""
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} — Qala News</title>
<meta name="description" content="The city administration has again moved the tender.">
<link rel="canonical" href="{ARTICLE_URL}">
<meta property="og:type" content="article">
{head}
</head><body class="page-article">
<div id="cookie-consent" class="cookie-banner" role="dialog">We use cookies. <button>OK</button>
</div>
<header class="site-header"><nav class="main-menu"><a href="/last-news/">Latest</a>
<a href="/category/society/">Society</a></nav></header>
<div class="adv adv--top"><span class="adv__label">Advertisement</span></div>
<main class="content"><div class="fulltext">
<h1 class="post-title">{title}</h1>
<div class="post-meta"><time itemprop="datePublished" datetime="2025-03-29T14:32:00+05:00">
29.03.2025, 14:32</time> <span class="post-meta__views">1 284</span></div>
{postpic}
<div class="share share--top">Telegram WhatsApp Facebook</div>
<div class="newstext">
{newstext}
</div>
{after}
</div>
{SIDEBAR}
</main>
<footer class="site-footer">© 2025 Qala News. Reproduction only with a hyperlink.</footer>
</body></html>"""


def postpic(credit_html: str) -> str:
    return f'<div class="postpic"><img src="{IMAGE}" alt="Tram depot">{credit_html}</div>'


def load(html: str, url: str | None = ARTICLE_URL, content_type: str | None = None) -> HtmlPage:
    return load_page(html.encode("utf-8"), url, content_type=content_type)
