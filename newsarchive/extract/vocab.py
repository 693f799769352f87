"""The extraction vocabulary as data: tag sets, class/id tokens and text patterns, by purpose.

Over 400 lines by design: every token list and pattern lives in this one module (data only).

The algorithms (body.py, captions.py, related.py, ...) only combine these groups. Nothing here
names a host or a class token of one particular site: site specifics belong in profile overrides.
Class/id tokens match whole tokens of the lower-cased `class` and `id` values, with `_` read as
`-` and runs of `-` collapsed (so `banner--inread` has the tokens `banner` and `inread`,
`ui-modal__hide` has `hide`, and `article__body` matches the compound `article-body`); a token
may carry a trailing number (`share2`).
"""

from __future__ import annotations

import re

# --- tags -------------------------------------------------------------------------------------

# Never text of the page: scripts, styles, media and form controls. (Not the void elements
# <source>, <track>, <embed>: libxml2 does not know they are empty and nests whatever follows
# them inside, a <picture>'s <img> or the rest of a paragraph.)
NON_CONTENT_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "head", "title", "meta",
        "link", "iframe", "frame", "frameset", "object", "canvas", "select", "option",
        "optgroup", "textarea", "input", "button", "video", "audio", "map", "param", "base",
    }
)  # fmt: skip
# Page chrome by element semantics.
CHROME_TAGS = frozenset({"nav", "aside", "footer", "menu", "dialog"})
# Elements that start a new block of text.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
        "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table",
        "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "form",
        "fieldset", "address", "center", "hr", "details", "summary", "body", "html", "picture",
    }
)  # fmt: skip
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SUBHEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
LIST_TAGS = frozenset({"ul", "ol"})
# Tags whose own text readability-style scoring counts as a paragraph.
PARAGRAPH_TAGS = frozenset({"p", "pre", "td"})
# Containers that may hold loose text (text nodes outside <p>), common in older CMSs.
LOOSE_TEXT_TAGS = frozenset({"div", "section", "article", "main", "td", "span", "font"})
# Base score of a candidate container by tag (readability's initializeNode).
TAG_BASE_SCORE = {
    "div": 5.0, "article": 8.0, "main": 3.0, "section": 2.0, "pre": 3.0, "td": 3.0,
    "blockquote": 3.0, "address": -3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "dd": -3.0,
    "dt": -3.0, "li": -3.0, "form": -3.0, "h1": -5.0, "h2": -5.0, "h3": -5.0, "h4": -5.0,
    "h5": -5.0, "h6": -5.0, "th": -5.0, "body": -5.0,
}  # fmt: skip


# --- class / id roles ---------------------------------------------------------------------------


class Role:
    """What a class/id token (or an attribute) says an element is for: bit flags.

    Plain ints rather than enum.IntFlag: role tests run hundreds of thousands of times a page.
    """

    NONE = 0
    HIDDEN = 1 << 0
    COOKIE = 1 << 1
    AD = 1 << 2
    SHARE = 1 << 3
    PROMO = 1 << 4
    RELATED = 1 << 5
    NAV = 1 << 6
    META = 1 << 7
    TAGS = 1 << 8
    COMMENT = 1 << 9
    SIDEBAR = 1 << 10
    FOOTER = 1 << 11
    EMBED = 1 << 12
    CAPTION = 1 << 13
    CREDIT = 1 << 14
    CONTENT = 1 << 15
    LEAD = 1 << 16
    PAGINATION = 1 << 17
    HEADING = 1 << 18
    SITE_HEADER = 1 << 19
    LATEST = 1 << 20
    POPULAR = 1 << 21
    READ_ALSO = 1 << 22
    BYLINE = 1 << 23
    CATEGORY = 1 << 24
    PULLQUOTE = 1 << 25
    ICON = 1 << 26
    WIDGET = 1 << 27
    GALLERY = 1 << 28


