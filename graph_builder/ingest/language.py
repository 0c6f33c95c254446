"""Which language an article is written in, so that the English pipeline only reads English.

An article in German or French read by the English model becomes hundreds of
junk organisations; it is better skipped with a message. The identifier is
py3langid (its model ships inside the package). Only a confident verdict on
enough text rejects an article: a short text, or an English text full of
foreign names, is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..errors import InputError
from ..model import Article

#: Fewer letters than this and a verdict is a guess: the article is kept.
MIN_LETTERS = 200
#: A foreign verdict below this probability keeps the article.
MIN_CONFIDENCE = 0.95
#: Characters looked at; the opening of an article tells its language.
SAMPLE_CHARS = 5000


@dataclass(frozen=True)
class Verdict:
    """A language code (ISO 639-1) and the identifier's probability for it."""

    language: str
    confidence: float


@cache
def _identifier() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> Verdict | None:
    """The language of a text, or None when the text is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)  # type: ignore[attr-defined]
    return Verdict(str(language), float(confidence))


def foreign(article: Article, languages: tuple[str, ...]) -> InputError | None:
    """A skip for an article confidently in none of `languages`; None keeps it (and an empty tuple keeps all)."""
    if not languages:
        return None
    verdict = identify(f"{article.title or ''}\n{article.text}")
    if verdict is None or verdict.language in languages or verdict.confidence < MIN_CONFIDENCE:
        return None
    return InputError(
        article.source or article.doc_id,
        f"article {article.doc_id!r} is in language {verdict.language!r} "
        f"(confidence {verdict.confidence:.2f}), not in languages {list(languages)}; "
        "set languages = [] in graph_builder.toml to extract it anyway",
    )
