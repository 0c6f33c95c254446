"""Extraction: spaCy for tokens, sentences, parse and NER; our rule layer for roles and events."""

from __future__ import annotations

from .runner import Extractor

__all__ = ["Extractor"]