ROLE_TOKENS: dict[int, tuple[str, ...]] = {
    Role.HIDDEN: (
        "hidden", "hide", "d-none", "sr-only", "visually-hidden", "screen-reader-text",
        "invisible", "print-only", "visuallyhidden", "is-hidden", "collapsed-hidden", "off-screen",
        "offscreen",
    ),
    Role.COOKIE: ("cookie", "cookies", "consent", "gdpr", "cookiebar", "cookie-notice"),
    Role.AD: (
        "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsbygoogle",
        "adsense", "adfox", "banner", "banners", "sponsor", "sponsored", "dfp", "outbrain",
        "taboola", "criteo", "mgid", "smi2", "relap", "yandex-rtb", "adriver", "commercial",
    ),
    Role.SHARE: (
        "share", "shares", "sharing", "sharebar", "social", "socials", "sociable", "addthis",
        "likely", "ya-share2", "pluso", "uptolike", "social-links", "soc",
    ),
    Role.PROMO: (
        "promo", "subscribe", "subscription", "newsletter", "paywall", "cta", "follow-us",
        "app-promo", "donate", "donation", "signup", "sign-up", "email-signup", "newsletters",
        "feedback",
    ),
    Role.RELATED: (
        "related", "recommended", "recommend", "recommendations", "more-news", "other-news",
        "more-stories", "side-stories", "related-stories", "see-also", "read-more", "readmore",
        "inline-topics", "teaser-list", "also", "relevant", "relevant-news",
    ),
    Role.NAV: (
        "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "bread-crumbs",
        "subnav", "topbar", "toolbar", "skip-link", "submenu",
    ),
    Role.META: (
        "meta", "dateline", "date", "timestamp", "published", "views", "counter", "stats",
        "rating", "article-info", "post-info", "entry-meta", "infoline", "reading-time", "info",
    ),
    Role.TAGS: ("tags", "tag", "tag-list", "taglist", "tagcloud", "keywords", "post-tags"),
    Role.COMMENT: ("comment", "comments", "disqus", "respond", "reply", "discussion", "replies"),
    Role.SIDEBAR: (
        "sidebar", "rightcol", "right-col", "col-right", "rail",
        "right-column", "sidebar-right", "side-bar",
    ),
    Role.WIDGET: ("widget", "widgets", "widget-area"),
    Role.FOOTER: ("footer", "site-footer", "page-footer", "copyright-bar"),
    Role.EMBED: (
        "embed", "embedded", "twitter-tweet", "instagram-media", "telegram-post", "tiktok-embed",
        "fb-post", "oembed", "twitter-video", "video-embed", "player",
    ),
    Role.CAPTION: (
        "caption", "figcaption", "wp-caption-text", "image-caption", "photo-caption",
        "img-caption", "media-caption", "source",
    ),
    Role.CREDIT: ("credit", "credits", "copyright", "photographer", "src", "photo-credit"),
    Role.CONTENT: (
        "article", "articlebody", "article-body", "article-text", "article-content",
        "articletext", "body", "content", "entry", "entry-content", "main", "post", "post-body",
        "post-content", "post-text", "story", "story-body", "text", "page-content", "blog-post",
        "single", "detail", "full-text", "fulltext", "news-text", "news-body", "news-detail",
    ),
    Role.LEAD: (
        "lead", "standfirst", "subtitle", "sub-title", "summary", "intro", "excerpt", "deck",
        "dek", "annotation", "anons", "announce", "subheadline", "sub-headline", "lede",
        "article-lead", "description", "preview-text",
    ),
    Role.PAGINATION: ("pagination", "pager", "page-numbers", "nav-links", "pages", "paging"),
    Role.HEADING: ("title", "heading", "header", "head", "label", "caption-title", "hdr"),
    Role.SITE_HEADER: ("site-header", "masthead", "page-header", "top-header", "header-top"),
    Role.LATEST: (
        "latest", "last-news", "lastnews", "latest-news", "newsfeed", "news-feed", "lenta",
    ),
    Role.POPULAR: ("popular", "most-read", "mostread", "most-popular", "trending", "top-news"),
    Role.READ_ALSO: ("read-also", "readalso", "also-read", "read-more-inline"),
    Role.BYLINE: ("byline", "author", "authors", "author-name", "writer", "by", "submitted"),
    Role.CATEGORY: ("category", "categories", "rubric", "section-name", "cat", "kicker"),
    Role.PULLQUOTE: ("pullquote", "pull-quote", "blockquote-pull"),
    Role.ICON: (
        "icon", "logo", "avatar", "emoji", "pixel", "spacer", "thumb-small", "headshot",
        "mugshot", "author-image", "author-photo", "author-avatar", "profile-pic",
    ),
    Role.GALLERY: (
        "gallery", "photogallery", "photo-gallery", "slider", "slideshow", "carousel", "swiper",
        "slides", "fotorama", "galleria",
    ),
}  # fmt: skip

# Roles that never belong in the body text.
BODY_JUNK = (
    Role.HIDDEN
    | Role.COOKIE
    | Role.AD
    | Role.SHARE
    | Role.PROMO
    | Role.RELATED
    | Role.NAV
    | Role.META
    | Role.TAGS
    | Role.COMMENT
    | Role.SIDEBAR
    | Role.FOOTER
    | Role.EMBED
    | Role.CAPTION
    | Role.CREDIT
    | Role.PAGINATION
    | Role.SITE_HEADER
    | Role.BYLINE
    | Role.LATEST
    | Role.POPULAR
    | Role.READ_ALSO
    | Role.PULLQUOTE
    | Role.WIDGET
)
# Roles that rule an element out as a candidate container before scoring (unless CONTENT too).
UNLIKELY_CANDIDATE = (
    Role.COOKIE
    | Role.AD
    | Role.SHARE
    | Role.RELATED
    | Role.NAV
    | Role.COMMENT
    | Role.SIDEBAR
    | Role.FOOTER
    | Role.PAGINATION
    | Role.SITE_HEADER
    | Role.LATEST
    | Role.POPULAR
    | Role.PROMO
)
# Roles that are junk even when CONTENT tokens are present too.
ALWAYS_JUNK = Role.HIDDEN | Role.COOKIE
# Page chrome where captions and standfirsts are not looked for.
CHROME = (
    Role.HIDDEN
    | Role.COOKIE
    | Role.NAV
    | Role.COMMENT
    | Role.SIDEBAR
    | Role.FOOTER
    | Role.RELATED
    | Role.LATEST
    | Role.POPULAR
    | Role.SITE_HEADER
    | Role.SHARE
    | Role.PROMO
)
# Negative and positive weights for candidate containers (readability's getClassWeight).
NEGATIVE_WEIGHT_ROLES = UNLIKELY_CANDIDATE | Role.META | Role.TAGS | Role.BYLINE | Role.EMBED
CLASS_WEIGHT = 25.0


