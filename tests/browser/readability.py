"""A rough reading-level measure (Flesch-Kincaid grade) for the guide's pages.

US school grade: add about 5 for a reading age, so grade 5 is a reading age of about 10. The
syllable count is a heuristic (vowel groups), good enough to catch long words and long
sentences creeping in; it is no substitute for testing with children."""

from __future__ import annotations

import html
import re

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def syllables(word: str) -> int:
    w = word.lower().strip("'-")
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def page_text(page_html: str) -> str:
    """The words of a built page's article, one block (paragraph, item, heading) a line."""
    body = page_html.split("<article", 1)[1].split("</article>", 1)[0]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    body = re.sub(r"</(p|li|h\d|dt|dd|legend|label|div)>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def grade(text: str) -> tuple[float, float]:
    """(Flesch-Kincaid grade, words per sentence)."""
    sentences = [s for s in re.split(r"[.!?:]+\s|\n", text) if WORD.search(s)]
    words = WORD.findall(text)
    per_sentence = len(words) / len(sentences)
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59, per_sentence
