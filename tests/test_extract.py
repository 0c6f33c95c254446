"""The rule layer on sentences written here, one pattern family at a time."""

from __future__ import annotations

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.mentions import Mention, Mentions
from graph_builder.extract.roles import RoleFinder
from graph_builder.extract.scorer import Scorer
from graph_builder.ingest import article_id
from graph_builder.model import Article, ArticleFacts

#: A scorer that keeps every proposal with the organisation its title rules chose (or none): the rule
#: layer's own answer, independent of any trained model.
RULES_ONLY = Scorer({"org:from-rule": 2.0, "org:none": 1.0}, bias=5.0, threshold=0.5, meta={})


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(workers=1, scorer=RULES_ONLY)


def run(extractor: Extractor, text: str, published: str | None = None) -> ArticleFacts:
    return extractor.extract_one(Article(article_id(text), "t", text, published=published))


def roles(facts: ArticleFacts) -> set[tuple[str, str, str | None, str]]:
    return {(r.person, r.title, r.organisation, r.status) for r in facts.roles}


def test_possessive_country_and_comma_holder(extractor: Extractor) -> None:
    f = run(extractor, "Portugal's Minister for Coastal Development, Duarte Pimentel, met reporters on Monday.")
    assert ("Duarte Pimentel", "Minister for Coastal Development", "Government of Portugal", "current") in roles(f)
    gov = next(e for e in f.entities if e.name == "Government of Portugal")
    assert gov.kind == "government" and "Portugal" in gov.aliases


def test_pre_modifier_with_company(extractor: Extractor) -> None:
    f = run(
        extractor,
        "Shares rose after Norvale Energy reported results. Norvale Energy chairman Tomas Arden said "
        "the outlook was good.",
    )
    assert ("Tomas Arden", "chairman", "Norvale Energy", "current") in roles(f)


def test_appositive_with_possessive_organisation(extractor: Extractor) -> None:
    f = run(extractor, "Maria Lenz, Norvale Energy's chief executive, said the results were respectable.")
    assert ("Maria Lenz", "chief executive", "Norvale Energy", "current") in roles(f)


def test_title_of_organisation_after_holder(extractor: Extractor) -> None:
    f = run(extractor, "Yet energy analyst Pavel Marek of Kestrel Securities said the deal was too small.")
    assert ("Pavel Marek", "energy analyst", "Kestrel Securities", "current") in roles(f)


def test_former_status_and_parenthesised_title(extractor: Extractor) -> None:
    f = run(
        extractor,
        "Speakers included Japan's former Defence Minister Kenji Morita and India's Secretary (West) "
        "R. Anand, who delivered addresses.",
    )
    got = roles(f)
    assert ("Kenji Morita", "Defence Minister", "Government of Japan", "former") in got
    assert ("R. Anand", "Secretary (West)", "Government of India", "current") in got


def test_future_status(extractor: Extractor) -> None:
    f = run(extractor, "The party's leader-elect, Eleanor Whitcombe, thanked her rivals.")
    assert any(r.person == "Eleanor Whitcombe" and r.status == "future" for r in f.roles)


def test_party_adjective_names_the_party(extractor: Extractor) -> None:
    f = run(extractor, "Tory leader Michael Hammond said the tax plans were unfair.")
    assert ("Michael Hammond", "leader", "Conservative Party", "current") in roles(f)


def test_who_heads(extractor: Extractor) -> None:
    f = run(extractor, "The plan was backed by Samir Haddad, who heads Veltrane Robotics.")
    assert ("Samir Haddad", "head", "Veltrane Robotics", "current") in roles(f)


def test_surname_and_honorific_are_one_person(extractor: Extractor) -> None:
    f = run(
        extractor,
        "Rodney Eddings, chief executive of Skyline Air, spoke first. Mr Eddings said costs rose. "
        "Eddings's remarks lifted the shares.",
    )
    people = [e for e in f.entities if e.label == "Person"]
    assert [p.name for p in people] == ["Rodney Eddings"]
    assert "Eddings" in people[0].aliases


