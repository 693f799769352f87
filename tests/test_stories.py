"""Multi-page stories: the next-page link of a story page, and the streaming joiner that makes
one record of all pages whatever order they come in, losing none."""

from __future__ import annotations

from newsarchive.extract import load_page
from newsarchive.extract.multipage import continuation_url, story_page
from newsarchive.records import Article, ArticleFields, Caption, Related, content_digest
from newsarchive.stories import StoryJoiner

STORY = "https://qala.example/multipage-story-9018/"
PAGE_2 = f"{STORY}?page=2"
PAGE_3 = f"{STORY}?page=3"
LATEST = "Latest news"


def article(url: str, body: str, *, related: tuple[Related, ...] = ()) -> Article:
    fields = ArticleFields(
        title="A story in three pages",
        body=body,
        captions=(Caption(text=f"Picture of {body}", credit="Qala News", image_url=None),),
        related=related,
    )
    return Article(
        url=url,
        site="demo",
        fetched_at="2025-03-29T10:00:00Z",
        status=200,
        extractor_version="t",
        fields=fields,
        content_digest=content_digest(fields),
    )


def sidebar(*urls: str) -> tuple[Related, ...]:
    return tuple(
        Related(title=f"Headline {u}", url=u, position=i, block=LATEST, kind="latest_news")
        for i, u in enumerate(urls, start=1)
    )


def test_story_page_numbers_and_the_next_page_link() -> None:
    assert story_page(PAGE_2) == (STORY, 2)
    assert story_page(f"{STORY}page/3/") == (STORY, 3)
    post = "https://blog.example/?p=4521"  # a WordPress post id, not a page number
    assert story_page(post) == (post, 1)
    assert story_page("https://qala.example/news/?id=7&p=2") == (
        "https://qala.example/news/?id=7",
        2,
    )
    html = (
        '<html><head><link rel="next" href="?page=2"></head><body><p>Text.</p>'
        '<a rel="next" href="/another-story-9019/">Next story</a></body></html>'
    )
    assert continuation_url(load_page(html.encode(), STORY)) == PAGE_2
    last = '<html><body><p>Text.</p><a rel="prev" href="?page=1">Back</a></body></html>'
    assert continuation_url(load_page(last.encode(), PAGE_2)) is None
    blog = '<html><body><a rel="next" href="/another-story-9019/">Next</a></body></html>'
    assert continuation_url(load_page(blog.encode(), STORY)) is None


def test_pages_in_order_make_one_record() -> None:
    joiner = StoryJoiner()
    assert joiner.offer(article(STORY, "one", related=sidebar("/a", "/b")), PAGE_2) == []
    assert joiner.offer(article(PAGE_2, "two", related=sidebar("/a", "/b", "/c")), PAGE_3) == []
    (story,) = joiner.offer(article(PAGE_3, "three"), None)
    assert story.url == STORY
    assert story.fields.body == "one\n\ntwo\n\nthree"
    assert story.fields.pages == (STORY, PAGE_2, PAGE_3)
    assert [c.text for c in story.fields.captions] == [
        "Picture of one",
        "Picture of two",
        "Picture of three",
    ]
    # the sidebar repeated on every page is one list, numbered again
    assert [(r.url, r.position) for r in story.fields.related] == [("/a", 1), ("/b", 2), ("/c", 3)]
    assert story.content_digest == content_digest(story.fields)
    assert joiner.flush() == [] and joiner.joined == 2


def test_later_pages_first_wait_for_the_first() -> None:
    joiner = StoryJoiner()
    assert joiner.offer(article(PAGE_3, "three"), None) == []
    assert joiner.offer(article(PAGE_2, "two"), PAGE_3) == []
    (story,) = joiner.offer(article(STORY, "one"), PAGE_2)
    assert story.fields.body == "one\n\ntwo\n\nthree"


def test_nothing_is_lost_when_a_page_never_comes() -> None:
    joiner = StoryJoiner(max_waiting=2)
    assert joiner.offer(article(STORY, "one"), PAGE_2) == []
    other = "https://qala.example/other-story-9020/"
    assert joiner.offer(article(f"{other}?page=2", "orphan"), None) == []
    assert joiner.offer(article("https://qala.example/plain-9021/", "plain"), None)[
        0
    ].fields.body == ("plain")
    third = "https://qala.example/third-9022/"
    # a third page held at once: the oldest waiting one is written as it is
    (oldest,) = joiner.offer(article(third, "third"), f"{third}?page=2")
    assert oldest.url == STORY and oldest.fields.pages == ()
    assert [a.fields.body for a in joiner.flush()] == ["third", "orphan"]
