"""Title keys: one post under every spelling and every status qualifier the lexicon lists."""

from __future__ import annotations

import pytest

from graph_builder.text import data_rows
from graph_builder.titles import same_post, title_key, with_body_word


@pytest.mark.parametrize("word", [row[0] for row in data_rows("extract", "lexicons", "qualifiers.tsv")])
def test_every_lexicon_qualifier_leaves_the_post(word: str) -> None:
    assert title_key(f"{word} treasurer") == title_key("treasurer") == "treasurer"


def test_qualifiers_of_several_words_and_fused_ones() -> None:
    assert title_key("incumbent chairman") == title_key("acting chairman") == title_key("chair") == "chair"
    assert title_key("one-time chief executive") == title_key("ex-CEO") == "chief executive"
    assert title_key("erstwhile Trade Minister") == "trade minister"


def test_a_qualifier_alone_is_kept_as_the_title() -> None:
    assert title_key("Interim") == "interim"


def test_same_post_ignores_filler_words() -> None:
    assert same_post("trade and industry minister", "minister for trade and industry")
    assert not same_post("trade minister", "industry minister")


def test_a_body_word_before_a_title_names_the_same_post_more_specifically() -> None:
    body_words = {"club", "party"}
    assert with_body_word("chairman", "club chairman", body_words)
    assert with_body_word("former chair", "club chairman", body_words)  # compared by title key
    assert not with_body_word("club chairman", "chairman", body_words)  # the longer one is the fuller
    assert not with_body_word("chairman", "board chairman", body_words)  # "board" is no body word here
    assert not with_body_word("chairman", "club vice chairman", body_words)
    assert not with_body_word("chairman", "chairman", body_words)