_TRAILING_DIGITS = re.compile(r"\d+$")


def _token_table(groups: dict[int, tuple[str, ...]]) -> dict[str, int]:
    table: dict[str, int] = {}
    for role, tokens in groups.items():
        if not tokens:
            raise ValueError(f"empty token group for role {role}")
        for token in tokens:
            key = _TRAILING_DIGITS.sub("", token)
            table[key] = table.get(key, 0) | role
    return table


# token (or hyphen-joined compound of up to MAX_COMPOUND tokens) → role bits
ROLE_TABLE: dict[str, int] = _token_table(ROLE_TOKENS)
MAX_COMPOUND = max(key.count("-") + 1 for key in ROLE_TABLE)

# Responsive visibility classes ("hidden-xs", "d-none d-md-block") do not hide on desktop.
RESPONSIVE_HIDDEN = re.compile(
    r"(?:^|\s)(?:hidden|hide|visible|d-none)-(?:on-)?(?:xs|sm|md|lg|xl|xxl|mobile|phone|tablet"
    r"|desktop)\S*|(?:^|\s)(?:mobile|phone|tablet|desktop)-(?:hidden|hide)\S*"
)
RESPONSIVE_SHOWN = re.compile(r"(?:^|\s)d-(?:sm|md|lg|xl|xxl)-(?:block|flex|inline|table|grid)")

ARIA_ROLES: dict[str, int] = {
    "navigation": Role.NAV,
    "complementary": Role.SIDEBAR,
    "contentinfo": Role.FOOTER,
    "banner": Role.SITE_HEADER,
    "dialog": Role.COOKIE,
    "alertdialog": Role.COOKIE,
    "search": Role.NAV,
    "menu": Role.NAV,
    "menubar": Role.NAV,
    "main": Role.CONTENT,
    "article": Role.CONTENT,
}

# Hidden by style, or pushed off-screen (`left:-9999px`: SEO link spam, skip links).
HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden"
    r"|(?:left|top|text-indent)\s*:\s*-\d{4,}(?:\.\d+)?(?:px|em|rem)?\b",
    re.IGNORECASE,
)

# --- text patterns ------------------------------------------------------------------------------

