"""Writes one article's words and blocks from a lexicon: headline, lead, paragraphs, quotes,
figures, embeds. Every choice comes from the caller's `random.Random`."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsarchive.demosite.labels import Labels
from newsarchive.demosite.lexicon import Lexicon
from newsarchive.demosite.model import (
    AdSlot,
    Block,
    Credit,
    Figure,
    FigureForm,
    LeadImage,
    ListBlock,
    Paragraph,
    Promo,
    PullQuote,
    Quote,
    ReadAlso,
    Subheading,
    Template,
    Tweet,
    Video,
)
from newsarchive.demosite.options import FOREIGN

_CREDIT_LABELS = (
    re.compile(r"^\((?:Photo|Фото|Сурет):\s*(?P<credit>.*)\)$"),
    re.compile(r"^(?:Photo|Фото|Коллаж|Сурет)\s*:\s*(?P<credit>.*)$"),
    re.compile(r"^Images\s*\|\s*(?P<credit>.*)$"),
    re.compile(r"^©\s*(?P<credit>.*)$"),
)


def parse_credit(raw: str) -> Credit:
    """Split a printed credit line into its label-free text (the ground-truth rule of §13)."""
    text = raw
    for pattern in _CREDIT_LABELS:
        match = pattern.match(raw)
        if match:
            text = match.group("credit").strip()
            break
    illustrative = "ill. purp" in text
    return Credit(raw=raw, text=text, illustrative=illustrative)


@dataclass(frozen=True, slots=True)
class Headline:
    title: str
    lead: str


class ArticleWriter:
    """Generates text in one language; `transform` rewrites every generated string (kk Latin)."""

    def __init__(
        self,
        rng: random.Random,
        lexicon: Lexicon,
        labels: Labels,
        transform: Callable[[str], str] | None = None,
    ) -> None:
        self._rng = rng
        self._lex = lexicon
        self._labels = labels
        self._t: Callable[[str], str] = transform or (lambda text: text)

    # -- words -------------------------------------------------------------------------------
    def headline(self, category: str) -> Headline:
        words = self._lex.categories[category]
        s_title, s_text = self._rng.choice(words.subjects)
        v_title, v_text = self._rng.choice(words.verbs)
        o_title, o_text = self._rng.choice(words.objects)
        q_title, q_text = self._rng.choice(self._lex.qualifiers)
        title = self._lex.title_pattern.format(S=s_title, V=v_title, O=o_title, Q=q_title)
        lead = self._lex.lead_pattern.format(s=s_text, v=v_text, o=o_text, q=q_text)
        return Headline(title=self._t(title), lead=self._t(lead))

    def _fill(self, template: str, *, capitalize: bool = True) -> str:
        values = {name: self._rng.choice(options) for name, options in self._lex.slots.items()}
        person, gender = self._rng.choice(self._lex.persons)
        values["person"] = person
        values["said"] = self._lex.said[gender]
        text = template.format_map(values)
        if capitalize:
            text = text[0].upper() + text[1:]
        return self._t(text)

    def sentences(self, count: int, used: set[str]) -> list[str]:
        """`count` sentences not yet in `used` (which also remembers templates, so an article
        repeats a template only once all of them are taken)."""
        out: list[str] = []
        for _ in range(count * 6):
            if len(out) == count:
                break
            fresh = [t for t in self._lex.sentences if f"template:{t}" not in used]
            template = self._rng.choice(fresh or self._lex.sentences)
            sentence = self._fill(template)
            if sentence not in used:
                used.update((sentence, f"template:{template}"))
                out.append(sentence)
        return out

    # -- images ------------------------------------------------------------------------------
    def image_src(self, published: datetime) -> str:
        name = uuid.UUID(int=self._rng.getrandbits(128), version=4)
        return f"/uploads/posts/{published:%Y-%m}/sizes/1440x810/{name}.webp"

    def credit(self) -> Credit:
        return parse_credit(self._rng.choice(self._lex.credits))

    def lead_image(self, published: datetime, template: Template) -> LeadImage:
        src = self.image_src(published)
        alt = self._t(self._rng.choice(self._lex.alts))
        roll = self._rng.random()
        if template == "modern":
            caption = self._fill(self._rng.choice(self._lex.captions))
            credit = None if roll < 0.1 else self.credit()
            return LeadImage(src, alt, caption, credit, "postpic" if credit else "none")
        if roll < 0.7:
            return LeadImage(src, alt, None, self.credit(), "postpic")
        if roll < 0.8:
            return LeadImage(src, alt, None, self.credit(), "first_paragraph")
        if roll < 0.9:
            return LeadImage(src, alt, None, self.credit(), "after_first")
        return LeadImage(src, alt, None, None, "none")

    def figure(self, published: datetime) -> Figure:
        form: FigureForm = self._rng.choice(
            ("figcaption", "figcaption", "media_pair", "modal_copy")
        )
        return Figure(
            src=self.image_src(published),
            alt=self._t(self._rng.choice(self._lex.alts)),
            caption=self._fill(self._rng.choice(self._lex.captions)),
            credit=self.credit(),
            form=form,
        )

    # -- blocks ------------------------------------------------------------------------------
    def blocks(
        self,
        published: datetime,
        older: Sequence[tuple[str, str]],
        section_href: str,
        used: set[str],
    ) -> tuple[Block, ...]:
        """Body blocks after the lead; `older` holds (path, title) of earlier articles."""
        rng = self._rng
        drafts = [self.sentences(rng.randint(2, 3), used) for _ in range(rng.randint(3, 7))]
        paragraphs = [sentences for sentences in drafts if sentences]
        blocks: list[Block] = [self._paragraph(paragraphs[0], section_href)]
        if older and rng.random() < 0.6:
            href, text = rng.choice(older[-12:])
            blocks.append(ReadAlso(href=href, text=text, style="labelled"))
        if len(paragraphs) > 1:
            blocks.append(self._paragraph(paragraphs[1], section_href))
        if rng.random() < 0.5:
            blocks.append(self.figure(published))
        if rng.random() < 0.5:
            blocks.append(AdSlot())
        if rng.random() < 0.4:
            quote = self._fill(rng.choice(self._lex.quotes))
            attribution = self._fill(self._lex.attribution, capitalize=False)
            blocks.append(Quote(text=quote, attribution=attribution))
        if rng.random() < 0.25:
            blocks.append(Subheading(self._t(rng.choice(self._lex.subheadings))))
        for sentences in paragraphs[2:4]:
            blocks.append(self._paragraph(sentences, section_href))
        if rng.random() < 0.15:
            blocks.append(Paragraph(self._t(rng.choice(self._lex.list_intro))))
            items = {self._fill(item) for item in rng.sample(self._lex.list_items, 3)}
            blocks.append(ListBlock(tuple(sorted(items))))
        if rng.random() < 0.2:
            blocks.extend(self._tweet(published))
        if rng.random() < 0.15:
            blocks.append(Video(url=f"{FOREIGN}/embed/video/{rng.getrandbits(40):010x}"))
        if rng.random() < 0.2:
            blocks.append(self.figure(published))
        if older and rng.random() < 0.2:
            href, text = rng.choice(older[-30:])
            blocks.append(ReadAlso(href=href, text=text, style="bare"))
        for sentences in paragraphs[4:]:
            blocks.append(self._paragraph(sentences, section_href))
        if len(paragraphs) > 2 and rng.random() < 0.1:
            blocks.insert(3, PullQuote(paragraphs[1][0]))
        if rng.random() < 0.6:
            blocks.append(Promo())
        return tuple(_unique_quotes(blocks))

    def _paragraph(self, sentences: list[str], section_href: str) -> Paragraph:
        text = " ".join(sentences)
        if self._rng.random() < 0.2:
            phrase = " ".join(text.split(" ")[:3])
            return Paragraph(text, link=(phrase, section_href))
        return Paragraph(text)

    def _tweet(self, published: datetime) -> list[Block]:
        rng = self._rng
        name, handle = rng.choice(self._lex.tweet_accounts)
        status = 1890000000000000000 + rng.getrandbits(48)
        labels = self._labels
        if labels.lang == "en":
            date_text = f"{labels.months[published.month - 1]} {published.day}, {published.year}"
        else:
            date_text = f"{published.day} {labels.months[published.month - 1]} {published.year}"
        tweet = Tweet(
            url=f"{FOREIGN}/{handle}/status/{status}",
            text=self._fill(rng.choice(self._lex.tweets)),
            author=name,
            handle=handle,
            date_text=date_text,
        )
        return [Paragraph(self._t(rng.choice(self._lex.tweet_intro))), tweet]


def _unique_quotes(blocks: list[Block]) -> list[Block]:
    """Drop a block quote whose text repeats an earlier one (ground truth must stay simple)."""
    seen: set[str] = set()
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Quote):
            if block.text in seen:
                continue
            seen.add(block.text)
        out.append(block)
    return out