def test_evidence_span_is_the_sentence(extractor: Extractor) -> None:
    text = "Markets were calm. Maria Lenz, Norvale Energy's chief executive, said so."
    f = run(extractor, text)
    role = f.roles[0]
    assert text[role.evidence.start : role.evidence.end] == "Maria Lenz, Norvale Energy's chief executive, said so."
    assert role.evidence.article_id == f.article.id


def test_meeting_with_place(extractor: Extractor) -> None:
    f = run(extractor, "Estonia's trade minister Aino Kask held talks with Henrik Saar in Tallinn on Tuesday.")
    meeting = next(e for e in f.events if e.type == "meeting")
    assert set(meeting.participants) == {"Aino Kask", "Henrik Saar"}
    assert meeting.place == "Tallinn"


def test_named_event_with_organiser_and_speakers(extractor: Extractor) -> None:
    f = run(
        extractor,
        "A forum, 'Baltic Ports and Trade Dialogue,' was organised at the Estonian Embassy in Riga. "
        "Guests including Latvia's Transport Minister Ilze Berzina delivered speeches.",
    )
    named = [e for e in f.events if e.name]
    assert {e.name for e in named} == {"Baltic Ports and Trade Dialogue"}
    assert ("Estonian Embassy",) in [e.organisers for e in named]
    # The speakers are stated in the next sentence: a statement of its own, with that sentence as evidence.
    later = next(e for e in named if "Ilze Berzina" in e.participants)
    assert dict(later.roles)["Ilze Berzina"] == "speaker"
    assert later.evidence.text.startswith("Guests including")


def test_later_winners_join_the_main_named_event(extractor: Extractor) -> None:
    f = run(
        extractor,
        "The film won best drama at the Harbour Film Awards in Porto on Sunday. "
        "Ana Reis was named best actress. Tomas Lima won best director at the awards.",
    )
    parts = {p for e in f.events if e.name == "Harbour Film Awards" for p in e.participants}
    assert "Tomas Lima" in parts


def test_talks_need_the_other_party(extractor: Extractor) -> None:
    f = run(extractor, "Norvale Energy is in talks to buy the Kestrel refinery from Baltic Fuel Holdings.")
    assert [e for e in f.events if e.type == "meeting"] == []


def test_no_role_invented_from_plain_text(extractor: Extractor) -> None:
    f = run(extractor, "The weather in the north was cold and wet for most of the week.")
    assert f.roles == () and f.events == ()


def test_membership_in_brackets_and_possessive(extractor: Extractor) -> None:
    f = run(extractor, "Lena Vogt (Civic Renewal Party) said the plan was sound. Norvale Energy's Maria Lenz agreed.")
    got = roles(f)
    assert ("Lena Vogt", "member", "Civic Renewal Party", "current") in got
    assert ("Maria Lenz", "member", "Norvale Energy", "current") in got


def test_field_of_study_stays_in_the_title(extractor: Extractor) -> None:
    f = run(extractor, "Ravi Menon, professor of Maritime Law at Northgate University, said the ruling was clear.")
    assert ("Ravi Menon", "professor of Maritime Law", "Northgate University", "current") in roles(f)


def test_descriptor_before_the_body(extractor: Extractor) -> None:
    f = run(extractor, "Tom Hale, managing director of energy consultants Hale-Westby, expects prices to fall.")
    assert ("Tom Hale", "managing director", "Hale-Westby", "current") in roles(f)


def test_demonym_before_title_names_the_government(extractor: Extractor) -> None:
    f = run(extractor, "The treaty was ratified, Latvian President Tomas Arden said on Friday.")
    assert ("Tomas Arden", "President", "Government of Latvia", "current") in roles(f)


def test_calls_are_one_contact_per_party(extractor: Extractor) -> None:
    f = run(
        extractor,
        "John Carter spoke to Mary Jones on Monday. He also spoke on the telephone to David Brown and Sarah Wilson.",
    )
    pairs = {frozenset(e.participants) for e in f.events if e.type == "meeting"}
    assert frozenset({"John Carter", "David Brown"}) in pairs
    assert frozenset({"John Carter", "Sarah Wilson"}) in pairs
    assert frozenset({"David Brown", "Sarah Wilson"}) not in pairs


