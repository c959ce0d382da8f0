"""Regulation texts (machine translations, ``../shared/regulations/*.txt``) as ELI articles in RDF.

:func:`parse_regulation_text` splits a text into :class:`Article` s; :func:`regulation_graph`
reads a file and returns an rdflib graph with one ``eli:LegalResource``
(``vocab.regulation(key)``) and one ``eli:LegalResourceSubdivision`` per article
(``vocab.article(key, n)``) carrying ``eli:number`` ("12"), ``gds:order`` (xsd:integer: the
article's position in the whole regulation, i.e. its number, as in ontology/legislation.ttl;
an excerpt that starts at article 4 still gives article 4 order 4), ``eli:is_part_of`` / ``eli:has_part``,
``eli:type_subdivision`` ARTICLE and ``gds:text`` (the article's text, tagged with the
text's language).

How headings are found
----------------------
The translations are irregular: "Article 9", "Article 11:", "Seventh", "Twelfth",
"Article Eleven", "Artículo 10", "Artículo décimo", "Art. 3", "第十二条", often in the
middle of a paragraph ("... the end of one article. Article 10 The next ...").

1. *Candidates.* Every keyword heading ("Article"/"Art."/"Artículo" + a number in digits,
   Roman numerals or words; "第…条") anywhere in the text, and every stand-alone
   capitalised ordinal word ("Seventh", "Twenty-first", "Séptimo", "Vigésimo primero") that
   starts a line or a sentence, or follows a chapter heading.
2. *Weights from context.* A candidate at the start of a line or sentence, or right after a
   chapter heading, is likely a heading; one preceded by a preposition or a comma ("in
   accordance with Article 5", "de conformidad con el artículo 3") or followed by "of",
   "and", "paragraph", "del", ... ("Article 5 of these Regulations", "artículo 3 de la Ley")
   is likely a reference; lower-case "article" in mid-sentence is a reference.
3. *Sequence.* Real headings come in sequence, each number the previous one plus 1. Among
   all chains of candidates with increasing numbers, in text order, the one with the
   highest score wins: the sum of the weights, less a penalty for each missing number
   (and a small one for not starting at article 1). A reference-like candidate has a
   negative weight, so it is only ever taken where it fills a gap no real heading fills,
   and of two candidates with the same number the better placed one is taken; on a tie,
   the later one (the earlier is most likely a reference to the next article: "...
   Article 5 shall apply mutatis mutandis. Article 5 The ..."). A keyword heading
   ("Article 3") beats a bare ordinal ("Third parties may ...") of the same number.
   A gap in the sequence (a heading lost in translation) is tolerated and logged as a
   warning; the lost article's text then stays in the one before it. Inherent limit: a
   reference that reads exactly like a heading ("Article 14 shall apply." at the start of
   a sentence) after the last real heading becomes an article.

Decisions
---------
* The text before the first heading (site breadcrumbs, titles, the first chapter heading,
  or -- when an excerpt starts in the middle of an article, as the Liaoning one does --
  the tail of an article whose heading is not in the text) is *not* an article and is
  ignored: it is neither returned nor put in the graph (no ``gds:preamble``).
* Chapter and section headings ("Chapter II Data Collection and Convergence",
  "Capítulo III ...", "第二章 ...") are structure, not article text: a chapter heading that
  stands between two articles (or at the end of the text) is cut off the end of the
  preceding article. Chapters are not modelled in the graph.
* An article's text runs from the start of its heading (included) to the next heading or
  chapter heading, with surrounding white space stripped; the text is otherwise kept as
  it is (NFC-normalised, line ends as ``\\n``), censored words (``***``) included.
* The language comes from the file name (``*.en.txt``, ``*.es.txt``) unless given. It
  picks the word numerals that are recognised (English for ``en``, Spanish for ``es``,
  both otherwise); digit, Roman and Chinese headings are recognised in every language.
"""

from __future__ import annotations

