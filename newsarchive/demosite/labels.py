"""Fixed interface strings of the three editions (chrome, not generated content)."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("politics", "society", "economy", "incidents", "world", "culture")
SITE_NAME = "Qala News"


@dataclass(frozen=True, slots=True)
class Labels:
    lang: str
    locale: str
    categories: dict[str, str]
    months: tuple[str, ...]
    """Month names as printed in dates ("29 марта 2025"); en uses numeric dates."""
    home: str
    latest_news: str
    all_news: str
    read_also: str
    promo_before: str
    promo_link: str
    promo_after: str
    cookie: str
    accept: str
    advertisement: str
    share: str
    original_author: str
    footer: str
    about: str
    contacts: str
    advertising: str
    privacy: str
    search: str
    not_found_title: str
    not_found_text: str
    by: str
    tag_title: str
    author_title: str
    editors_picks: str
    hours_ago: str
    minutes_ago: str
    days_ago: str
    label_photo: str
    label_video: str
    updated: str
    print_label: str


EN = Labels(
    lang="en",
    locale="en_US",
    categories={
        "politics": "Politics",
        "society": "Society",
        "economy": "Economy",
        "incidents": "Incidents",
        "world": "World",
        "culture": "Culture",
    },
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    home="Home",
    latest_news="Latest news",
    all_news="All news",
    read_also="Read also:",
    promo_before="Subscribe to our ",
    promo_link="Telegram channel",
    promo_after=" to get the news first.",
    cookie="We use cookies to make the site work better. By staying on it you accept this.",
    accept="Accept",
    advertisement="Advertisement",
    share="Share:",
    original_author="Original Author:",
    footer=(
        "© 2025 Qala News. Reproduction of materials is allowed only with an active "
        "hyperlink to Qala News."
    ),
    about="About",
    contacts="Contacts",
    advertising="Advertising",
    privacy="Privacy",
    search="Search",
    not_found_title="Page not found",
    not_found_text="The page you requested does not exist or has been moved.",
    by="By",
    tag_title="Tag: {}",
    author_title="Author: {}",
    editors_picks="Editor's picks",
    hours_ago="{} hours ago",
    minutes_ago="{} minutes ago",
    days_ago="{} days ago",
    label_photo="Photo",
    label_video="Video",
    updated="Updated",
    print_label="Print",
)

RU = Labels(
    lang="ru",
    locale="ru_RU",
    categories={
        "politics": "Политика",
        "society": "Общество",
        "economy": "Экономика",
        "incidents": "Происшествия",
        "world": "В мире",
        "culture": "Культура",
    },
    months=(
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    home="Главная",
    latest_news="Последние новости",
    all_news="Все новости",
    read_also="Читайте также:",
    promo_before="Подписывайтесь на наш ",
    promo_link="Telegram-канал",
    promo_after=", чтобы первыми узнавать новости.",
    cookie="Мы используем файлы cookie. Оставаясь на сайте, вы соглашаетесь с этим.",
    accept="Принять",
    advertisement="Реклама",
    share="Поделиться:",
    original_author="Автор оригинала:",
    footer=(
        "© 2025 Qala News. Перепечатка материалов разрешена только с активной "
        "гиперссылкой на Qala News."
    ),
    about="О нас",
    contacts="Контакты",
    advertising="Реклама на сайте",
    privacy="Конфиденциальность",
    search="Поиск",
    not_found_title="Страница не найдена",
    not_found_text="Запрошенная страница не существует или была перемещена.",
    by="Автор:",
    tag_title="Тег: {}",
    author_title="Автор: {}",
    editors_picks="Выбор редакции",
    hours_ago="{} ч. назад",
    minutes_ago="{} мин. назад",
    days_ago="{} дн. назад",
    label_photo="Фото",
    label_video="Видео",
    updated="Обновлено",
    print_label="Печать",
)

KK = Labels(
    lang="kk",
    locale="kk_KZ",
    categories={
        "politics": "Саясат",
        "society": "Қоғам",
        "economy": "Экономика",
        "incidents": "Оқиға",
        "world": "Әлем",
        "culture": "Мәдениет",
    },
    months=(
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ),
    home="Басты бет",
    latest_news="Соңғы жаңалықтар",
    all_news="Барлық жаңалықтар",
    read_also="Оқи отырыңыз:",
    promo_before="Жаңалықтарды бірінші болып білу үшін ",
    promo_link="Telegram арнамызға",
    promo_after=" жазылыңыз.",
    cookie="Біз cookie файлдарын қолданамыз. Сайтта қалу арқылы сіз бұған келісесіз.",
    accept="Қабылдау",
    advertisement="Жарнама",
    share="Бөлісу:",
    original_author="Түпнұсқа авторы:",
    footer=(
        "© 2025 Qala News. Материалдарды көшіріп басуға тек Qala News сайтына белсенді "
        "гиперсілтеме болған жағдайда ғана рұқсат етіледі."
    ),
    about="Біз туралы",
    contacts="Байланыс",
    advertising="Жарнама орналастыру",
    privacy="Құпиялық",
    search="Іздеу",
    not_found_title="Бет табылмады",
    not_found_text="Сіз сұраған бет жоқ немесе басқа мекенжайға көшірілген.",
    by="Авторы:",
    tag_title="Тег: {}",
    author_title="Авторы: {}",
    editors_picks="Редакция таңдауы",
    hours_ago="{} сағат бұрын",
    minutes_ago="{} минут бұрын",
    days_ago="{} күн бұрын",
    label_photo="Фото",
    label_video="Бейне",
    updated="Жаңартылды",
    print_label="Басып шығару",
)

LABELS: dict[str, Labels] = {"en": EN, "ru": RU, "kk": KK}

STATIC_PAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "about": (
            "Qala News is an independent newsroom covering Kazakhstan and Central Asia.",
            "Our editors work in Almaty and Astana and publish in English, Russian and Kazakh.",
        ),
        "contacts": (
            "Newsroom: 50 Abai Avenue, Almaty.",
            "Write to the editors through the form on this page.",
        ),
        "advertising": (
            "Advertising on Qala News reaches readers across the region.",
            "Banner and partner formats are available on request.",
        ),
        "privacy": (
            "We collect only the data needed to run the site.",
            "Cookies help us count visits; no data is sold to third parties.",
        ),
    },
    "ru": {
        "about": ("Qala News — независимая редакция, которая пишет о Казахстане.",),
        "contacts": ("Редакция: Алматы, проспект Абая, 50.",),
        "advertising": ("Размещение рекламы на сайте — по запросу.",),
        "privacy": ("Мы собираем только данные, необходимые для работы сайта.",),
    },
    "kk": {
        "about": ("Qala News — Қазақстан туралы жазатын тәуелсіз редакция.",),
        "contacts": ("Редакция: Алматы, Абай даңғылы, 50.",),
        "advertising": ("Сайтта жарнама орналастыру — сұраныс бойынша.",),
        "privacy": ("Біз тек сайттың жұмысына қажетті деректерді жинаймыз.",),
    },
}