def test_qualified_election_is_a_named_event(extractor: Extractor) -> None:
    f = run(extractor, "Whitcombe won the party's 2025 leadership election by a wide margin.")
    assert "2025 leadership election" in {e.name for e in f.events}


def test_passing_mention_of_another_event_takes_no_participants(extractor: Extractor) -> None:
    f = run(
        extractor,
        "Tomas Lima won best film at the Harbour Film Awards. Ana Reis won best actress, weeks ahead "
        "of the Lisbon Film Festival.",
    )
    festival = [e for e in f.events if e.name == "Lisbon Film Festival"]
    assert all("Ana Reis" not in e.participants for e in festival)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A person the NER split or mislabelled, repaired by the slot it stands in.
        (
            "Investigators found that President Dorian Kastellaniou had ignored the warnings.",
            ("Dorian Kastellaniou", "President", None, "current"),
        ),
        (
            "Ludovic Brannt, the president of the Harbour Chamber of Commerce, argued that rents were rising.",
            ("Ludovic Brannt", "president", "Harbour Chamber of Commerce", "current"),
        ),
        # The body after a lowercase descriptor, after "at" as after "of".
        (
            "Tessa Moor, a reporter at the regional English-language weekly Kestrel Gazette, doubted it.",
            ("Tessa Moor", "reporter", "Kestrel Gazette", "current"),
        ),
        (
            "Ivo Brandt is executive director of the Northern Institute for Coastal Studies at the "
            "Harbour University in Kestrel.",
            ("Ivo Brandt", "executive director", "Northern Institute for Coastal Studies", "current"),
        ),
        # A body's name ending in a portfolio: the portfolio joins the title.
        (
            "The EU Energy Commissioner Marta Velloso said the pipeline was needed.",
            ("Marta Velloso", "Energy Commissioner", "EU", "current"),
        ),
        # A playing position the tagger reads as a verb, before a name.
        (
            "The club made its biggest move by signing Kestrel Rovers midfielder Luka Brandic for 35 million euros.",
            ("Luka Brandic", "midfielder", "Kestrel Rovers", "current"),
        ),
        # Two titles joined by "and" share the body named after the second.
        (
            '"Innovation is key," said Ulf Semmel, president and chief executive of Kestrel Micro Imaging.',
            ("Ulf Semmel", "president", "Kestrel Micro Imaging", "current"),
        ),
        # The holder after the title and a few words of setting.
        (
            "Spain's finance minister at the time, Salvo Bertani, backed the offer.",
            ("Salvo Bertani", "finance minister", "Government of Spain", "current"),
        ),
        # A field of study with a hyphen, then the body after "at".
        (
            '"We must adapt," says Pieter Bronsma, professor of bridge-building at the University of Kestrel.',
            ("Pieter Bronsma", "professor of bridge-building", "University of Kestrel", "current"),
        ),
        # Adverbs and participles in the descriptor before a body; no dangling "of" in the title.
        (
            "Elias Osei, director of the widely respected non-profit organization Open Harbour in Accra, denied this.",
            ("Elias Osei", "director", "Open Harbour", "current"),
        ),
        # A qualifier the NER took into the body's name belongs to the title.
        (
            "Former CIA station chief Dana Voss was released on bail.",
            ("Dana Voss", "station chief", "CIA", "former"),
        ),
        # A country's possessive before the body the title is in.
        (
            "Rose Adjei, president of Ghana's Green Party, spoke on the radio.",
            ("Rose Adjei", "president", "Green Party", "current"),
        ),
        # An acronym before a title names the body, even after another title word.
        (
            "Lawyers said the chief ICTY prosecutor Bruno Macfarlan was right.",
            ("Bruno Macfarlan", "prosecutor", "ICTY", "current"),
        ),
        (
            "Last week, EU parliament president Lena Marsh wrote to the auditors.",
            ("Lena Marsh", "president", "EU parliament", "current"),
        ),
        # Another title after "for" is not a portfolio.
        (
            "Ivo Brandt, spokesman for Polish Prime Minister Tom Reed, said so.",
            ("Ivo Brandt", "spokesman", None, "current"),
        ),
        # A name the NER missed, between a quote and an appositive title.
        (
            '"We will rebuild the bridge," Rani Chatterji, chief minister of West Bengal, told reporters.',
            ("Rani Chatterji", "chief minister", "Government of West Bengal", "current"),
        ),
        # A place before an expert's title is the subject of the expertise.
        ("The Africa expert Denis Tollan said the vote was a formality.", ("Denis Tollan", "expert", None, "current")),
        # The holder after "a member of ...," and after a body's detached possessive.
        (
            "Last year, a member of Austria's upper house of parliament, Karl Obrist, tabled a motion.",
            ("Karl Obrist", "member", "Government of Austria", "current"),
        ),
        (
            "Kestrel Motors ' chief negotiator, Tom Reed, was in Harbour City on Tuesday.",
            ("Tom Reed", "chief negotiator", "Kestrel Motors", "current"),
        ),
        # A topic after "on", then the body; a city's possessive before the body.
        (
            '"Trade matters," explains Kenji Arai, an expert on Japan-Korea trade at Osaka\'s Kestrel University.',
            ("Kenji Arai", "expert", "Kestrel University", "current"),
        ),
        (
            '"Art is patient," said the director of Prague\'s Kestrel Museum, Ivo Brandt.',
            ("Ivo Brandt", "director", "Kestrel Museum", "current"),
        ),
        (
            "Delegates urged the new president of the European Parliament, Ann Pike, to act quickly.",
            ("Ann Pike", "president", "European Parliament", "current"),
        ),
        # A second title joined by "and" holds the same person; a party in brackets is a membership.
        (
            "According to Lena Marsh, co-director of the Harbour Media Project and a fellow of the Kestrel "
            "Academy in Oslo, costs would rise.",
            ("Lena Marsh", "fellow", "Kestrel Academy", "current"),
        ),
        (
            "Hanna Saari, the chief executive of the Baltic Ports Authority and a former Norvale Energy finance "
            "chief, will also speak.",
            ("Hanna Saari", "finance chief", "Norvale Energy", "former"),
        ),
        (
            "The museum welcomed the vice-president of the Bundestag, Ann Pike (of the Green Party).",
            ("Ann Pike", "member", "Green Party", "current"),
        ),
        # Modifiers the title left outside before the appositive; a second title chained by "and".
        (
            '"It is a setback," Ivo Brandt, human rights activist and head of the student Millo group, told reporters.',
            ("Ivo Brandt", "head", "Millo", "current"),
        ),
        (
            '"It is a setback," Ivo Brandt, human rights activist and head of the student Millo group, told reporters.',
            ("Ivo Brandt", "activist", None, "current"),
        ),
        # A city and quotes in the descriptor before the body.
        (
            'Nikos Vale, sports editor of the Athens weekly "Kestrel Times," disagrees.',
            ("Nikos Vale", "sports editor", "Kestrel Times", "current"),
        ),
        # A body named after a descriptor keeps the rest of its name.
        (
            "Lena Marsh, the deputy leader of the opposition Democratic Reform Party of Kenya, was arrested.",
            ("Lena Marsh", "deputy leader", "Democratic Reform Party of Kenya", "current"),
        ),
    ],
)
def test_ner_repair_and_descriptors(extractor: Extractor, text: str, expected: tuple) -> None:
    assert expected in roles(run(extractor, text))