import heapq
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from govkg import vocab
from govkg.errors import InputError
from govkg.vocab import ELI, GDS

__all__ = [
    "ARTICLE_SUBDIVISION",
    "Article",
    "RegulationTextError",
    "guess_key",
    "guess_lang",
    "parse_regulation_text",
    "read_regulation_text",
    "regulation_graph",
]

log = logging.getLogger(__name__)

ARTICLE_SUBDIVISION = URIRef("http://publications.europa.eu/resource/authority/subdivision/ARTICLE")
MAX_TEXT_BYTES = 10 * 1024 * 1024


class RegulationTextError(InputError, ValueError):
    """A regulation text that cannot be read or split into articles.

    A :class:`ValueError` and a :class:`govkg.errors.InputError` (so ``str(e)`` is
    ``"<file>[:<line>]: <message>"``).
    """


@dataclass(frozen=True)
class Article:
    number: int  # the article's number in the regulation (Liaoning's excerpt starts at 4)
    order: int  # 1-based position in the text
    heading: str  # the heading as written, e.g. "Article 11:", "Seventh", "Artículo décimo"
    text: str  # from the start of the heading to the next heading, chapter heading or the end


# --------------------------------------------------------------------------- numerals


def _w(words: str) -> list[str]:
    return words.split()


def _fold(word: str) -> str:
    """Lower case without accents: "Décimo" -> "decimo"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _english_numerals() -> dict[str, tuple[int, bool]]:
    """"twenty first" -> (21, True), "eleven" -> (11, False), ... for 1..999."""
    units = _w("one two three four five six seven eight nine")
    teens = _w("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
    tens = _w("twenty thirty forty fifty sixty seventy eighty ninety")
    o_units = _w("first second third fourth fifth sixth seventh eighth ninth")
    o_teens = _w(
        "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
    )
    o_tens = _w("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth")

    def below_100(n: int, ordinal: bool) -> list[str]:
        if n < 10:
            return [(o_units if ordinal else units)[n - 1]]
        if n < 20:
            return [(o_teens if ordinal else teens)[n - 10]]
        t, u = divmod(n, 10)
        if u == 0:
            return [(o_tens if ordinal else tens)[t - 2]]
        return [tens[t - 2], (o_units if ordinal else units)[u - 1]]

    table: dict[str, tuple[int, bool]] = {}
    for n in range(1, 1000):
        for ordinal in (False, True):
            h, r = divmod(n, 100)
            forms: list[list[str]] = []
            if h == 0:
                forms.append(below_100(r, ordinal))
            elif r == 0:
                forms.append([units[h - 1], "hundredth" if ordinal else "hundred"])
                if h == 1 and ordinal:
                    forms.append(["hundredth"])
            else:
                forms.append([units[h - 1], "hundred", *below_100(r, ordinal)])
                forms.append([units[h - 1], "hundred", "and", *below_100(r, ordinal)])
            for form in forms:
                table[" ".join(form)] = (n, ordinal)
    table["nineth"] = (9, True)  # a frequent misspelling
    return table


def _spanish_numerals() -> dict[str, tuple[int, bool]]:
    """Accent-folded Spanish numerals: "vigesimo primero" -> (21, True), "once" -> (11, False)."""
    units = _w("uno dos tres cuatro cinco seis siete ocho nueve")
    ten_to_29 = _w(
        "diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve veinte veintiuno "
        "veintidos veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve"
    )
    tens = _w("treinta cuarenta cincuenta sesenta setenta ochenta noventa")  # 30..90
    hundreds = _w(
        "ciento doscientos trescientos cuatrocientos quinientos seiscientos setecientos ochocientos "
        "novecientos"
    )
    o_units = _w("primero segundo tercero cuarto quinto sexto septimo octavo noveno")
    o_alias = {"primer": 1, "tercer": 3, "setimo": 7, "nono": 9}
    o_tens = _w(
        "decimo vigesimo trigesimo cuadragesimo quincuagesimo sexagesimo septuagesimo octogesimo nonagesimo"
    )
    o_hundreds = _w(
        "centesimo ducentesimo tricentesimo cuadringentesimo quingentesimo sexcentesimo septingentesimo "
        "octingentesimo noningentesimo"
    )

    def card_below_100(n: int) -> list[list[str]]:
        if n < 10:
            out = [[units[n - 1]]]
            if n == 1:
                out.append(["un"])
            return out
        if n < 30:
            return [[ten_to_29[n - 10]]]
        t, u = divmod(n, 10)
        if u == 0:
            return [[tens[t - 3]]]
        return [[tens[t - 3], "y", units[u - 1]]]

    def ord_below_100(n: int) -> list[list[str]]:
        unit_forms = {i + 1: [w] for i, w in enumerate(o_units)}
        for w, i in o_alias.items():
            unit_forms.setdefault(i, []).append(w)
        if n < 10:
            return [[w] for w in unit_forms[n]]
        t, u = divmod(n, 10)
        if u == 0:
            return [[o_tens[t - 1]]]
        out = []
        for w in unit_forms[u]:
            out.append([o_tens[t - 1], w])  # "vigesimo primero"
            out.append([o_tens[t - 1] + w])  # "vigesimoprimero"
        if n == 11:
            out.append(["undecimo"])
        if n == 12:
            out.append(["duodecimo"])
        return out

    table: dict[str, tuple[int, bool]] = {}
    for n in range(1, 1000):
        h, r = divmod(n, 100)
        card: list[list[str]] = []
        ordn: list[list[str]] = []
        if h == 0:
            card, ordn = card_below_100(r), ord_below_100(r)
        elif r == 0:
            card = [["cien"] if h == 1 else [hundreds[h - 1]]]
            ordn = [[o_hundreds[h - 1]]]
        else:
            card = [[hundreds[h - 1], *f] for f in card_below_100(r)]
            ordn = [[o_hundreds[h - 1], *f] for f in ord_below_100(r)]
        for form in card:
            table.setdefault(" ".join(form), (n, False))
        for form in ordn:
            table.setdefault(" ".join(form), (n, True))
    return table


_EN_NUMERALS = _english_numerals()
_ES_NUMERALS = _spanish_numerals()
_MAX_WORDS = 6  # "one hundred and twenty first"

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def _roman(s: str) -> int | None:
    if not s or not _ROMAN_RE.fullmatch(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


_CN_DIGITS = {"〇": 0, "零": 0, "两": 2} | {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _chinese_number(s: str) -> int | None:
    """"十二" -> 12, "一百零五" -> 105, "二十" -> 20, "12" -> 12."""
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None


_WORD_RE = re.compile(r"[^\W\d_]+")
_WORD_SEP_RE = re.compile(r"[ \t\u00a0]*[-‐–][ \t\u00a0]*|[ \t\u00a0]+")


@dataclass(frozen=True)
class _Numeral:
    value: int
    end: int
    ordinal: bool


def _word_numeral(text: str, pos: int, tables: tuple[dict[str, tuple[int, bool]], ...]) -> _Numeral | None:
    """The longest number written in words starting at ``pos`` ("Twenty-first", "décimo")."""
    words: list[tuple[str, int]] = []  # (folded word, end)
    i = pos
    while len(words) < _MAX_WORDS:
        m = _WORD_RE.match(text, i)
        if not m:
            break
        words.append((_fold(m.group()), m.end()))
        sep = _WORD_SEP_RE.match(text, m.end())
        if not sep or not sep.group():
            break
        i = sep.end()
    if not words:
        return None
    for k in range(len(words), 0, -1):
        key = " ".join(w for w, _ in words[:k])
        for table in tables:
            hit = table.get(key)
            if hit:
                end = words[k - 1][1]
                if end < len(text) and (text[end].isalnum()):
                    continue
                return _Numeral(hit[0], end, hit[1])
    return None


_DIGITS_RE = re.compile(r"(\d{1,4})(\s?[ºª°]|\.[ºª°])?")
_ROMAN_TOKEN_RE = re.compile(r"[IVXLCDM]{1,8}\b")


def _numeral_after_keyword(
    text: str, pos: int, tables: tuple[dict[str, tuple[int, bool]], ...]
) -> _Numeral | None:
    """The article number right after "Article"/"Artículo"/"Art." (digits, Roman or words)."""
    m = _DIGITS_RE.match(text, pos)
    if m:
        end = m.end()
        if end < len(text) and text[end].isalnum():
            return None  # "Article 5a", "Article 12th"
        if end + 1 < len(text) and text[end] in ".,:" and text[end + 1].isdigit():
            return None  # "Article 5.3"
        value = int(m.group(1))
        return _Numeral(value, end, False) if value > 0 else None
    if pos < len(text) and text[pos].isupper():
        m = _ROMAN_TOKEN_RE.match(text, pos)
        if m and (value := _roman(m.group())):
            return _Numeral(value, m.end(), False)
    return _word_numeral(text, pos, tables)


# --------------------------------------------------------------------------- context

_SPACE = " \t\u00a0\u3000"
_TERMINATORS = ".!?;:。！？；：…"
_CLOSERS = "\"'”’)）」』]】"
_TITLE_STOPS_RE = re.compile(r"[.!?;。！？；]")

# words before a number that make it a reference: "in accordance with Article 5",
# "el artículo 3", "see Art. 4"
_REF_BEFORE = frozenset(
    _w(
        """in of with under to by per from and or nor see pursuant than the this that these those said
        within as at on into for via cf also its both between including according
        de del el la los las en con segun al a y o e u por para conforme mediante este esta dicho
        presente sobre hasta entre ver vease"""
    )
)
_REF_BEFORE_PUNCT = _REF_BEFORE | frozenset(",(/[-–、")
_REF_AFTER_EN = re.compile(
    r"(?:of|and|or|to|through|thru|paragraph|para|item|clause|sub-?paragraph|above|below|hereof|herein"
    r"|thereof|hereunder)\b"
)
_REF_AFTER_ES = re.compile(
    r"(?:de|del|y|o|u|e|al|a|hasta|p[aá]rrafo|apartado|inciso|numeral|fracci[oó]n|bis|anterior"
    r"|siguiente|precedente)\b"
)
_REF_AFTER_PUNCT = re.compile(r"[,\-–—~/)\]]|\((?:\d|[a-z]\)|[ivx]+\))")
_ZH_REF_BEFORE = re.compile(  # "依照本条例第五条", "和第六条"
    r"(?:本条例|本办法|本规定|本细则|本法|法|例|办法|规定|依照|依据|根据|按照|见|和|及|或|与|、|至)\s*$"
)
_ZH_REF_AFTER = re.compile(  # "第五条第二款", "第五条规定", "第五条、第六条"
    r"\s*(?:第[〇零一二两三四五六七八九十百\d]+[款项]|规定|的规定|、|和|及|或|至|所|之)"
)


def _line_no(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _is_boundary(text: str, pos: int) -> bool:
    """Does ``pos`` start a line or a sentence?"""
    i = pos
    while i > 0 and text[i - 1] in _SPACE:
        i -= 1
    if i == 0 or text[i - 1] == "\n":
        return True
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _TERMINATORS


def _word_before(text: str, pos: int) -> str:
    i = pos
    while i > 0 and text[i - 1] in _SPACE:
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalpha()):
        j -= 1
    return _fold(text[j:i]) if j < i else text[i - 1 : i]


# Weights of candidate headings.  A chain's score is the sum of its candidates' weights,
# less _GAP_PENALTY per missing number and _START_PENALTY if it does not start at 1.
_STRONG = 3.0  # "Article 9" starting a line or a sentence, or after a chapter heading
_ORDINAL = 2.0  # "Seventh" starting a line or a sentence, or after a chapter heading (an
#                 "Article 3" beats a "Third parties may ..." starting a sentence)
_WEAK = 1.0  # "Article 9" in mid-sentence without a preposition before it or "of" after it
_REF_AT_BOUNDARY = -0.5  # "Article 5 of the Law applies." (only taken to fill a gap)
_REFERENCE = -6.0  # "in accordance with Article 5", "article 3" in mid-sentence (never taken)
_GAP_PENALTY = 2.0
_START_PENALTY = 1.0


# --------------------------------------------------------------------------- chapters

_CHAPTER_KW_RE = re.compile(
    r"(?<!\w)(?:Chapter|CHAPTER|Section|SECTION|Part|PART|Cap[ií]tulo|CAP[IÍ]TULO|Secci[oó]n|SECCI[OÓ]N"
    r"|T[ií]tulo|T[IÍ]TULO|Parte|PARTE)[ \t\u00a0]+"
)
_ZH_CHAPTER_RE = re.compile(r"第[ \t\u3000]*[〇零一二两三四五六七八九十百\d]+[ \t\u3000]*[章节编]")


@dataclass(frozen=True)
class _Chapter:
    start: int
    end: int  # end of "Chapter II" (the title follows)


def _chapters(text: str, tables: tuple[dict[str, tuple[int, bool]], ...]) -> list[_Chapter]:
    out = []
    for m in _CHAPTER_KW_RE.finditer(text):
        num = _numeral_after_keyword(text, m.end(), tables)
        if num and _is_boundary(text, m.start()):
            end = num.end + (1 if text[num.end : num.end + 1] in (".", ":") else 0)
            out.append(_Chapter(m.start(), end))
    for m in _ZH_CHAPTER_RE.finditer(text):
        if _is_boundary(text, m.start()):
            out.append(_Chapter(m.start(), m.end()))
    return sorted(out, key=lambda c: c.start)


def _chapter_before(text: str, chapters: list[_Chapter], pos: int, floor: int = 0) -> _Chapter | None:
    """The first of the chapter headings that run, title and all, up to ``pos``.

    "Chapter II Data Collection and Convergence Article 9": the heading and its title
    contain no sentence end and are short.
    """
    found = None
    for c in reversed(chapters):
        if c.end > pos:
            continue
        if c.start < floor:
            break
        between = text[c.end : pos]
        if len(between) > 200 or _TITLE_STOPS_RE.search(between) or "\n\n" in between.strip():
            break
        found = c
    return found


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int  # end of the heading
    number: int
    weight: float


_EN_KW_RE = re.compile(r"(?<!\w)(?:article|art\.)[ \t\u00a0]*", re.IGNORECASE)
_ES_KW_RE = re.compile(r"(?<!\w)(?:art[ií]culo|art\.)[ \t\u00a0]*", re.IGNORECASE)
_ZH_ARTICLE_RE = re.compile(r"第[ \t\u3000]*([〇零一二两三四五六七八九十百千\d]+)[ \t\u3000]*条")


@dataclass(frozen=True)
class _Family:
    keywords: tuple[re.Pattern[str], ...]  # "Article", "Artículo"
    numerals: tuple[dict[str, tuple[int, bool]], ...]  # words
    ref_after: tuple[re.Pattern[str], ...]  # "of", "de", ...


def _family(lang: str) -> _Family:
    primary = lang.split("-")[0].lower()
    if primary == "en":
        return _Family((_EN_KW_RE,), (_EN_NUMERALS,), (_REF_AFTER_EN,))
    if primary == "es":
        return _Family((_ES_KW_RE,), (_ES_NUMERALS,), (_REF_AFTER_ES,))
    return _Family((_EN_KW_RE, _ES_KW_RE), (_EN_NUMERALS, _ES_NUMERALS), (_REF_AFTER_EN, _REF_AFTER_ES))


def _reference_after(text: str, pos: int, ref_after_res: tuple[re.Pattern[str], ...]) -> bool:
    """Does the text after a number read like a reference ("Article 5 of the Law", "5, 6")?"""
    if _REF_AFTER_PUNCT.match(text, pos):
        return True
    after = text[pos : pos + 40].lstrip(_SPACE)
    return after[:1] in ",)" or any(r.match(after) for r in ref_after_res)


def _heading_end(text: str, end: int) -> int:
    """Take a "." or ":" right after the number into the heading ("Article 11:")."""
    if end < len(text) and text[end] in ".:：" and (end + 1 == len(text) or text[end + 1].isspace()):
        return end + 1
    return end


def _candidates(text: str, lang: str, chapters: list[_Chapter]) -> list[_Candidate]:
    family = _family(lang)
    keyword_res, tables, ref_after_res = family.keywords, family.numerals, family.ref_after
    found: dict[int, _Candidate] = {}

    def add(c: _Candidate) -> None:
        if c.start not in found or found[c.start].weight < c.weight:
            found[c.start] = c

    def strong_position(pos: int) -> bool:
        """At the start of a line or sentence, or right after a chapter heading and its title."""
        if _is_boundary(text, pos):
            return True
        return (_word_before(text, pos) not in _REF_BEFORE_PUNCT
                and _chapter_before(text, chapters, pos) is not None)

    # "Article 9", "Artículo décimo", "Art. 3"
    for kw_re in keyword_res:
        for m in kw_re.finditer(text):
            if m.group()[-1].isalpha() and not text[m.end() : m.end() + 1].isdigit():
                continue  # "Articles", "Articleone"
            num = _numeral_after_keyword(text, m.end(), tables)
            if num is None:
                continue
            end = _heading_end(text, num.end)
            ref_after = _reference_after(text, num.end, ref_after_res)
            lower = m.group()[0].islower()
            if strong_position(m.start()):
                weight = _REF_AT_BOUNDARY if ref_after else (_WEAK if lower else _STRONG)
            elif lower or ref_after or _word_before(text, m.start()) in _REF_BEFORE_PUNCT:
                weight = _REFERENCE
            else:
                weight = _WEAK
            add(_Candidate(m.start(), end, num.value, weight))

    # "第十二条"
    for m in _ZH_ARTICLE_RE.finditer(text):
        value = _chinese_number(m.group(1))
        if not value:
            continue
        ref_after = bool(_ZH_REF_AFTER.match(text, m.end()))
        if strong_position(m.start()):
            weight = _REF_AT_BOUNDARY if ref_after else _STRONG
        elif ref_after or _ZH_REF_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            weight = _REFERENCE
        else:
            weight = _WEAK
        add(_Candidate(m.start(), _heading_end(text, m.end()), value, weight))

    # "Seventh", "Twenty-first", "Séptimo" starting a line or sentence
    for m in _WORD_RE.finditer(text):
        if not m.group()[0].isupper() or m.start() in found or not strong_position(m.start()):
            continue
        num = _word_numeral(text, m.start(), tables)
        if num is None or not num.ordinal:
            continue
        if _NOT_AN_ORDINAL_HEADING_RE.match(text, num.end) or _reference_after(text, num.end, ref_after_res):
            continue  # "First, ...", "Second and third ...", "Third-party platforms", "Third parties"
        add(_Candidate(m.start(), _heading_end(text, num.end), num.value, _ORDINAL))

    return sorted(found.values(), key=lambda c: c.start)


# what follows an ordinal word that is not a heading: "First, ...", "First: ...", "Third-party",
# "Third parties", "Second time"
_NOT_AN_ORDINAL_HEADING_RE = re.compile(
    r"[ \t\u00a0]*[;:)]|[-‐][^\W\d_]|[ \t\u00a0]+(?:party|parties|place|time|times|class|grade|level|round"
    r"|stage|phase|instance|lugar|vez|nivel|grado)\b",
    re.IGNORECASE,
)


def _best_chain(cands: list[_Candidate]) -> list[_Candidate]:
    """The chain of candidates, in text order with increasing numbers, of highest score.

    A chain's score is the sum of its candidates' weights, less ``_GAP_PENALTY`` per missing
    number and ``_START_PENALTY`` unless it starts at 1.  Dynamic programming over the
    candidates in text order: the best chain ending in candidate i extends the best chain
    ending in some j before it (``end_j <= start_i``, ``number_j < number_i``) of highest
    ``best_j + _GAP_PENALTY * number_j``, found in a Fenwick tree over the numbers, so the
    whole is O(n log n).  Ties go to the later candidate: of two equally good headings with
    the same number the earlier one is most likely a reference to the next article
    ("... Article 5 shall apply. Article 5 The ...").
    """
    cands = [c for c in cands if c.number > 0]  # the tree is 1-based
    if not cands:
        return []
    size = max(c.number for c in cands)
    tree: list[tuple[float, int]] = [(-math.inf, -1)] * (size + 1)  # prefix maxima over numbers

    def update(number: int, value: tuple[float, int]) -> None:
        while number <= size:
            if value > tree[number]:
                tree[number] = value
            number += number & -number

    def query(number: int) -> tuple[float, int]:  # max over numbers 1..number
        out = (-math.inf, -1)
        while number > 0:
            out = max(out, tree[number])
            number -= number & -number
        return out

    best = [0.0] * len(cands)
    prev: list[int | None] = [None] * len(cands)
    pending: list[tuple[int, int]] = []  # (end, index) of candidates not yet in the tree
    for i, ci in enumerate(cands):
        while pending and pending[0][0] <= ci.start:
            _, j = heapq.heappop(pending)
            update(cands[j].number, (best[j] + _GAP_PENALTY * cands[j].number, j))
        best[i] = ci.weight - (_START_PENALTY if ci.number > 1 else 0.0)
        key, j = query(ci.number - 1)
        if j >= 0:
            score = key + ci.weight - _GAP_PENALTY * (ci.number - 1)
            if score >= best[i]:
                best[i], prev[i] = score, j
        heapq.heappush(pending, (ci.end, i))
    top = max(range(len(cands)), key=lambda i: (best[i], i))
    if best[top] <= 0:
        return []
    chain = []
    k: int | None = top
    while k is not None:
        chain.append(cands[k])
        k = prev[k]
    return chain[::-1]


# --------------------------------------------------------------------------- parsing


def _normalise(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def parse_regulation_text(text: str, key: str, lang: str, *, source: str | None = None) -> list[Article]:
    """Split a regulation text into its articles (see the module docstring for the rules).

    ``key`` is the regulation (``vocab.REGULATIONS``), ``lang`` the text's language tag
    (``en``, ``es``, ...), ``source`` names the text in messages (default: the key).
    Raises :class:`RegulationTextError` for an empty text or one without article headings.
    """
    where = source or key
    if key not in vocab.REGULATIONS:
        raise RegulationTextError(f"unknown regulation key {key!r}; known: {', '.join(vocab.REGULATIONS)}",
                                  source=where)
    text = _normalise(text)
    if not text.strip():
        raise RegulationTextError("empty file: no regulation text", source=where)
    chapters = _chapters(text, _family(lang).numerals)
    chain = _best_chain(_candidates(text, lang, chapters))
    if not chain:
        raise RegulationTextError(
            "no article heading found (expected e.g. 'Article 1', 'Seventh', 'Artículo 1', '第一条')",
            source=where,
        )

    articles: list[Article] = []
    for order, (c, nxt) in enumerate(zip(chain, [*chain[1:], None], strict=True), start=1):
        end = nxt.start if nxt else len(text)
        chapter = _chapter_before(text, chapters, end, floor=c.end)
        if chapter is not None:
            end = chapter.start
        articles.append(Article(c.number, order, text[c.start : c.end].strip(), text[c.start : end].strip()))

    for a, b, c in zip(articles, articles[1:], chain[1:], strict=False):
        if b.number != a.number + 1:
            missing = f"{a.number + 1}" if b.number == a.number + 2 else f"{a.number + 1}-{b.number - 1}"
            log.warning("%s:%d: article %d follows article %d; no heading found for article %s",
                        where, _line_no(text, c.start), b.number, a.number, missing)
    if chain[0].number != 1 and text[: chain[0].start].strip():
        log.info("%s: the text starts before article %d; the part before its heading is not an article",
                 where, chain[0].number)
    return articles


# --------------------------------------------------------------------------- files and RDF

_KEY_PREFIXES = {"guiyang": "guiyang", "zhejiang": "zhejiang", "shanxi": "shanxi",
                 "liaoning": "liaoning", "provincial": "liaoning"}
_KEY_RE = re.compile(r"^([a-z]+)(?:[-_.]|$)")
_LANG_RE = re.compile(r"\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.txt$", re.IGNORECASE)
_LANG_TAG_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def guess_key(path: Path) -> str:
    """The regulation key from a file name: guiyang-*, zhejiang-*, shanxi-*, provincial-* (Liaoning)."""
    m = _KEY_RE.match(path.name.lower())
    key = _KEY_PREFIXES.get(m.group(1)) if m else None
    if key is None:
        raise RegulationTextError(
            "cannot tell the regulation from the file name (expected guiyang-*, zhejiang-*, shanxi-*, "
            "provincial-* or liaoning-*); pass key=",
            source=str(path),
        )
    return key


def guess_lang(path: Path) -> str:
    """The language tag from a file name: ``*.en.txt`` -> "en", ``*.es.txt`` -> "es"."""
    m = _LANG_RE.search(path.name)
    if not m:
        raise RegulationTextError(
            "cannot tell the language from the file name (expected *.en.txt or *.es.txt); pass lang=",
            source=str(path),
        )
    return m.group(1).lower()


def read_regulation_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (a BOM is dropped)."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise RegulationTextError(f"file of {size} bytes exceeds the limit of {MAX_TEXT_BYTES} bytes",
                                      source=str(path))
        data = path.read_bytes()
    except OSError as e:
        raise RegulationTextError(f"cannot read the file: {e.strerror or e}", source=str(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise RegulationTextError(
            f"not valid UTF-8 at byte {e.start} (line {line}, column {column})", source=str(path)
        ) from None


def regulation_graph(path: Path, key: str | None = None, lang: str | None = None) -> Graph:
    """The regulation in ``path`` as ELI RDF: the legal resource and one subdivision per article.

    ``key`` defaults to :func:`guess_key`, ``lang`` to :func:`guess_lang`.
    """
    path = Path(path)
    key = key or guess_key(path)
    if key not in vocab.REGULATIONS:
        raise RegulationTextError(f"unknown regulation key {key!r}; known: {', '.join(vocab.REGULATIONS)}",
                                  source=str(path))
    lang = lang or guess_lang(path)
    if not _LANG_TAG_RE.fullmatch(lang):
        raise RegulationTextError(f"not a language tag: {lang!r}", source=str(path))
    articles = parse_regulation_text(read_regulation_text(path), key, lang, source=str(path))

    g = Graph()
    for prefix, ns in vocab.PREFIXES.items():
        g.bind(prefix, ns)
    reg = vocab.regulation(key)
    g.add((reg, RDF.type, ELI.LegalResource))
    for a in articles:
        art = vocab.article(key, a.number)
        g.add((art, RDF.type, ELI.LegalResourceSubdivision))
        g.add((art, ELI.is_part_of, reg))
        g.add((reg, ELI.has_part, art))
        g.add((art, ELI.number, Literal(str(a.number))))
        g.add((art, GDS.order, Literal(a.number, datatype=XSD.integer)))
        g.add((art, ELI.type_subdivision, ARTICLE_SUBDIVISION))
        g.add((art, GDS.text, Literal(a.text, lang=lang)))
    return g
