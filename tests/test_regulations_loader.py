"""loaders.regulations: regulation texts split into articles and turned into ELI RDF.

The four real texts are read from ``../shared/regulations/`` (next to the repository) at
run time; they are never copied into the project. If they are missing the tests fail.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from govkg import vocab
from govkg.errors import GovkgError, InputError
from govkg.vocab import ELI, GDS
from loaders.regulations import (  # _best_chain, _Candidate: internals, for a property test
    Article,
    RegulationTextError,
    _best_chain,
    _Candidate,
    guess_key,
    guess_lang,
    parse_regulation_text,
    read_regulation_text,
    regulation_graph,
)

REGULATIONS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "regulations"


@dataclass(frozen=True)
class RealText:
    file: str
    key: str
    lang: str
    numbers: list[int]
    # article -> phrases its text must contain (checked against the real files)
    phrases: dict[int, tuple[str, ...]]
    # article -> how its text ends (checks where each article is cut)
    endings: dict[int, str]
    # headings other than "Article n" / "Artículo n"
    headings: dict[int, str] = field(default_factory=dict)
    # chapter headings that stand between articles (cut off the article before them)
    chapters: tuple[str, ...] = ()


REAL = [
    RealText(
        "guiyang-government-data-sharing-and-opening.en.txt",
        "guiyang",
        "en",
        list(range(1, 14)),
        phrases={
            1: ("comprehensively implement the strategic action of big data",),
            2: ("Government data referred to in these Regulations", "providing government data to citizens"),
            9: ('relying on the "Cloud Guizhou" Guiyang sub-platform',),
            11: ("hierarchical and categorized catalog", "guidelines for the preparation of government information"),
            13: ("shall be updated within 15 days from the date of occurrence of the situation",
                 "timely feedback to the government data providing authorities"),
        },
        endings={
            1: "the formulation of these regulations.",
            2: "legal persons and other organizations.",
            3: "security and control.",
            4: "and security management.",
            5: "financial budget at the same level.",
            6: "to apply government data.",
            7: "government data **** enjoyment.",
            8: "illegal and criminal activities.",
            9: "by the municipal people's government.",
            10: "enjoyment platform and open platform.",
            11: "published in accordance with the regulations.",
            12: "collected by them in accordance with the law.",
            13: "providing authorities to verify.",
        },
        headings={11: "Article 11:"},
        chapters=("Chapter II Data Collection and Convergence",),
    ),
    RealText(
        "zhejiang-public-data.en.txt",
        "zhejiang",
        "en",
        list(range(1, 13)),
        phrases={
            3: ("public * * * service operating units such as water supply, power supply, gas supply",),
            6: ("Network information, public security, national security",),
            10: ("establish a unified data sharing and open channel",),
            12: ("shall not be approved, accepted or arranged for operation and maintenance funds",
                 "(five) does not meet the requirements of password application"),
        },
        endings={
            1: "actual situation of this province.",
            2: "relevant laws and regulations.",
            3: "mentioned in these Provisions.",
            4: "safety and controllability.",
            5: "government target responsibility system.",
            6: "management of public data security.",
            7: "urge their implementation.",
            8: "cross-regional coordinated development.",
            9: "to lower public data platforms.",
            10: "enjoyment and open channels.",
            11: "departments and businesses.",
            12: "password application and security management.",
        },
        headings={10: "Tenth", 12: "Twelfth"},
        chapters=("Chapter II Public Data Platform",),
    ),
    RealText(
        "provincial-government-data-resource-sharing.en.txt",
        "liaoning",
        "en",
        # the excerpt starts in the middle of article 3, which is therefore not an article here
        list(range(4, 16)),
        phrases={
            7: ("water supply, power supply, gas supply, heating, telecommunications",),
            8: ("Guide for the Compilation of Government Data Resources Catalogue", "update time limit"),
            9: ("updating it within 10 working days from the date of revision of laws and regulations",),
            11: ("business environment construction", "catalogue of subject data resources"),
            15: ("shall not be collected repeatedly",),
        },
        endings={
            4: "effective application and safety.",
            5: "in their own departments.",
            6: "true, accurate, complete and available.",
            7: "use and management of data resources.",
            8: "other contents of government data resources.",
            9: "change of administrative functions.",
            10: "at the corresponding level.",
            11: "government data resource management department.",
            12: "relevant provisions of the state and province.",
            13: "government information system of their own departments.",
            14: "sharing service of government data resources.",
            15: "and timely announced to the public.",
        },
        headings={7: "Seventh", 8: "Eighth", 12: "Twelfth", 13: "Thirteenth", 14: "Fourteenth",
                  15: "Fifteenth"},
    ),
    RealText(
        "shanxi-government-data-management.es.txt",
        "shanxi",
        "es",
        list(range(1, 13)),
        phrases={
            1: ("Con el fin de promover la apertura",),
            8: ("límite de tiempo de actualización",),
            9: ("formar seis información básica sobre población, entidades legales",),
            12: ("explicará los motivos, proporcionará las bases pertinentes de conformidad con la ley",),
        },
        endings={
            1: "condiciones reales de esta provincia.",
            2: "reglamentos administrativos pertinentes.",
            3: "garantía de la seguridad.",
            4: "aplicación de los datos gubernamentales.",
            5: "eficacia de la información gubernamental.",
            6: "en la nube del gobierno.",
            7: "gestión empresarial colaborativa.",
            8: "mecanismo de mantenimiento del directorio.",
            9: "recursos de información temáticos.",
            10: "a través de otros métodos.",
            11: "deben digitalizarse.",
            12: "Disfrute de la propiedad.",
        },
    ),
]
REAL_IDS = [r.key for r in REAL]


@pytest.fixture(scope="module")
def regulations_dir() -> Path:
    if not REGULATIONS_DIR.is_dir():
        pytest.fail(f"the regulation texts are missing: {REGULATIONS_DIR} does not exist (it must sit next to "
                    "the repository as ../shared/regulations/)")
    return REGULATIONS_DIR


def real_path(regulations_dir: Path, real: RealText) -> Path:
    path = regulations_dir / real.file
    if not path.is_file():
        pytest.fail(f"regulation text missing: {path}")
    return path


def parse_real(regulations_dir: Path, real: RealText) -> tuple[str, list[Article]]:
    text = read_regulation_text(real_path(regulations_dir, real))
    return text, parse_regulation_text(text, real.key, real.lang)


def default_heading(lang: str, n: int) -> str:
    return f"Artículo {n}" if lang == "es" else f"Article {n}"


def numbers(articles: list[Article]) -> list[int]:
    return [a.number for a in articles]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# --------------------------------------------------------------------------- the real texts


def test_all_real_texts_are_covered(regulations_dir):
    assert sorted(p.name for p in regulations_dir.glob("*.txt")) == sorted(r.file for r in REAL)


@pytest.mark.parametrize("real", REAL, ids=REAL_IDS)
def test_real_text_article_numbers(regulations_dir, real):
    _, articles = parse_real(regulations_dir, real)
    assert numbers(articles) == real.numbers
    assert [a.order for a in articles] == list(range(1, len(real.numbers) + 1))


@pytest.mark.parametrize("real", REAL, ids=REAL_IDS)
def test_real_text_headings_and_texts(regulations_dir, real):
    _, articles = parse_real(regulations_dir, real)
    for a in articles:
        expected = real.headings.get(a.number, default_heading(real.lang, a.number))
        assert a.heading == expected, a
        assert a.text.startswith(a.heading), a.text[:80]
        assert a.text.strip() == a.text and len(a.text) > len(a.heading) + 20
        assert a.text.endswith(real.endings[a.number]), (a.number, a.text[-80:])
        assert "Chapter" not in a.text and "Capítulo" not in a.text
        for phrase in real.phrases.get(a.number, ()):
            assert phrase in a.text, (a.number, phrase)


@pytest.mark.parametrize("real", REAL, ids=REAL_IDS)
def test_real_text_nothing_lost_after_the_first_heading(regulations_dir, real):
    """The articles are the text from the first heading on, less the chapter headings between them."""
    text, articles = parse_real(regulations_dir, real)
    rest = text[text.index(articles[0].text[:60]) :]
    for chapter in real.chapters:
        assert chapter in rest
        rest = rest.replace(chapter, "", 1)
    assert squash("".join(a.text for a in articles)) == squash(rest)


def test_liaoning_fragment_of_article_3_is_not_an_article(regulations_dir):
    real = next(r for r in REAL if r.key == "liaoning")
    text, articles = parse_real(regulations_dir, real)
    fragment = "The term \"sharing of government data resources\" as mentioned in these Measures"
    assert text.startswith(fragment)
    assert articles[0].number == 4 and articles[0].order == 1
    assert all(fragment not in a.text for a in articles)


def _inject_references(text: str, articles: list[Article], lang: str) -> str:
    """Put references to neighbouring articles at the end of every article."""
    out = text
    for a in reversed(articles):
        end = out.index(a.text) + len(a.text)
        n = a.number
        if lang == "es":
            extra = (f" De conformidad con el artículo {n + 1} de estas Medidas y el Artículo {n + 2}, véase "
                     f"el artículo {n} de la Ley. Artículo {n + 1} de la Ley se aplicará.")
        else:
            extra = (f" In accordance with Article {n + 1} of these Regulations and Article {n + 2}, see "
                     f"article {n} of the Law (Article {n + 1}(2)). Article {n + 1} of the Law applies.")
        out = out[:end] + extra + out[end:]
    return out


@pytest.mark.parametrize("real", REAL, ids=REAL_IDS)
def test_real_text_references_do_not_split_articles(regulations_dir, real):
    text, articles = parse_real(regulations_dir, real)
    injected = _inject_references(text, articles, real.lang)
    again = parse_regulation_text(injected, real.key, real.lang)
    assert numbers(again) == real.numbers
    for before, after in zip(articles, again, strict=True):
        assert after.heading == before.heading
        assert after.text.startswith(before.text)


# --------------------------------------------------------------------------- headings

EN_SINGLE = [
    ("Article 9", 9), ("Article 9.", 9), ("Article 11:", 11), ("ARTICLE 12", 12), ("Art. 3", 3),
    ("Art.3", 3), ("Article IV", 4), ("Article Eleven", 11), ("Article Twenty-One", 21),
    ("Article twenty one", 21), ("Seventh", 7), ("Twelfth", 12), ("Twenty-first", 21),
    ("Twenty first", 21), ("Thirty-Third", 33), ("Fiftieth", 50), ("Fifty-ninth", 59),
    ("One hundred and first", 101), ("第十二条", 12), ("第12条", 12),
]
ES_SINGLE = [
    ("Artículo 10", 10), ("Articulo 10", 10), ("ARTÍCULO 10", 10), ("Artículo 10.", 10),
    ("Artículo 3.º", 3), ("Art. 3", 3), ("Artículo décimo", 10), ("Artículo decimo", 10),
    ("Artículo undécimo", 11), ("Artículo vigésimo primero", 21), ("Artículo vigesimoprimero", 21),
    ("Artículo quincuagésimo", 50), ("Artículo once", 11), ("Artículo veintiuno", 21),
    ("Séptimo", 7), ("Duodécimo", 12), ("Décimo segundo", 12), ("Decimotercero", 13),
    ("Quincuagésimo", 50), ("第十二条", 12),
]


@pytest.mark.parametrize(("heading", "number"), EN_SINGLE, ids=[h for h, _ in EN_SINGLE])
def test_english_heading_forms_in_mid_paragraph(heading, number):
    text = (f"Regulations on something\nArticle {number - 1} The previous article ends here. "
            f"{heading} The article text goes on.\n\nA second paragraph of it.")
    articles = parse_regulation_text(text, "guiyang", "en")
    assert numbers(articles) == [number - 1, number]
    assert articles[1].heading == heading
    assert articles[1].text == f"{heading} The article text goes on.\n\nA second paragraph of it."
    assert articles[0].text == f"Article {number - 1} The previous article ends here."


@pytest.mark.parametrize(("heading", "number"), ES_SINGLE, ids=[h for h, _ in ES_SINGLE])
def test_spanish_heading_forms_in_mid_paragraph(heading, number):
    text = (f"Medidas sobre algo\nArtículo {number - 1} El artículo anterior termina aquí. "
            f"{heading} El texto del artículo sigue.")
    articles = parse_regulation_text(text, "shanxi", "es")
    assert numbers(articles) == [number - 1, number]
    assert articles[1].heading == heading
    assert articles[1].text == f"{heading} El texto del artículo sigue."


EN_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
EN_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
            "seventeenth", "eighteenth", "nineteenth"]
EN_TENS = {2: ("twenty", "twentieth"), 3: ("thirty", "thirtieth"), 4: ("forty", "fortieth"),
           5: ("fifty", "fiftieth")}


def english_ordinal(n: int) -> str:
    if n < 10:
        return EN_UNITS[n - 1].capitalize()
    if n < 20:
        return EN_TEENS[n - 10].capitalize()
    t, u = divmod(n, 10)
    return EN_TENS[t][1].capitalize() if u == 0 else f"{EN_TENS[t][0].capitalize()}-{EN_UNITS[u - 1]}"


ES_UNITS = ["primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo", "noveno"]
ES_TENS = {1: "décimo", 2: "vigésimo", 3: "trigésimo", 4: "cuadragésimo", 5: "quincuagésimo"}


def spanish_ordinal(n: int) -> str:
    if n < 10:
        word = ES_UNITS[n - 1]
    elif n == 11:
        word = "undécimo"
    elif n == 12:
        word = "duodécimo"
    else:
        t, u = divmod(n, 10)
        word = ES_TENS[t] if u == 0 else f"{ES_TENS[t]} {ES_UNITS[u - 1]}"
    return word[0].upper() + word[1:]


def test_english_word_ordinals_up_to_fifty_nine():
    body = "government departments shall do their work. Other organs shall help."
    text = "Regulations\n" + " ".join(f"{english_ordinal(n)} {body}" for n in range(1, 60))
    articles = parse_regulation_text(text, "zhejiang", "en")
    assert numbers(articles) == list(range(1, 60))
    assert articles[49].heading == "Fiftieth" and articles[20].heading == "Twenty-first"


def test_spanish_word_ordinals_up_to_fifty_nine():
    body = "los departamentos harán su trabajo. Otros organismos ayudarán."
    text = "Medidas\n" + " ".join(f"Artículo {spanish_ordinal(n).lower()} {body}" for n in range(1, 30))
    text += " " + " ".join(f"{spanish_ordinal(n)} {body}" for n in range(30, 60))
    articles = parse_regulation_text(text, "shanxi", "es")
    assert numbers(articles) == list(range(1, 60))
    assert articles[49].heading == "Quincuagésimo"
    assert articles[20].heading == "Artículo vigésimo primero"


def test_ordinal_words_in_sentences_are_not_headings():
    text = ("Article 1 One. Article 2 Two. Third parties may apply. Third-party platforms too. Article 3 Three. "
            "Third, the organs act. Article 4 Four.")
    articles = parse_regulation_text(text, "guiyang", "en")
    assert [a.heading for a in articles] == ["Article 1", "Article 2", "Article 3", "Article 4"]


def test_keyword_heading_beats_ordinal_word_heading_of_same_number():
    text = "Article 1 One. Article 2 Two. Third the organs act.\nArticle 3 Three. Article 4 Four."
    assert [a.heading for a in parse_regulation_text(text, "guiyang", "en")] == [
        "Article 1", "Article 2", "Article 3", "Article 4"]


def test_enumerations_are_not_ordinal_headings():
    text = ("Article 1 The organs shall act as follows. First, they collect. Second, they share. "
            "Third and last, they open.\nArticle 2 The end.")
    assert numbers(parse_regulation_text(text, "guiyang", "en")) == [1, 2]


def test_chinese_headings_and_chapters():
    text = ("某市政府数据共享条例\n第一章　总则\n第一条　为了规范政府数据共享，制定本条例。\n"
            "第二条　本条例适用于本市。依照本条例第五条的规定执行，第三条第二款另有规定的除外。\n"
            "第二章　数据目录\n第三条　行政机关应当根据第四条规定编制目录。\n第四条　目录应当及时更新。")
    articles = parse_regulation_text(text, "guiyang", "zh")
    assert numbers(articles) == [1, 2, 3, 4]
    assert [a.heading for a in articles] == ["第一条", "第二条", "第三条", "第四条"]
    assert articles[1].text.endswith("另有规定的除外。")  # chapter heading cut off
    assert "第五条" in articles[1].text and "第四条规定" in articles[2].text


def test_chinese_headings_in_a_translated_text():
    text = "Title\n第一条 The first article. 第二条 The second article, see Article 1 of the Law."
    assert numbers(parse_regulation_text(text, "guiyang", "en")) == [1, 2]


# --------------------------------------------------------------------------- references


REFERENCE_CASES = {
    "en-prepositions": (
        "en",
        "Article 1 The scope. Article 2 In accordance with Article 5 of these Regulations, the organs act. "
        "Article 3 The rules under article 3 of the Law apply. Article 4 See Articles 2 and 3.",
        [1, 2, 3, 4],
    ),
    "en-reference-starting-a-sentence": (
        "en",
        "Article 1 One. Article 2 Two. Article 3 of the Law applies to this. Article 3 Three.",
        [1, 2, 3],
    ),
    "en-next-number-without-preposition": (
        "en",
        "Article 4 The rules Article 5 sets out apply. Article 5 The organs act. Article 6 The end.",
        [4, 5, 6],
    ),
    "en-next-article-referred-to-as-a-sentence-start": (
        "en",
        "Article 1 One. Article 2 shall apply mutatis mutandis. Article 2 Two. Article 3 Three.",
        [1, 2, 3],
    ),
    "en-references-only-to-the-next-article": (
        "en",
        "Article 1 The data listed in Article 2 shall be shared. Article 2 The data, as in Article 3, are "
        "open. Article 3 The end.",
        [1, 2, 3],
    ),
    "es-prepositions": (
        "es",
        "Artículo 1 El ámbito. Artículo 2 De conformidad con el artículo 5 de la Ley, x. Artículo 3 Según el "
        "Artículo 4 de estas Medidas, y. Artículo 4 Fin.",
        [1, 2, 3, 4],
    ),
    "zh": (
        "zh",
        "第一条 为了规范。\n第二条 依照本条例第五条的规定执行。\n第三条 根据第四条规定。\n第四条 内容。",
        [1, 2, 3, 4],
    ),
}


@pytest.mark.parametrize(("lang", "text", "expected"), REFERENCE_CASES.values(), ids=REFERENCE_CASES.keys())
def test_references_are_not_headings(lang, text, expected):
    articles = parse_regulation_text(text, "guiyang", lang)
    assert numbers(articles) == expected
    assert "".join(a.text for a in articles).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_reference_kept_in_its_article():
    text = "Article 1 One. Article 2 In accordance with Article 5 of these Regulations, two. Article 3 Three."
    articles = parse_regulation_text(text, "guiyang", "en")
    assert articles[1].text == "Article 2 In accordance with Article 5 of these Regulations, two."


@st.composite
def synthetic_regulation(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    styles = st.sampled_from(["Article {n}", "Article {n}.", "Article {n}:", "ARTICLE {n}", "Art. {n}", "{ord}"])
    references = st.sampled_from([
        "in accordance with Article {k} of these Regulations",
        "under article {k} of the Law",
        "as referred to in Article {k}",
        "see Articles {k} and {k}",
        "pursuant to Art. {k}",
    ])
    seps = st.sampled_from([" ", "\n", "\n\n", "\n  "])
    parts, expected = ["Regulations of a city on data\nChapter I General Provisions\n"], []
    all_styles = [draw(styles) for _ in range(n + 1)]
    for i in range(1, n + 1):
        style = all_styles[i - 1]
        heading = style.format(n=i, ord=english_ordinal(i))
        sentences = []
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            k = draw(st.integers(min_value=1, max_value=n + 3))
            ref = draw(references).format(k=k)
            choices = [
                f"The organs shall act {ref}.",
                f"Data, {ref}, shall be shared.",
                f"Article {k} of the Law applies.",
                "First, the organs collect data.",
                "Government data shall be open.",
            ]
            if i < n and all_styles[i] != "{ord}":
                # a reference to the next article that reads like its heading: the later one wins (but
                # it would beat a bare "Eleventh" heading)
                choices.append(f"Article {i + 1} shall apply mutatis mutandis.")
            sentences.append(draw(st.sampled_from(choices)))
        body = f"{heading} The organs of article {i} shall act. " + " ".join(sentences)
        expected.append((i, heading, body))
        parts.append(body + draw(seps))
    return "".join(parts), expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(synthetic_regulation())
def test_synthetic_regulations(case):
    text, expected = case
    articles = parse_regulation_text(text, "guiyang", "en")
    assert [(a.number, a.heading, a.text) for a in articles] == expected


def brute_force_chain(cands: list[_Candidate]) -> list[_Candidate]:
    """The O(n^2) form of the dynamic programme in ``_best_chain``, same scores and tie-breaks."""
    gap, start = 2.0, 1.0
    best, prev = [0.0] * len(cands), [None] * len(cands)
    for i, ci in enumerate(cands):
        best[i] = ci.weight - (start if ci.number > 1 else 0.0)
        for j, cj in enumerate(cands[:i]):
            if cj.number < ci.number and cj.end <= ci.start:
                score = best[j] + ci.weight - gap * (ci.number - cj.number - 1)
                if score >= best[i]:
                    best[i], prev[i] = score, j
    if not cands:
        return []
    top = max(range(len(cands)), key=lambda i: (best[i], i))
    if best[top] <= 0:
        return []
    chain, k = [], top
    while k is not None:
        chain.append(cands[k])
        k = prev[k]
    return chain[::-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 25), st.sampled_from([3.0, 2.0, 1.0, -0.5, -6.0]),
                          st.integers(1, 12), st.integers(1, 15)), max_size=40))
def test_best_chain_matches_brute_force(items):
    cands, pos = [], 0
    for number, weight, step, length in items:
        pos += step
        cands.append(_Candidate(pos, pos + length, number, weight))  # headings may overlap
    assert _best_chain(cands) == brute_force_chain(cands)


def test_long_text_is_parsed_quickly():
    body = ("The organs shall act in accordance with Article {m} of these Regulations and Article {p}. "
            "Article {m} of the Law applies.")
    text = "Regulations\n" + " ".join(f"Article {i} " + body.format(m=i + 1, p=i - 1) for i in range(1, 3001))
    started = time.perf_counter()
    articles = parse_regulation_text(text, "guiyang", "en")
    assert numbers(articles) == list(range(1, 3001))
    assert time.perf_counter() - started < 20


def test_article_zero_is_not_a_heading():
    text = "Article 0 nothing. Article 1 One, see Article 0. Article 2 Two."
    assert numbers(parse_regulation_text(text, "guiyang", "en")) == [1, 2]


# --------------------------------------------------------------------------- structure


def test_text_starting_mid_article():
    text = ("government departments because of their duties, as referred to in Article 2 of these Measures. "
            "Article 3 of the Law applies.\nArticle 4 The sharing shall follow principles. Article 5 The office.")
    articles = parse_regulation_text(text, "liaoning", "en")
    assert numbers(articles) == [4, 5]
    assert articles[0].order == 1
    assert articles[0].text == "Article 4 The sharing shall follow principles."


def test_text_starting_with_a_heading():
    articles = parse_regulation_text("Article 1 One.\nArticle 2 Two.", "guiyang", "en")
    assert articles == [Article(1, 1, "Article 1", "Article 1 One."), Article(2, 2, "Article 2", "Article 2 Two.")]


def test_preamble_and_chapter_headings_are_not_article_text():
    text = ("Current location - Big data management - Regulations\nRegulations\nChapter I General Provisions "
            "Article 1 One. Article 2 Two. Chapter II Data Collection and Convergence Article 3 Three.\n"
            "Chapter III\nSharing and Opening\nArticle 4 Four.\nChapter IV Legal Liability")
    articles = parse_regulation_text(text, "guiyang", "en")
    assert [a.text for a in articles] == ["Article 1 One.", "Article 2 Two.", "Article 3 Three.",
                                          "Article 4 Four."]


def test_spanish_chapter_headings_are_not_article_text():
    text = "Capítulo I Disposiciones generales Artículo 1 Uno.\n\nCapítulo II Catálogos\n\nArtículo 2 Dos."
    articles = parse_regulation_text(text, "shanxi", "es")
    assert [a.text for a in articles] == ["Artículo 1 Uno.", "Artículo 2 Dos."]


def test_missing_heading_is_tolerated_and_logged(caplog):
    text = "Article 1 One.\nArticle 2 Two.\nArticle 4 Four.\nArticle 5 Five."
    with caplog.at_level(logging.WARNING, logger="loaders.regulations"):
        articles = parse_regulation_text(text, "guiyang", "en", source="x.en.txt")
    assert numbers(articles) == [1, 2, 4, 5]
    assert "x.en.txt:3: article 4 follows article 2" in caplog.text


def test_crlf_bom_and_decomposed_accents():
    text = "\ufeffMedidas\r\nArticulo 1 Uno.\r\nArtı́culo 2 Dos.\r\n".replace("ı́", "i\u0301")
    articles = parse_regulation_text(text, "shanxi", "es")
    assert numbers(articles) == [1, 2]
    assert articles[1].text == "Artículo 2 Dos."  # NFC


# --------------------------------------------------------------------------- errors


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("content", ["", "  \n\n\t "], ids=["empty", "blank"])
def test_empty_file(tmp_path, content):
    path = write(tmp_path, "guiyang-empty.en.txt", content)
    with pytest.raises(RegulationTextError, match="empty file") as e:
        regulation_graph(path)
    assert str(e.value).startswith(f"{path}: ")


@pytest.mark.parametrize("content", [
    "Just some text without any heading.",
    "In accordance with Article 5 of these Regulations and article 3 of the Law, data shall be shared.",
    "First, the organs collect data. Second, they share it.",
], ids=["no-heading", "references-only", "enumeration-only"])
def test_no_article_heading(tmp_path, content):
    path = write(tmp_path, "zhejiang-x.en.txt", content)
    with pytest.raises(RegulationTextError, match="no article heading") as e:
        regulation_graph(path)
    assert str(e.value).startswith(f"{path}: ")


def test_not_utf8(tmp_path):
    path = write(tmp_path, "shanxi-x.es.txt", b"Art\xc3\xadculo 1 Uno.\nArt\xedculo 2")
    with pytest.raises(RegulationTextError) as e:
        regulation_graph(path)
    assert str(e.value).startswith(f"{path}: not valid UTF-8 at byte 20 (line 2, column 4)")
    assert isinstance(e.value, ValueError)


def test_unknown_file_name(tmp_path):
    path = write(tmp_path, "beijing-data.en.txt", "Article 1 One.")
    with pytest.raises(RegulationTextError, match="cannot tell the regulation") as e:
        regulation_graph(path)
    assert isinstance(e.value, ValueError) and isinstance(e.value, InputError)
    assert isinstance(e.value, GovkgError) and e.value.source == str(path)
    g = regulation_graph(path, key="guiyang")
    assert (vocab.article("guiyang", 1), RDF.type, ELI.LegalResourceSubdivision) in g


def test_unknown_key(tmp_path):
    path = write(tmp_path, "guiyang-x.en.txt", "Article 1 One.")
    with pytest.raises(RegulationTextError, match="unknown regulation key 'beijing'"):
        regulation_graph(path, key="beijing")
    with pytest.raises(RegulationTextError, match="unknown regulation key"):
        parse_regulation_text("Article 1 One.", "beijing", "en")


def test_language_from_name_or_argument(tmp_path):
    path = write(tmp_path, "guiyang-x.txt", "Article 1 One.")
    with pytest.raises(RegulationTextError, match="cannot tell the language"):
        regulation_graph(path)
    g = regulation_graph(path, lang="en")
    assert set(g.objects(None, GDS.text)) == {Literal("Article 1 One.", lang="en")}
    with pytest.raises(RegulationTextError, match="not a language tag"):
        regulation_graph(path, lang="en us")


def test_missing_file(tmp_path):
    with pytest.raises(RegulationTextError, match="cannot read the file"):
        regulation_graph(tmp_path / "guiyang-missing.en.txt")


@pytest.mark.parametrize(("name", "key", "lang"), [
    ("guiyang-government-data-sharing-and-opening.en.txt", "guiyang", "en"),
    ("zhejiang-public-data.en.txt", "zhejiang", "en"),
    ("provincial-government-data-resource-sharing.en.txt", "liaoning", "en"),
    ("liaoning-measures.en.txt", "liaoning", "en"),
    ("shanxi-government-data-management.es.txt", "shanxi", "es"),
    ("Shanxi-X.ES.txt", "shanxi", "es"),
])
def test_guess_key_and_lang(name, key, lang):
    assert guess_key(Path(name)) == key
    assert guess_lang(Path(name)) == lang


# --------------------------------------------------------------------------- the graph


@pytest.mark.parametrize("real", REAL, ids=REAL_IDS)
def test_real_text_graph(regulations_dir, real):
    g = regulation_graph(real_path(regulations_dir, real))
    reg = vocab.regulation(real.key)
    assert set(g.subjects(RDF.type, ELI.LegalResource)) == {reg}
    subdivisions = set(g.subjects(RDF.type, ELI.LegalResourceSubdivision))
    assert subdivisions == {vocab.article(real.key, n) for n in real.numbers}
    assert set(g.objects(reg, ELI.has_part)) == subdivisions
    orders = []
    for n in real.numbers:
        art = vocab.article(real.key, n)
        assert list(g.objects(art, ELI.is_part_of)) == [reg]
        assert list(g.objects(art, ELI.number)) == [Literal(str(n))]
        assert list(g.objects(art, ELI.type_subdivision)) == [
            URIRef("http://publications.europa.eu/resource/authority/subdivision/ARTICLE")
        ]
        (order,) = g.objects(art, GDS.order)
        assert order.datatype == XSD.integer
        orders.append(order.toPython())
        (text,) = g.objects(art, GDS.text)
        assert text.language == real.lang and str(text).startswith(real.headings.get(n, default_heading(real.lang, n)))
        assert str(text).endswith(real.endings[n])
    assert orders == list(real.numbers)  # position in the whole regulation, not in the excerpt
    assert len(g) == 1 + 7 * len(real.numbers)


def test_graph_roundtrips_through_ntriples(regulations_dir):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    g = regulation_graph(real_path(regulations_dir, REAL[3]))
    again = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert isomorphic(g, again)