@pytest.mark.parametrize(
    ("text", "person", "body"),
    [
        (
            '"History must be taught," said Clara Bickel of the Society for Harbour History.',
            "Clara Bickel",
            "Society for Harbour History",
        ),
        ('"It is unfair," Marco Rinaldi from the Kestrel Dockers union said.', "Marco Rinaldi", "Kestrel Dockers"),
        (
            '"Big chains squeeze local shops," said Rolf Suter, of the trade-critical network Fairlink.',
            "Rolf Suter",
            "Fairlink",
        ),
        (
            "Ann Pike, of the Larkport-based Guild of Bridge Inspectors, led the survey last spring.",
            "Ann Pike",
            "Guild of Bridge Inspectors",
        ),
    ],
)
def test_person_of_a_body_is_a_member(extractor: Extractor, text: str, person: str, body: str) -> None:
    assert (person, "member", body, "current") in roles(run(extractor, text))


def test_opener_and_demonym_are_not_part_of_a_body_named_elsewhere(extractor: Extractor) -> None:
    f = run(
        extractor,
        "The World Bank met on Monday to discuss new loans.\nNew World Bank President Jim Carrow is optimistic. "
        "The Afghan Taliban spokesman Zabi Mujahed told reporters it was too soon. The Taliban said nothing.",
    )
    assert ("Jim Carrow", "President", "World Bank", "current") in roles(f)
    assert ("Zabi Mujahed", "spokesman", "Taliban", "current") in roles(f)