# Labels that start an image credit line: "Photo: X", "Фото: X", "Images | X", "Photo by X".
CREDIT_LABEL = (
    r"(?:photos?(?:\s+by)?|фото(?:графия|графии)?(?:\s+предоставлено)?|коллаж|collage|сурет(?:тер)?"
    r"|сурет\s+көзі|images?|pictures?|illustration|иллюстрация|cover|обложка|foto|bild"
    r"|credits?|скриншот|screenshot|видео|video|инфографика|infographic"
    r"|источник\s+(?:фото|изображения|снимка))"
)
# "Фото из открытых источников", "Фото с сайта akorda.kz", "Photo via Twitter", "Сурет ашық
# дереккөздерден", "Фото предоставлено X": a credit phrased without a separator.
_CREDIT_PHRASE = (
    r"(?:(?:фото|снимок|photo|image|сурет)\s+(?:(?:предоставлен[оаы]?|provided\s+by)\s+"
    r"|(?=(?:из|с|со|взято|взят|from|via)\s|\S+\s+\S*(?:дан|ден|тан|тен|нан|нен)\s*\)?$))"
    # "Фото Айдоса Ерланова", "Фото ТАСС": a name right after the word, no full stop after it
    r"|(?:фото|снимок|сурет)\s+(?=(?-i:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])[^.!?]*$))"
)
# A whole line that is only a credit: "Photo: freepik, ill. purp.", "© Reuters", "(Photo: AFP)".
CREDIT_LINE = re.compile(
    rf"^\(?\s*{CREDIT_LABEL}\s*(?::|\||—|–|\s-\s|\.\.\.|…)\s*(?P<credit>.+?)\s*\)?\s*$"
    r"|^(?:©|\(c\)|copyright\b)\s*(?P<copy>.+?)\s*$"
    # Korean, Japanese and Chinese credits: "[사진=연합뉴스]", "（写真：共同）", "图片来源：新华社".
    r"|^[\[(（【]?\s*(?:사진|자료사진|写真|图片(?:来源)?|圖片(?:來源)?|摄影|攝影|照片)\s*[=:：]\s*"
    r"(?P<cjk>[^\])）】]+?)\s*[\])）】]?\s*$"
    # "Image copyright Getty Images", "Image credit: NASA", "Photo courtesy of the family".
    r"|^(?:image|photo|picture|foto)\s+(?:copyright|credits?|courtesy(?:\s+of)?|source)"
    r"\s*[:|]?\s*(?P<labelled>.+?)\s*$"
    rf"|^\(?\s*{_CREDIT_PHRASE}(?P<phrase>.{{2,60}}?)\s*\)?\s*$"
    # a byline that credits the pictures too: "Текст: Дана Садыкова, Фото: Айдос Ерланов"
    r"|^(?:текст|text|автор\w*|author)\s*:\s*[^,;|:]{2,60}[,;|]\s*(?:фото|photos?|сурет)\s*:\s*"
    r"(?P<bylined>.+?)\s*$",
    re.IGNORECASE,
)
# The site's rights notice ("© 2019 CBS Interactive Inc. All Rights Reserved."), not a credit.
RIGHTS_NOTICE = re.compile(
    r"all\s+rights\s+reserved|may\s+not\s+be\s+(?:re)?published|reproduction|перепечатк"
    r"|права\s+защищены|запрещ|құқықтар\s+қорғалған|무단|転載"
)
# Controls that sit in caption markup: "Enlarge Image", "close video", "Toggle caption".
CAPTION_CONTROLS = re.compile(
    r"^(?:(?:close|open|play|watch)\s+video|enlarge(?:\s+(?:this\s+)?(?:image|photo))?"
    r"|expand(?:\s+image)?|(?:toggle|hide|show)\s+caption|zoom(?:\s+in)?"
    r"|view\s+(?:larger\s+)?(?:image|photo)|full\s*screen)\b\s*"
    r"|\s*\b(?:enlarge(?:\s+(?:image|photo))?|(?:toggle|hide|show)\s+caption|expand)$",
    re.IGNORECASE,
)
# A credit with no label that names a photo agency: "Natalie Naccache | Bloomberg | Getty Images".
AGENCY_CREDIT = re.compile(
    # (an initial's dot is no sentence end: "J. Scott Applewhite / AP file")
    r"^(?P<credit>(?:[^.!?]|(?<!\w)\w\.){0,80}?(?:getty\s+images|shutterstock|depositphotos"
    r"|istock(?:photo)?|ap\s+photo|[/|]\s*ap\b|associated\s+press|afp|reuters|epa|tass|xinhua"
    r"|anadolu|bloomberg|ria\s+novosti|риа\s+новости|тасс|sputnik)[^.!?]{0,40})$",
    re.IGNORECASE,
)
# An unlabelled credit set apart at the end of a caption: "Айдос Ерланов / Qala News".
SLASHED_CREDIT = re.compile(
    r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w.'’&-]*(?:\s+[\w.'’&-]+){0,5}\s*/\s*"
    r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w.'’&-]*(?:\s+[\w.'’&-]+){0,4}$"
)
# "Photo by X" with no colon.
CREDIT_BY_LINE = re.compile(r"^\(?\s*photo(?:graph)?\s+by\s+(?P<credit>.+?)\s*\)?\s*$", re.I)
# A caption that ends with its credit: "Caption. Photo: X", "Caption (Photo: AFP)", "Caption © X".
CAPTION_WITH_CREDIT = re.compile(
    rf"^(?P<text>.+?)\s*(?:\(\s*{CREDIT_LABEL}\s*[:|]\s*(?P<pcredit>[^()]+?)\s*\)"
    rf"|(?<=[.!?…»\"”'’)\]|/])\s*{CREDIT_LABEL}\s*(?:[:|]|[—–]\s)\s*(?P<credit>.+?)"
    # "Caption. Photo by X", "Caption. Photo courtesy of X", "Caption. Фото из архива".
    r"|(?<=[.!?…»\"”'’])\s*(?:photo(?:graph)?\s+by|(?:photo|image)\s+courtesy\s+of)\s+"
    r"(?P<bycredit>.+?)"
    rf"|(?<=[.!?…»\"”'’])\s*{_CREDIT_PHRASE}(?P<phrase>.{{2,60}}?)"
    r"|\s©\s*(?P<copy>.+?)"
    # An unlabelled credit in brackets at the end, names split by a slash: "(Manu Fernandez/AP)"
    r"|(?<=[.!?…\"”'’])\s*\((?P<slashed>[^()/]{2,60}/[^()/]{2,60}(?:/[^()/]{2,40})?)\))\s*$",
    re.IGNORECASE,
)
MAX_CREDIT_LINE = 200

