"""Words of the report page, to check the PDF's line breaks: a word cut without a hyphen leaves fragments that
the page never contains ("Kommu" + "nen")."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

AUTO_HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character: only automatic breaks use it, the texts never do
_PUNCT = "()„“‚‘\"'.,;:!?·–…"


def _token(word: str) -> str:
    return word.strip(_PUNCT)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title"):
            self._skip += 1
        src = dict(attrs).get("src") or ""
        if tag == "img" and src.startswith("data:image/svg+xml;base64,"):  # the charts' labels
            self.parts.append(re.sub(r"<[^>]+>", " ", base64.b64decode(src.split(",", 1)[1]).decode("utf-8")))

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
        elif "@page" in data:  # the page footer's text comes from the style sheet
            self.parts.extend(re.findall(r'content:\s*"([^"]*)"', data))


def page_words(page: str) -> set[str]:
    """Every word of the page's visible text (and the charts' labels), punctuation stripped."""
    parser = _Text()
    parser.feed(page)
    text = " ".join(parser.parts).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    words = {_token(w) for w in text.split()}
    return words | {str(n) for n in range(1, 10)}  # page numbers (CSS counters)


def split_words(text: str, vocabulary: set[str]) -> tuple[list[str], set[str]]:
    """(the words of extracted PDF text with hyphenated line breaks joined, the words that were hyphenated).

    "Kom‐\\nmunen" (automatic hyphen) is one word; "Mittel-\\nund" keeps both words unless the joined form
    ("Ende-zu-Ende") is a word of the page.
    """
    lines = text.split("\n")
    words: list[str] = []
    hyphenated: set[str] = set()
    carry = ""
    for line in lines:
        tokens = line.split()
        if carry and tokens:
            joined = carry + tokens[0]
            if carry.endswith(AUTO_HYPHEN):
                tokens[0] = carry[:-1] + tokens[0]
                hyphenated.add(_token(tokens[0]))
            elif _token(joined) in vocabulary:
                tokens[0] = joined
            else:
                words.append(_token(carry))
            carry = ""
        elif carry:
            words.append(_token(carry))
            carry = ""
        if tokens and tokens[-1].endswith(("-", AUTO_HYPHEN)):
            carry = tokens.pop()
        words.extend(_token(t) for t in tokens)
    if carry:
        words.append(_token(carry))
    return [w for w in words if w], hyphenated