def people(facts: ArticleFacts) -> set[str]:
    return {e.name for e in facts.entities if e.label == "Person"}


def test_lone_name_that_acts_is_a_person(extractor: Extractor) -> None:
    f = run(extractor, "The strongmen fell in turn: Ben Sadi left first, and Maharak was toppled weeks later.")
    assert "Maharak" in people(f)


def test_name_that_speaks_is_a_person_whatever_the_ner_said(extractor: Extractor) -> None:
    f = run(extractor, 'It is "unfair", Csaba Borsos said, that the plan should be described that way.')
    assert "Csaba Borsos" in people(f)
    assert "Csaba Borsos" not in {e.name for e in f.entities if e.label == "Organisation"}


def test_regnal_numbers_and_initials_end_names(extractor: Extractor) -> None:
    f = run(extractor, "Pope Clement XIX met the family. Police named the suspect as Tariq M., who denied it.")
    assert {"Clement XIX", "Tariq M."} <= people(f)


def test_party_goes_by_the_name_the_article_gives_it(extractor: Extractor) -> None:
    f = run(extractor, "On Tuesday, SPD leader Jana Wolff joined the criticism of the plan.")
    assert ("Jana Wolff", "leader", "SPD", "current") in roles(f)
    spd = next(e for e in f.entities if e.name == "SPD")
    assert "Social Democratic Party" in spd.aliases


def test_demonym_outranks_a_body_sharing_its_word(extractor: Extractor) -> None:
    f = run(
        extractor,
        "South African President Tambo Mokoena took a bribe, a paper reported. The African Harbour Congress denied it.",
    )
    assert ("Tambo Mokoena", "President", "Government of South Africa", "current") in roles(f)


def test_nationality_is_not_a_post(extractor: Extractor) -> None:
    f = run(extractor, "The film was reviewed by British journalist Duncan Camber, who praised it.")
    assert ("Duncan Camber", "journalist", None, "current") in roles(f)


def test_title_holder_with_a_particle_or_alone_is_a_person(extractor: Extractor) -> None:
    f = run(
        extractor,
        "Former Haitian dictator Jean-Luc Marvel has returned home. Syrian President Bashir al-Asfar is isolated. "
        "By then the fighting between Syrian President Asfar and the rebels had spread.",
    )
    assert ("Jean-Luc Marvel", "dictator", "Government of Haiti", "former") in roles(f)
    assert ("Bashir al-Asfar", "President", "Government of Syria", "current") in roles(f)
    assert "Bashir al-Asfar" in people(f)


@pytest.mark.parametrize(
    ("text", "person", "present"),
    [
        ('"It is serious," said Ifeanyi Okorafe of the Harbour Rights Commission.', "Ifeanyi Okorafe", True),
        ("Tolstov married German-Russian Countess Sofia Andreyevna Berss in 1862.", "Sofia Andreyevna Berss", True),
        (
            "The claims involve Laos's Prime Minister Som Vuth. Kestcorp, a lender, rejected them.",
            "Som Vuth",
            True,
        ),
        (
            "The claims involve Laos's Prime Minister Som Vuth. Kestcorp, a lender, rejected them.",
            "Som Vuth. Kestcorp",
            False,
        ),
        (
            "US Deputy Assistant Secretary of State Daniel Brayza said the talks had gone well.",
            "Daniel Brayza",
            True,
        ),
        ("The club signed the midfielder for 35 million Euros on Monday.", "Euros", False),
        ("The Halvorsen administration was criticised for not sending a delegate.", "Halvorsen", True),
    ],
)
def test_person_names_repaired(extractor: Extractor, text: str, person: str, present: bool) -> None:
    names = {n.rstrip(".") for n in people(run(extractor, text))}
    assert (person in names) is present