# "Read also:" labels of inline related lines (en, ru, kk).
READ_ALSO_LABEL = re.compile(
    r"^\s*[\[(]?\s*(?P<label>read\s+also|also\s+read|read\s+more|see\s+also|related|more\s+on\s+this"
    r"|читайте\s+также|читайте\s+тоже|читайте\s+ещё|читайте\s+еще|также\s+читайте|смотрите\s+также"
    r"|по\s+теме|читать\s+также|оқи\s+отырыңыз|оқыңыз|тағы\s+оқыңыз|сондай-ақ\s+оқыңыз"
    r"|қараңыз|oqi\s+otyryñyz|oqyñyz|also|more|watch|listen|смотрите|также"
    # de, fr, es, pt, it, id
    r"|lesen\s+sie\s+auch|lies\s+auch|(?:à\s+)?lire\s+aussi|voir\s+aussi|lea\s+también"
    r"|lee\s+también|ver\s+también|leia\s+também|leia\s+mais|veja\s+também|leggi\s+anche"
    r"|baca\s+juga|simak\s+juga)"
    r"\s*(?P<colon>[:：.\-–—»>]*)\s*",
    re.IGNORECASE,
)

# Calls to action: a verb ("subscribe") together with a channel word ("Telegram").
# Both are matched against lower-cased text: case-insensitive searching is ten times slower.
PROMO_VERB = re.compile(
    r"\b(?:subscribe|follow\s+us|follow\s+(?:the\s+)?[\w.]+(?:\s+[\w.@()]+){0,6}\s+on\b"
    r"|join\s+us|join\s+our|sign\s+up|get\s+the\s+news"
    r"|подписывайтесь|подпишитесь|подписаться|следите\s+за|присоединяйтесь|наши\s+новости\s+теперь"
    r"|siga-nos|síguenos|suivez-nous|folgen\s+sie\s+uns|seguici|ikuti\s+kami|inscreva-se"
    r"|suscríbete|abonnez-vous|abonnieren\s+sie"
    r"|читайте\s+нас|(?:на)?пишите\s+нам|жазылыңыз|жазылу|бізді\s+[\w-]+\s+(?:оқыңыз|бақылаңыз)"
    r"|қосылыңыз|арнамыз\w*\s+оқыңыз)"
)
PROMO_CHANNEL = re.compile(
    r"(?:telegram|whatsapp|instagram|facebook|youtube|twitter|tiktok|vk\b|вконтакте|viber"
    r"|дзен|dzen|newsletter|канал|channel|арна|рассылк|t\.me/|magazine|журнал)"
)
MAX_PROMO_LINE = 300
# Offers, listening/app promos, tip lines, comment rules and copyright notices: lines that
# sell or govern the page rather than tell the story (matched on lower-cased text).
OFFER_LINE = re.compile(
    r"\b\d+\s+(?:issues|номер(?:а|ов))\s+(?:for|за)\s+(?:only\s+)?(?:[£$€]|\d)"
    r"|\bdelivered\s+(?:to\s+your\s+(?:door|inbox)|through\s+your\s+letterbox)"
    r"|\b(?:listen|watch)\s+(?:back|again)\s+(?:here|now|on)\b"
    r"|\blisten\s+(?:live|to\s+[\w' ]{1,40}\s+live)\b"
    r"|\b(?:download|get)\s+(?:our|the)\s+(?:[\w-]+\s+){0,2}app\b"
    r"|\b(?:got|have)\s+a\s+(?:news\s+)?tip\b|\bsend\s+us\s+(?:a|your)\s+(?:news\s+)?tips?\b"
    r"|\ball\s+rights\s+reserved\b|\bmay\s+not\s+be\s+(?:re)?published,\s+broadcast"
    r"|все\s+права\s+защищены|барлық\s+құқықтар\s+қорғалған"
    # error-report notices and reprint rules of the site
    r"|нашли\s+ошибку|ctrl\s*\+\s*enter|қате\s+тапсаңыз|found\s+a\s+(?:typo|mistake)"
    r"|при\s+перепечатке|перепечатка\s+(?:материалов\s+)?(?:запрещена|разрешена|без)"
    r"|көшіріп\s+басу|материалдарды\s+көшіру"
    # a share prompt standing alone
    r"|^(?:поделиться|поделитесь(?:\s+[\w-]+){0,3}|мақаланы\s+бөлісіңіз|бөлісу"
    r"|share(?:\s+this)?(?:\s+(?:article|story|post))?)\W*$"
)
# The author's tagline after the text: "Jane Doe is a reporter for ...", "Eric Song is IGN's
# deal curator ...".
AUTHOR_TAGLINE = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}(?:is|was|has\s+been)\s+(?:a|an|the|[\w.-]+['’]s?)\s+"
    r"(?:[\w'’,-]+\s+){0,5}(?:reporter|writer|editor|correspondent|journalist|contributor"
    r"|columnist|curator|producer|author|freelancer|blogger|analyst|critic|photographer)s?\b"
)
MAX_TAGLINE = 300
TAGLINE_BLOCKS = 2
# Teaser cards inside the text: an excerpt cut short and a call to open the rest
# ("Best gifts under $50 on A... SEE FULL GALLERY", "The minister said… Read more").
TEASER_TAIL = re.compile(
    r"(?:(?:see|view|open)\s+(?:the\s+)?(?:full\s+)?(?:gallery|slideshow)"
    r"|(?:\.\.\.|…)\s*(?:read\s+more|continue\s+reading|читать\s+далее|подробнее|толығырақ))"
    r"\W*$"
)
MAX_TEASER_LINE = 300
# Substrings one of which every OFFER_LINE match contains: a cheap test before the regex.
OFFER_TRIGGERS = (
    "issues", "номер", "delivered", "listen", "watch", "app", "tip", "rights", "broadcast",
    "права", "құқықтар", "ошибк", "ctrl", "қате", "typo", "mistake", "перепечат", "көшір",
    "подел", "бөліс", "share",
)  # fmt: skip
# Comment rules: a comment word and a moderation word ("comments are moderated", "Comentários
# ... não serão aprovados pelo moderador").
COMMENT_WORD = re.compile(r"\bcomment|comentári|commentaire|kommentar|коммент|пікір")
COMMENT_TRIGGERS = ("comment", "comentári", "kommentar", "коммент", "пікір")
MODERATION_WORD = re.compile(
    r"moderat|approv|aprovad|guidelines|respeit|respect|offensive|оскорб|модерац|одобрен"
)

# Byline and "Original Author:" lines inside the text.
BYLINE_LINE = re.compile(
    r"^(?:original\s+author|author|authors|автор(?:ы)?(?:\s+оригинала)?|оригинальный\s+автор"
    r"|авторы|текст|text|written\s+by|reporting\s+by|editor|редактор|автор\s+материала"
    r"|тексты|авторы?\s+фото|photographer|source|источник|дереккөз|tags?|теги|тегтер|метки"
    r"|filed\s+under|posted\s+in|categories|рубрика)"
    r"\s*:\s*\S.{0,100}$"
    # "By Jane Doe", "By Jane Doe and John Roe, Reuters", "By JANE DOE | 12 March 2020".
    r"|^(?:by|от|posted\s+by|filed\s+by|опубликовал[аи]?|жариялаған)\s+"
    r"(?-i:(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w.'’-]*\s*){1,4}"
    r"(?:(?:,|and|&|и)\s+(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w.'’-]*\s*){1,4})*)(?:[,|—–-]\s*[^.!?]{0,60})?$"
    # Agency credit lines without a colon: "Reporting by X; Editing by Y".
    r"|^(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\s+[^.!?]{2,240}$",
    re.IGNORECASE,
)
# Unrendered WordPress shortcodes: "[button link=...]Send us YOUR review[/button]".
SHORTCODE_LINE = re.compile(
    r"^\[(?P<code>[a-z][a-z0-9_-]*)(?:\s+[a-z_-]+=[^\]]*)?\](?:.*\[/(?P=code)\])$"
    r"|^\[[a-z][a-z0-9_-]*\s+[a-z_-]+=[^\]]*\]$"
)
# Calls to comment, in place of the comment section.
COMMENT_PROMPT = re.compile(
    r"^(?:tell\s+us\s+what\s+you\s+think|what\s+do\s+you\s+think\??|leave\s+a\s+(?:comment|reply)"
    r"|join\s+the\s+(?:conversation|discussion)|have\s+your\s+say|оставьте\s+комментарий"
    r"|пікір\s+қалдырыңыз)\b.{0,40}$",
    re.IGNORECASE,
)
# The heading of a comment section: "Comments (2)", "12 комментариев", "Пікірлер", "Leave a Reply".
COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:comments?|reader\s+comments|leave\s+a\s+reply|комментари\w*|пікір(?:лер)?"
    r"|comentários|comentarios|commentaires|kommentare|commenti|komentar)"
    r"\s*(?:\(\d+\)|\d+)?\s*:?$",
    re.IGNORECASE,
)
# Pagers and counters as text: "1 - 5 of 36", "3 из 12", "Page 2 of 5".
COUNTER_LINE = re.compile(
    r"^(?:page\s+|страница\s+)?\d+(?:\s*[-–]\s*\d+)?\s+(?:of|из|/)\s+\d+$", re.IGNORECASE
)
# Lines that are chrome whatever their markup ("Advertisement", "Share:").
BOILERPLATE_LINES = frozenset(
    {
        "advertisement", "реклама", "жарнама", "share", "share:", "поделиться", "поделиться:",
        "бөлісу", "бөлісу:", "ad", "sponsored", "loading...", "загрузка...", "скопировать ссылку",
        "copy link", "print", "печать", "comments", "комментарии", "пікірлер", "tags:", "теги:",
        "тегтер:", "advertising", "partner content", "партнерский материал", "share this",
        "share this:", "share this article", "share this story", "close", "закрыть", "жабу",
        "advert", "advertisment", "sponsored content", "this slideshow requires javascript.",
        "loading", "read more", "читать далее", "толығырақ", "подробнее", "iklan", "more",
        "more:", "you may also like", "you may also like...", "next prev", "prev next",
        "previous next", "see full gallery", "view gallery", "open gallery", "show comments",
        "view comments",
    }
)  # fmt: skip

