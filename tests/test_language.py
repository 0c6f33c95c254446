"""Articles not in English are skipped with a message naming them and their language; English ones are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.build import Report, collect_articles
from graph_builder.config import Settings, load_settings
from graph_builder.errors import ConfigError
from graph_builder.ingest.language import identify

GERMAN = """Stadtrat beschließt neuen Haushalt

Der Stadtrat von Kesselbach hat am Dienstagabend nach langer Debatte den Haushalt für das kommende Jahr
beschlossen. Bürgermeisterin Helga Brandauer sagte, die Stadt werde mehr Geld für Schulen, Radwege und den
öffentlichen Nahverkehr ausgeben. Die Opposition kritisierte, dass die Gebühren für Kindergärten steigen
sollen, und kündigte an, gegen den Beschluss vorzugehen. Die Sitzung dauerte bis kurz vor Mitternacht."""

FRENCH = """Le conseil régional adopte son budget

Le conseil régional de Valbrume a adopté mardi soir son budget pour l'année prochaine après un long débat.
La présidente, Claire Dumontel, a déclaré que la région consacrerait davantage de moyens aux lycées, aux
transports en commun et à la rénovation des logements. L'opposition a dénoncé une hausse des impôts locaux
et a annoncé qu'elle saisirait le tribunal administratif. La séance s'est terminée peu avant minuit."""

SPANISH = """El ayuntamiento aprueba los presupuestos

El ayuntamiento de Villaclara aprobó el martes por la noche los presupuestos del próximo año tras un largo
debate. La alcaldesa, Lucía Montalbán, afirmó que la ciudad destinará más dinero a las escuelas, al transporte
público y a la limpieza de las calles. La oposición criticó la subida de las tasas municipales y anunció que
recurrirá la decisión ante los tribunales. La sesión terminó poco antes de la medianoche."""

ENGLISH_WITH_FOREIGN_NAMES = """Kesselbach council backs budget

The council of Kesselbach approved its budget on Tuesday night after a long debate. Mayor Helga Brandauer
said the town would spend more on schools and cycle paths. She was joined by Jean-Luc Dumontel of the
Société Générale des Eaux and by Lucía Montalbán, who leads the Villaclara water board. Opposition members
said nursery fees would rise, and the meeting ended shortly before midnight."""


def _collect(tmp_path: Path, files: dict[str, str], settings: Settings) -> tuple[list[str], Report]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = Report()
    kept = [a.doc_id for a in collect_articles([str(tmp_path)], settings, report)]
    return sorted(kept), report


def test_foreign_articles_are_skipped_with_their_language(tmp_path: Path) -> None:
    files = {"de.txt": GERMAN, "fr.txt": FRENCH, "es.txt": SPANISH, "en.txt": ENGLISH_WITH_FOREIGN_NAMES}
    kept, report = _collect(tmp_path, files, Settings())
    assert kept == ["en"]
    assert report.read == 1 and report.exit_code == 4
    reasons = {Path(err.source).name: err.reason for err in report.skipped}
    assert set(reasons) == {"de.txt", "fr.txt", "es.txt"}
    for name, language in (("de.txt", "'de'"), ("fr.txt", "'fr'"), ("es.txt", "'es'")):
        assert f"in language {language}" in reasons[name]
        assert f"'{name[:2]}'" in reasons[name]  # the article's own name
    assert "skipped 3 input(s)" in report.summary()
    assert "de.txt" in report.summary()


def test_languages_setting_keeps_what_it_lists_and_empty_keeps_all(tmp_path: Path) -> None:
    files = {"de.txt": GERMAN, "en.txt": ENGLISH_WITH_FOREIGN_NAMES}
    kept, _ = _collect(tmp_path, files, Settings(languages=("en", "de")))
    assert kept == ["de", "en"]
    kept, report = _collect(tmp_path, files, Settings(languages=()))
    assert kept == ["de", "en"] and report.skipped == []


def test_short_texts_are_kept_whatever_they_look_like(tmp_path: Path) -> None:
    assert identify("Beschluss vertagt.") is None
    kept, report = _collect(tmp_path, {"short.txt": "Rat vertagt Beschluss\n\nDie Sitzung endete früh."}, Settings())
    assert kept == ["short"] and report.skipped == []


def test_languages_setting_from_the_configuration_file(tmp_path: Path) -> None:
    config = tmp_path / "graph_builder.toml"
    config.write_text('languages = ["EN", "fr"]\n', encoding="utf-8")
    assert load_settings(config, environ={}).languages == ("en", "fr")
    config.write_text('languages = "en"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="languages"):
        load_settings(config, environ={})