def test_bodies_named_alone(extractor: Extractor) -> None:
    f = run(
        extractor,
        "The Treasury said the plan was sound, and the Defence Secretary agreed. The House of Commons voted "
        "on it. The Royal Scots and the King's Own Scottish Borderers will merge.",
    )
    orgs = {e.name for e in f.entities if e.label == "Organisation"}
    assert {"Treasury", "House of Commons"} <= orgs
    assert "Defence" not in orgs
    assert not any(o.startswith("Royal Scots and") for o in orgs)


def test_visit_to_a_country_is_a_trip_not_a_meeting(extractor: Extractor) -> None:
    f = run(extractor, "Foreign Secretary Jack Strand visited Indonesia on Monday. He later visited Mary Jonas.")
    pairs = {frozenset(e.participants) for e in f.events if e.type == "meeting"}
    assert frozenset({"Jack Strand", "Government of Indonesia"}) not in pairs
    assert frozenset({"Jack Strand", "Mary Jonas"}) in pairs


@pytest.mark.parametrize(
    "text",
    [
        "Ann Pike laid flowers outside the offices of French satirical magazine Kestrel Hebdo on Monday.",
        "The firm still owes its power supplier, Enix, a large sum.",
        "Julie Christen won an Oscar for best supporting actress at 31.",
        "Ann Pike praised Franco-German friendship before the anniversary.",
    ],
)
def test_names_a_body_noun_or_article_introduces_are_no_people(extractor: Extractor, text: str) -> None:
    assert not {"Kestrel Hebdo", "Enix", "Oscar", "Franco"} & people(run(extractor, text))


def test_portfolio_split_ends_when_no_body_is_left(extractor: Extractor) -> None:
    # A body's mention whose words before the portfolio clean away to nothing ("The" + "Energy").
    doc = extractor.nlp("The Energy Minister said so.")
    mentions = Mentions(doc, lexicon())
    mentions._put(Mention(0, 2, "Organisation", "The Energy"))
    title = RoleFinder(doc, mentions, lexicon()).title_at(2, next(doc.sents))
    assert title is not None and title.head == 2


def test_holder_keeps_a_surname_tagged_as_a_place_and_ex_qualifies_a_body_name(extractor: Extractor) -> None:
    f = run(
        extractor,
        "The European Coastal Football Union (ECFU) runs the cup.\nECFU president Bruno Salgado said more than "
        "40,000 tickets had been sold. Salgado said the union was considering it.\n\nEx-Harbour City captain "
        "Dean Mallory, now a television pundit, praised the team.",
    )
    assert ("Bruno Salgado", "president", "European Coastal Football Union", "current") in roles(f)
    assert ("Dean Mallory", "captain", "Harbour City", "former") in roles(f)


@pytest.mark.parametrize(
    "text", ["The Acme director of the", "chairman of the", "a co-director of the Kestrel Project and a fellow of the"]
)
def test_text_cut_off_after_of_the_is_extracted(extractor: Extractor, text: str) -> None:
    assert run(extractor, text).roles == ()


def test_a_surname_that_is_also_a_word_stays_an_alias(extractor: Extractor) -> None:
    f = run(
        extractor, "Gordon Brownlee said the plan was sound. Later, Brownlee added it was fine, in a brownlee envelope."
    )
    assert any(e.name == "Gordon Brownlee" and "Brownlee" in e.aliases for e in f.entities)


def test_a_surname_the_tagger_takes_for_a_body_is_the_person_named_in_full(extractor: Extractor) -> None:
    f = run(
        extractor,
        "Rowing coach Tony Brache has quit his post. Brache took the Larkport regatta twice. Brache is keen to rest.",
    )
    people = [e for e in f.entities if e.label == "Person"]
    assert [p.name for p in people] == ["Tony Brache"]
    assert "Brache" in people[0].aliases
    assert not any(e.name == "Brache" for e in f.entities)