# Share bars as plain text: "Share this: Twitter Facebook", "Поделиться: ...".
SHARE_LINE = re.compile(
    r"^(?:share(?:\s+this(?:\s+\w+)?)?|поделиться(?:\s+новостью)?|бөлісу|бөлісіңіз)\s*[:：]"
    r"|^share\s+(?:this\s+)?(?:on|via)\s+\w+$",
    re.IGNORECASE,
)
MAX_SHARE_LINE = 120

# Headings of soft-404 pages.
NOT_FOUND_TITLE = re.compile(
    r"\b(?:page\s+not\s+found|not\s+found|404|страница\s+не\s+найдена|ошибка\s+404"
    r"|бет\s+табылмады|парақ\s+табылмады|page\s+(?:does\s+not|doesn't)\s+exist|nothing\s+found"
    r"|ничего\s+не\s+найдено)\b",
    re.IGNORECASE,
)

# Visible labels of related-headline blocks, by kind.
RELATED_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "latest_news",
        re.compile(
            r"^(?:latest(?:\s+(?:news|stories|articles|headlines))?|last\s+news|news\s+feed"
            r"|all\s+news|recent(?:\s+news|\s+posts|\s+stories|\s+articles)?|just\s+in"
            r"|news\s+in\s+brief|последние\s+(?:новости|материалы|публикации)|лента(?:\s+новостей)?"
            r"|свежие\s+новости|новости(?:\s+дня)?|все\s+новости|соңғы\s+(?:жаңалықтар|жаңалық)"
            r"|актуальн(?:ое|ые\s+(?:новости|материалы))|өзекті\s+жаңалықтар"
            r"|жаңалықтар\s+(?:таспасы|легі)|жаңалықтар|songhy\s+janalyqtar|soñğı\s+jañalıqtar"
            r"|últimas\s+not[ií]cias|dernières\s+(?:nouvelles|infos|actualités)"
            r"|neueste\s+(?:nachrichten|artikel)|aktuelle\s+nachrichten|ultime\s+notizie"
            r"|berita\s+(?:terkini|terbaru)|(?:tulisan|artikel|post)\s+(?:terkini|terbaru))$",
            re.I,
        ),
    ),
    (
        "most_read",
        re.compile(
            r"^(?:most\s+(?:read|popular|viewed|shared|commented)|popular(?:\s+(?:news|now|today"
            r"|stories|articles))?|trending(?:\s+(?:now|stories|news|articles|topics))?|top\s+(?:stories|news|read)"
            r"|популярное(?:\s+за\s+\w+)?|популярные\s+(?:новости|материалы)|самое\s+читаемое"
            r"|самые\s+читаемые|самое\s+популярное|читаемое|самое\s+обсуждаемое|главное"
            r"|көп\s+оқылған(?:дар|\s+жаңалықтар)?|танымал(?:\s+жаңалықтар)?|ең\s+көп\s+оқылған"
            r"|top\s+posts(?:\s+(?:&|and)\s+\w+)?|mais\s+lid[ao]s|(?:lo\s+)?más\s+le[ií]d[oa]s?"
            r"|(?:les\s+)?plus\s+lus|meistgelesen(?:e\s+artikel)?|più\s+lett[ei]|terpopuler"
            r"|paling\s+populer)$",
            re.I,
        ),
    ),
    (
        "read_also",
        re.compile(
            r"^(?:read\s+also|also\s+read|читайте\s+также|читайте\s+тоже|оқи\s+отырыңыз"
            r"|тағы\s+оқыңыз|сондай-ақ\s+оқыңыз|lesen\s+sie\s+auch|(?:à\s+)?lire\s+aussi"
            r"|lea\s+también|leia\s+também|veja\s+também|leggi\s+anche|baca\s+juga)$",
            re.I,
        ),
    ),
    (
        "related",
        re.compile(
            r"^(?:related(?:\s+(?:news|articles|stories|posts|content|coverage|reading))?"
            r"|see\s+also|more\s+on\s+this(?:\s+story|\s+topic)?|you\s+(?:may|might)\s+also\s+like"
            r"|you\s+might\s+be\s+interested(?:\s+in)?|recommended(?:\s+for\s+you)?|editor'?s\s+picks"
            r"|further\s+reading|more\s+(?:stories|news|to\s+read|from\s+[\w .&'-]{2,30})"
            r"|по\s+теме|(?:материалы|новости|статьи)\s+по\s+теме|похожие\s+(?:новости|материалы"
            r"|статьи|публикации)|еще\s+по\s+теме|ещё\s+по\s+теме|рекомендуем|вам\s+может\s+быть"
            r"\s+интересно|тақырыпқа\s+қатысты|ұқсас\s+(?:жаңалықтар|материалдар)"
            r"|тақырып\s+бойынша"
            r"|(?:not[ií]cias|artigos|matérias|art[ií]culos|noticias)\s+relacionad[oa]s"
            r"|articles\s+(?:liés|similaires)|sur\s+le\s+même\s+sujet|verwandte\s+artikel"
            r"|mehr\s+zum\s+thema|das\s+könnte\s+sie\s+auch\s+interessieren"
            r"|articoli\s+correlati|(?:berita|artikel)\s+terkait)$",
            re.I,
        ),
    ),
)
READ_ALSO_BLOCK_LABEL = dict(RELATED_LABELS)["read_also"]
# Labels that head a read-also line only when a link makes up most of what follows them
# ("Also: See our Black Friday coverage", "WATCH: ..."): as words they open plain sentences.
WEAK_READ_ALSO_LABELS = frozenset({"also", "more", "watch", "listen", "смотрите", "также"})
# Any of them (one test before asking which).
# (Matched against lower-cased text: case-insensitive matching is several times slower.)
ANY_RELATED_LABEL = re.compile("|".join(f"(?:{p.pattern})" for _, p in RELATED_LABELS))
MAX_LABEL_CHARS = 60

# --- URLs -------------------------------------------------------------------------------------

# Article URLs: a numeric id in the last segment, a date in the path, /a/123.html ...
ARTICLE_URL = re.compile(
    r"(?:[-_/]\d{3,}(?:\.s?html?|\.php)?/?$"  # /slug-5150/, /12345.html, /news/123456
    r"|/\d{4}/\d{1,2}/\d{1,2}/[^/]+"  # /2025/02/18/slug
    r"|/\d{4}-\d{2}-\d{2}/[^/]+"  # /2025-02-18/slug
    r"|/\d{3,}[-_][^/]+/?$)",  # /30202-put-musora.html, /352979_slug/
    re.IGNORECASE,
)
# ... or a long slug (four or more words) as the last path segment (checked in urls.py).
LONG_SLUG_WORDS = 4
# Listing URLs: pagination, section/tag/author archives. (LISTING_PATH and SERVICE_PATH are
# matched against lower-cased paths.)
LISTING_PATH = re.compile(
    r"/(?:page|stranica|страница)/\d+/?$"
    r"|/(?:category|categories|tag|tags|author|authors|rubric|rubrics|rubrika|section|sections"
    r"|topic|topics|theme|themes|archive|archives|label|series|keyword|keywords)(?:/|$)"
    r"|/(?:news|latest|last-news|latest-news|all-news|lenta|novosti|articles|blog|feed-news"
    r"|zhanalyqtar|janalyqtar)/?$"
)
LISTING_QUERY = re.compile(r"(?:^|&)(?:page|paged|p|pg|start|offset|PAGEN_\d+|date)=", re.I)
PAGE_NUMBER = re.compile(r"/page/(\d+)/?$|[?&](?:page|paged|PAGEN_\d+)=(\d+)", re.IGNORECASE)
# Service pages that are neither articles nor listings.
SERVICE_PATH = re.compile(
    r"/(?:about|about-us|contacts?|contact-us|privacy|privacy-policy|policy|terms|terms-of-use"
    r"|advertising|advertise|reklama|o-nas|o-proekte|kontakty|editorial|team|redaktsiya"
    r"|subscribe|login|register|signin|signup|search|search-results(?:\.html)?|sitemap"
    r"|rules|cookies?|imprint|impressum|faq|help|donate)(?:/|\.html?|$)"
)

# schema.org types that mean "this page is an article".
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting",
        "techarticle", "scholarlyarticle", "report", "satiricalarticle",
        "advertisercontentarticle", "askpublicnewsarticle", "socialmediaposting", "posting",
    }
)  # fmt: skip
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog"})
SERVICE_TYPES = frozenset({"aboutpage", "contactpage", "profilepage", "faqpage"})

# "Next page" link texts.
NEXT_TEXTS = frozenset(
    {"›", "»", "→", ">", ">>", "next", "next page", "older", "older posts", "следующая",
     "далее", "вперед", "вперёд", "следующая страница", "келесі", "ары қарай", "ещё", "more"}
)  # fmt: skip
LAST_TEXTS = frozenset({"last", "»»", "последняя", "соңғы", "в конец"})

# Characters removed from text: zero-width, soft hyphen, BOM.
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
