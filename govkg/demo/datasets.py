"""The streamed part of the demo graph: datasets with their items, distributions,
records and lifecycle activities, plus the trigger events, feedback, collection
activities and digital projects that hang off them.

Memory stays bounded by the fixed world: datasets are generated in chronological order
(month by month), batch activities are remembered only for the current month, and
nothing per dataset is kept once its lines are written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import lru_cache

from govkg import vocab
from govkg.validate import deadlines

from . import tables as T
from .terms import (
    ACCESS_RIGHT,
    ADMS_STATUS,
    DCAT_ACCESS_URL,
    DCAT_CONTACT_POINT,
    DCAT_DATASET,
    DCAT_DATASET_P,
    DCAT_DISTRIBUTION,
    DCAT_DISTRIBUTION_P,
    DCAT_KEYWORD,
    DCAT_MEDIA_TYPE,
    DCAT_RECORD,
    DCAT_RECORD_P,
    DCAT_THEME,
    DCATAP_LEGISLATION,
    DCT_ACCESS_RIGHTS,
    DCT_ACCRUAL,
    DCT_CONFORMS_TO,
    DCT_CREATED,
    DCT_CREATOR,
    DCT_DESCRIPTION,
    DCT_FORMAT,
    DCT_IDENTIFIER,
    DCT_ISSUED,
    DCT_MODIFIED,
    DCT_PUBLISHER,
    DCT_SOURCE,
    DCT_TITLE,
    DPV_COMMERCIAL_DATA,
    DPV_LEGAL_BASIS,
    DPV_PERSONAL_DATA,
    FALSE,
    FOAF_PRIMARY_TOPIC,
    GDS_APPROVAL,
    GDS_COLLECTION,
    GDS_COMPILATION,
    GDS_DATA_ITEM,
    GDS_DETERMINATION,
    GDS_ELECTRONIC,
    GDS_FEEDBACK,
    GDS_PAPER,
    GDS_PROJECT,
    GDS_PUBLICATION,
    GDS_REVIEW,
    GDS_REVISION,
    GDS_REVOCATION,
    GDS_TRIGGER,
    ODRL_ACTION,
    ODRL_ASSIGNEE,
    ODRL_HAS_POLICY,
    ODRL_PERMISSION,
    ODRL_PERMISSION_P,
    ODRL_POLICY,
    ODRL_PROHIBITION,
    ODRL_PROHIBITION_P,
    ODRL_USE,
    ORG_CHANGE_EVENT,
    ORG_ORIGINAL_ORGANIZATION,
    P_AFFECTS,
    P_APPROVAL_STATUS,
    P_AUTHORITATIVE_SOURCE,
    P_BASIC_RESOURCE,
    P_CLASSIFICATION_CODE,
    P_COLLECTS,
    P_CONCERNS,
    P_CONSENT_BY,
    P_CONSENT_OBTAINED,
    P_DATA_CATEGORY,
    P_DATA_ELEMENT,
    P_DATA_TYPE,
    P_FEEDBACK_STATUS,
    P_HAS_DATA_ITEM,
    P_MEDIUM,
    P_NETWORK_TYPE,
    P_NON_SHARING_REASON,
    P_OPEN_CONDITION,
    P_OPEN_TYPE,
    P_REASON_TYPE,
    P_RESOURCE_FORM,
    P_SECRECY,
    P_SECURITY_GRADE,
    P_SHARING_CONDITION,
    P_SHARING_MODE,
    P_SHARING_TYPE,
    P_TRIGGER_TYPE,
    P_UPDATE_CYCLE,
    P_UPDATE_TIME_LIMIT,
    PROJECT_FLAGS,
    PROV_ASSOCIATED,
    PROV_AT_TIME,
    PROV_ENDED,
    PROV_INFORMED_BY,
    PROV_STARTED,
    PROV_USED,
    TRUE,
    XSD,
    A,
    concept,
    en,
    eu_file_type,
    eu_frequency,
    iana,
    idt,
    iri,
    plain,
    typed,
    zh,
)
from .world import Agency, Catalog, World
from .writer import Writer

ID = str(vocab.ID)
DAY0 = dt.date(2023, 1, 1)
LAST = dt.date(2025, 12, 31)
N_MONTHS = 34  # datasets are compiled from 2023-01 to 2025-10
DAYS = [(DAY0 + dt.timedelta(days=n)).isoformat() for n in range((dt.date(2026, 3, 1) - DAY0).days)]
LAST_DAY = (LAST - DAY0).days
MONTH_START = []
for _m in range(N_MONTHS):
    _y, _mo = 2023 + _m // 12, 1 + _m % 12
    MONTH_START.append((dt.date(_y, _mo, 1) - DAY0).days)
YM = [DAYS[d][:7].replace("-", "") for d in MONTH_START]
# first days of the Spring Festival and National Day holidays (chinese_calendar)
HOLIDAY_STARTS = [dt.date(2023, 1, 21), dt.date(2023, 9, 29), dt.date(2024, 2, 10), dt.date(2024, 10, 1),
                  dt.date(2025, 1, 28), dt.date(2025, 10, 1)]


@lru_cache(maxsize=2048)  # trigger dates lie in 2023-2025
def gy_deadline(day: dt.date) -> dt.date:
    """GY 13: 15 calendar days (the validator's own rule, govkg.validate.deadlines)."""
    return deadlines.deadline(deadlines.RULES["guiyang"], day)


@lru_cache(maxsize=2048)
def ln_deadline(day: dt.date) -> dt.date:
    """LN 9: the 10th working day after the event on China's statutory calendar."""
    return deadlines.deadline(deadlines.RULES["liaoning"], day)


@lru_cache(maxsize=2048)
def is_workday(day: dt.date) -> bool:
    return deadlines.is_working_day(day)


def ts(day: int, time: str) -> str:
    return f'"{DAYS[day]}T{time}+08:00"^^<{XSD}dateTime>'


def ts_date(day: dt.date, time: str) -> str:
    return f'"{day.isoformat()}T{time}+08:00"^^<{XSD}dateTime>'


HOURS = [f"{h:02d}:{m:02d}:00" for h in range(9, 18) for m in (0, 15, 30, 45)]

# dataset-level plants: kind -> [(variant, tops)]
ALL = ("GY", "ZJ", "LN", "SX")
PLANTS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "R1-LN": [("no_time_limit", ("LN",)), ("no_class_code", ("LN",)), ("no_items", ("LN",))],
    "R1-SX": [("no_time_limit", ("SX",)), ("no_class_code", ("SX",))],
    "R2": [("two_types", ("LN", "SX"))],
    "R3": [("no_basis", ("LN",))],
    "R4-SX": [("no_reason", ("SX",)), ("no_determination", ("SX",)), ("determination_by_provider", ("SX",))],
    "R5-SX": [("no_condition", ("SX",))],
    "R7": [("no_mode", ("GY", "ZJ")), ("ns_no_condition", ("GY", "ZJ", "SX"))],
    "R8-LN": [("pdf", ("LN",)), ("no_conforms", ("LN",))],
    "R9": [("ns_in_sharing", ("GY",)), ("not_open_in_open", ("GY",))],
    "R10": [("no_review", ("GY", "LN")), ("review_by_provider", ("GY", "LN")), ("late_review", ("LN",))],
    "R11-GY": [("no_approval", ("GY",))],
    "R15": [("item_no_data_type", ALL)],
    "R27": [("two_sources", ALL)],
    "R29-SX": [("paper", ("SX",))],
    "R30-GY": [("plant_only_provider", ("GY",))],
    "R30-ZJ": [("plant_only_provider", ("ZJ",))],
    "R30-LN": [("plant_only_provider", ("LN",))],
    "R31": [("item_no_type", ALL), ("unconditional_with_ns_item", ALL)],
    "R32": [("personal_unconditional", ("GY", "ZJ", "SX")), ("personal_open", ("GY", "ZJ", "SX")),
            ("commercial_unconditional", ("GY", "ZJ", "SX")), ("classified_in_sharing", ("GY", "ZJ", "SX"))],
    "R33-ZJ": [("no_grade", ("ZJ",))],
}
# the rules a plant breaks besides its own (one defect, two rules by definition)
ALSO = {"R5-SX": {"R7"}}
# decoys built on purpose: the defect, outside the jurisdiction whose rule forbids it
DECOYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "D1": ("no_time_limit", ("GY", "ZJ")),  # R1-LN, R1-SX
    "D2": ("no_items", ("SX",)),  # R1-LN
    "D3": ("ns_no_mode", ("GY", "ZJ")),  # R1-LN, R1-SX
    "D4": ("no_reason", ("GY", "ZJ", "LN")),  # R4-SX
    "D5": ("no_determination", ("GY", "ZJ", "LN")),  # R4-SX
    "D6": ("pdf", ("GY", "ZJ", "SX")),  # R8-LN
    "D7": ("no_conforms", ("GY", "ZJ", "SX")),  # R8-LN
    "D8": ("paper", ("GY", "ZJ")),  # R29-SX, R8-LN
    "D9": ("no_grade", ("GY", "LN", "SX")),  # R33-ZJ
    "D10": ("no_approval", ("ZJ", "LN", "SX")),  # R11-GY
}
AUX: dict[str, tuple[str, ...]] = {
    "R12-GY": ("GY",), "R13-LN": ("LN",), "R16": ("GY",), "R25-ZJ": ("ZJ",), "R26": ("ZJ", "LN", "SX"),
    "R28-SX": ("SX",),
}
BLOCK = 9
# variants where the provider stands in for the designated department: never the data department itself
PROVIDER_SENSITIVE = ("review_by_provider", "no_review", "late_review", "determination_by_provider")
# what variants need of a dataset's content
NEED_U = ("unconditional_with_ns_item", "commercial_unconditional")  # unconditionally shared
NEED_PERSONAL = ("personal_unconditional", "personal_open")  # a personal data item
NEED_C = ("commercial_unconditional",)  # a commercially confidential item
NEED_RESTRICTED = ("two_types", "no_basis", "no_reason", "no_determination", "determination_by_provider",
                   "no_condition", "no_mode", "ns_no_condition", "ns_in_sharing", "ns_no_mode", "personal_open",
                   "classified_in_sharing")
ALWAYS_PUBLISHED = ("ns_in_sharing", "not_open_in_open", "no_review", "review_by_provider", "late_review",
                    "no_approval", "personal_open", "classified_in_sharing")

STRUCTURED = {code for code, _ in T.STRUCTURED_FORMATS}
CYCLE_WEIGHTS = []
_acc = 0.0
for _row in T.UPDATE_CYCLES:
    _acc += _row[1]
    CYCLE_WEIGHTS.append(_acc)
ITEM_COUNT_WEIGHTS = (2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6)
STATUS_TERMS = {s: concept("record-status", s) for s in ("PUBLISHED", "PUBLISH_PENDING", "REVOKED")}
SHARING_TERMS = {s: concept("sharing-type", s) for s in vocab.SCHEMES["sharing-type"]}
OPEN_TERMS = {s: concept("open-type", s) for s in vocab.SCHEMES["open-type"]}
MODE_TERMS = {s: concept("sharing-mode", s) for s in vocab.SCHEMES["sharing-mode"]}
FORM_TERMS = {s: concept("resource-form", s) for s in vocab.SCHEMES["resource-form"]}
GRADE_TERMS = {s: concept("security-grade", s) for s in vocab.SCHEMES["security-grade"]}
NETWORK_TERMS = {s: concept("network-type", s) for s in vocab.SCHEMES["network-type"]}
REASON_TERMS = {s: concept("non-sharing-reason", s) for s in vocab.SCHEMES["non-sharing-reason"]}
SECRECY_TERMS = {s: concept("secrecy", s) for s in vocab.SCHEMES["secrecy"]}
CYCLE_TERMS = {s: concept("update-cycle", s) for s in vocab.SCHEMES["update-cycle"]}
BASIC_TERMS = {s: concept("basic-resource", s) for s in vocab.SCHEMES["basic-resource"]}
THEME_TERMS = {s: concept("theme", s) for s in vocab.SCHEMES["theme"]}
FREQUENCY_TERMS = {row[2]: eu_frequency(row[2]) for row in T.UPDATE_CYCLES}
FORMAT_TERMS = {code: eu_file_type(code) for code, _ in (*T.STRUCTURED_FORMATS, T.PDF_FORMAT)}
MEDIA_TERMS = {code: iana(media) for code, media in (*T.STRUCTURED_FORMATS, T.PDF_FORMAT)}
FEEDBACK_TERMS = [concept("feedback-status", s) for s in vocab.SCHEMES["feedback-status"]]
ELEMENT_IRI = {k: idt(f"data-element/{k}") for k in list(T.ELEMENTS) + list(T.COLLECTION_ONLY_ELEMENTS)}
ELEMENT_ZH = {k: zh(v[0]) for k, v in T.ELEMENTS.items()}
ELEMENT_EN = {k: en(v[1]) for k, v in T.ELEMENTS.items()}
ELEMENT_TYPE = {k: plain(v[2]) for k, v in T.ELEMENTS.items()}
KIND_INDEX = {k: n + 1 for n, k in enumerate(T.KIND_CONTENT)}
THEME_INDEX = {k: n + 1 for n, k in enumerate(vocab.SCHEMES["theme"])}
BASIC_INDEX = {k: n + 1 for n, k in enumerate(vocab.SCHEMES["basic-resource"])}
LEGISLATION = {top: iri(vocab.REGULATIONS[T.REGULATION_OF_TOP[top]]) for top in T.TOPS}
BASES = {top: [iri(str(vocab.article(k, n))) for k, n in v] for top, v in T.LEGAL_BASES.items()}
COLLECTION_BASIS = {top: iri(str(vocab.article(k, n))) for top, (k, n) in T.COLLECTION_BASES.items()}
COND_ZH = {"CONDITIONAL": zh("仅向因履行职责确需使用的部门共享，使用前须经提供部门审核同意"),
           "NOT_SHARED": zh("依据所列规定不予共享")}
COND_EN = {"CONDITIONAL": en("Shared only with departments that need it to perform their duties, "
                             "after approval by the providing department"),
           "NOT_SHARED": en("Not shared, on the provisions cited")}
OPEN_COND = (zh("经申请审核并签订数据利用协议后向申请者开放"),
             en("Open to applicants after review and a data use agreement"))


class Spec:
    """Everything decided about one dataset before its lines are written."""

    __slots__ = ("key", "iri", "agency", "top", "topic", "qual", "elements", "personal", "commercial",
                 "classified", "sharing", "open", "mode", "cond_literal", "policy", "assignees", "reason", "basis",
                 "determination", "cycle", "time_limit", "class_code", "items_on", "item_types", "two_sources",
                 "grade", "basic", "theme", "untyped_item", "status", "review", "approval", "dists",
                 "in_sharing", "in_open", "form", "variant")


class Stream:
    def __init__(self, w: Writer, world: World, rng: random.Random, sched: random.Random, n: int) -> None:
        self.w, self.world, self.rng, self.sched, self.n = w, world, rng, sched, n
        self.month = -1
        self.month_seen: set[tuple[str, str]] = set()
        self.variant_counter: dict[str, int] = {}
        self.plant_order = list(PLANTS)
        self.decoy_order = list(DECOYS)
        self.aux_order = list(AUX)
        self.slots: dict[int, tuple[str, str]] = {}
        self.last_iri: dict[str, str] = {}
        self.counters = {"trigger": 0, "feedback": 0, "collection": 0, "project": 0}
        self.issued_day = 0
        self.anchors: dict[str, dict[str, str]] = {t: {} for t in T.TOPS}

    # -- schedule ----------------------------------------------------------------------------
    def _block(self, b: int) -> None:
        """Fix which positions of block ``b`` carry a plant, a decoy and an auxiliary plant."""
        s = self.sched
        if b % len(self.plant_order) == 0:
            s.shuffle(self.plant_order)
        if b % 2 and (b // 2) % len(self.decoy_order) == 0:
            s.shuffle(self.decoy_order)
        if b % 2 == 0 and (b // 2) % len(self.aux_order) == 0:
            s.shuffle(self.aux_order)
        p_plant, p_decoy, p_aux = s.sample(range(BLOCK), 3)
        base = b * BLOCK
        self.slots = {base + p_plant: ("plant", self.plant_order[b % len(self.plant_order)])}
        if b % 2:
            self.slots[base + p_decoy] = ("decoy", self.decoy_order[(b // 2) % len(self.decoy_order)])
        else:
            self.slots[base + p_aux] = ("aux", self.aux_order[(b // 2) % len(self.aux_order)])

    def _variant(self, kind: str, variants: list[tuple[str, tuple[str, ...]]]) -> tuple[str, tuple[str, ...]]:
        n = self.variant_counter.get(kind, 0)
        self.variant_counter[kind] = n + 1
        return variants[n % len(variants)]

    # -- main loop ------------------------------------------------------------------------------
    def run(self, progress: Callable[[int], None] | None) -> None:
        self._anchors()
        for idx in range(self.n):
            if idx % BLOCK == 0:
                self._block(idx // BLOCK)
            month = idx * N_MONTHS // self.n
            if month != self.month:
                self.month = month
                self.month_seen.clear()
            slot = self.slots.get(idx)
            plant = decoy = aux = None
            if slot:
                if slot[0] == "plant":
                    plant = slot[1]
                elif slot[0] == "decoy":
                    decoy = slot[1]
                else:
                    aux = slot[1]
            spec = self._decide(idx, plant, decoy, aux)
            self._emit(spec)
            got = self._judge(spec)
            if plant:
                self.w.manifest.planted_datasets += 1
                expected = {plant} | ALSO.get(plant, set())
                assert got == expected, f"dataset {spec.key}: planted {got}, meant {expected} ({spec.variant})"
            else:
                assert not got, f"dataset {spec.key}: unintended violation {got}"
            self._extras(spec, aux)
            if progress and (idx + 1) % 1000 == 0:
                progress(idx + 1)
        self._probes()

    # -- decisions ----------------------------------------------------------------------------
    def _pick_agency(self, top: str, ok: Callable[[Agency], bool] | None = None) -> Agency:
        members, cum = self.world.pool[top]
        rnd = self.rng.random
        total = cum[-1]
        for _ in range(200):
            x = rnd() * total
            lo, hi = 0, len(cum) - 1
            while lo < hi:
                mid = (lo + hi) // 2
                if cum[mid] < x:
                    lo = mid + 1
                else:
                    hi = mid
            a = members[lo]
            if ok is None or ok(a):
                return a
        raise RuntimeError(f"no agency in {top} fits")  # pragma: no cover

    def _decide(self, idx: int, plant: str | None, decoy: str | None, aux: str | None,
                force: dict | None = None) -> Spec:
        r = self.rng
        rnd = r.random
        s = Spec()
        variant = ""
        tops: tuple[str, ...] | None = None
        if plant:
            variant, tops = self._variant(plant, PLANTS[plant])
        elif decoy:
            variant, tops = DECOYS[decoy]
        elif aux:
            tops = AUX[aux]
        s.variant = variant
        force = force or {}
        need_u, need_personal, need_commercial = variant in NEED_U, variant in NEED_PERSONAL, variant in NEED_C
        # provider
        if "agency" in force:
            a: Agency = force["agency"]
            top = a.top or ""
        else:
            top = r.choice(tops) if tops else ("GY", "ZJ", "LN", "SX")[_pick_top(rnd())]
            if variant == "plant_only_provider":
                a = self.world.plant_only[top]
            else:
                def ok(x: Agency) -> bool:
                    els = T.KIND_CONTENT[x.kind][1]
                    cats = [T.ELEMENTS[e][3] for e in els]
                    if need_u and cats.count("N") < 2:
                        return False
                    if need_personal and "P" not in cats:
                        return False
                    if need_commercial and "C" not in cats:
                        return False
                    if variant in PROVIDER_SENSITIVE and x.kind == "data":
                        return False  # the provider must not itself be the designated department
                    return not (variant == "unconditional_with_ns_item" and cats.count("N") < 3)
                a = self._pick_agency(top, ok if (need_u or need_personal or need_commercial
                                                  or variant in PROVIDER_SENSITIVE) else None)
        s.agency, s.top = a, top
        s.key = f"{a.jur.code}-{idx:07d}" if idx >= 0 else f"{a.jur.code}-a{-idx:06d}"
        s.iri = f"<{ID}dataset/{s.key}>"
        topics = T.KIND_CONTENT[a.kind][0]
        s.topic = force.get("topic", int(rnd() * len(topics)))
        s.qual = 0 if "topic" in force else int(rnd() * len(T.TITLE_QUALIFIERS))
        self._decide_sharing(s, force, special=bool(plant or decoy or force))
        self._decide_metadata(s)
        self._decide_lifecycle(s, forced=bool(force))
        return s

    def _decide_sharing(self, s: Spec, force: dict, special: bool) -> None:
        """Data items, sharing and open types, the sharing condition (LN 8, SX 12, rule 7)."""
        r = self.rng
        rnd = r.random
        variant, a, top = s.variant, s.agency, s.top
        need_u, need_personal, need_commercial = variant in NEED_U, variant in NEED_PERSONAL, variant in NEED_C
        kind_elements = T.KIND_CONTENT[a.kind][1]
        if "elements" in force:
            els = list(force["elements"])
        else:
            k = ITEM_COUNT_WEIGHTS[int(rnd() * len(ITEM_COUNT_WEIGHTS))]
            if need_u:
                pool = [e for e in kind_elements if T.ELEMENTS[e][3] == "N"]
                if need_commercial:
                    first = [e for e in kind_elements if T.ELEMENTS[e][3] == "C"][:1]
                    els = first + r.sample(pool, min(k - 1, len(pool)))
                else:
                    els = r.sample(pool, max(3 if variant == "unconditional_with_ns_item" else 2,
                                             min(k, len(pool))))
            elif need_personal:
                first = r.choice([e for e in kind_elements if T.ELEMENTS[e][3] == "P"])
                rest = [e for e in kind_elements if e != first]
                els = [first] + r.sample(rest, min(k - 1, len(rest)))
            else:
                els = r.sample(kind_elements, min(k, len(kind_elements)))
        s.elements = els
        cats = [T.ELEMENTS[e][3] for e in els]
        s.personal = "P" in cats
        s.commercial = "C" in cats
        s.classified = variant == "classified_in_sharing" or (not special and rnd() < 0.01)
        # sharing type (LN 8 / SX 12: one of three)
        if "sharing" in force:
            sharing = force["sharing"]
        elif variant == "two_types":
            sharing = ("CONDITIONAL", "NOT_SHARED")
        elif need_u or variant == "personal_unconditional":
            sharing = ("UNCONDITIONAL",)
        elif variant in ("no_condition", "no_mode", "personal_open", "classified_in_sharing", "no_determination"):
            sharing = ("CONDITIONAL",)
        elif variant in ("ns_no_condition", "ns_in_sharing", "ns_no_mode") or s.classified:
            sharing = ("NOT_SHARED",)
        elif variant in NEED_RESTRICTED:
            sharing = ("CONDITIONAL",) if rnd() < 0.7 else ("NOT_SHARED",)
        elif s.personal or s.commercial:
            sharing = ("CONDITIONAL",) if rnd() < 0.75 else ("NOT_SHARED",)
        else:
            x = rnd()
            sharing = ("UNCONDITIONAL",) if x < 0.72 else ("CONDITIONAL",) if x < 0.95 else ("NOT_SHARED",)
        if variant == "not_open_in_open" and sharing == ("NOT_SHARED",):
            sharing = ("CONDITIONAL",)
        s.sharing = sharing
        restricted = sharing != ("UNCONDITIONAL",)
        # open type; mapped to dct:accessRights when written
        if variant == "personal_open":
            s.open = "UNCONDITIONAL_OPEN"
        elif (s.classified or s.personal or s.commercial or "NOT_SHARED" in sharing
              or variant == "not_open_in_open"):
            s.open = "NOT_OPEN"
        elif sharing == ("UNCONDITIONAL",):
            x = rnd()
            s.open = "UNCONDITIONAL_OPEN" if x < 0.55 else "CONDITIONAL_OPEN" if x < 0.7 else "NOT_OPEN"
        else:
            s.open = "CONDITIONAL_OPEN" if rnd() < 0.4 else "NOT_OPEN"
        s.mode = None if variant in ("no_mode", "ns_no_mode") else ("PLATFORM" if rnd() < 0.85 else
                                                                   "EMAIL" if rnd() < 0.3 else "MEDIA")
        # sharing condition: text and/or an ODRL policy; every LN entry carries its usage
        # requirements as a policy (LN 8)
        s.assignees = []
        if variant in ("no_condition", "ns_no_condition"):
            s.cond_literal, s.policy = False, None
        elif top == "LN":
            s.cond_literal = restricted
            s.policy = "assignee" if sharing == ("CONDITIONAL",) else "prohibit" if restricted else "permit"
        elif sharing == ("UNCONDITIONAL",):
            s.cond_literal, s.policy = False, None
        elif "CONDITIONAL" in sharing and "NOT_SHARED" not in sharing:
            x = rnd()
            s.cond_literal = x < 0.7
            s.policy = "assignee" if x >= 0.4 else None
        else:
            s.cond_literal, s.policy = True, None
        if s.policy == "assignee":
            s.assignees = force.get("assignees") or self._assignees(a)

    def _decide_metadata(self, s: Spec) -> None:
        """Reasons and basis, update cycle, items' types, grade, basic resource or theme."""
        rnd = self.rng.random
        variant, top, sharing = s.variant, s.top, s.sharing
        restricted = sharing != ("UNCONDITIONAL",)
        basics, themes = T.KIND_CONTENT[s.agency.kind][2:]
        cats = [T.ELEMENTS[e][3] for e in s.elements]
        s.reason = restricted and variant != "no_reason"
        s.basis = restricted and variant != "no_basis"
        if not restricted or variant == "no_determination":
            s.determination = None
        else:
            s.determination = "provider" if variant == "determination_by_provider" else "dept"
        x = rnd()
        ci = 0
        while CYCLE_WEIGHTS[ci] < x and ci < len(CYCLE_WEIGHTS) - 1:
            ci += 1
        s.cycle = T.UPDATE_CYCLES[ci]
        s.time_limit = variant != "no_time_limit"
        s.class_code = variant != "no_class_code"
        s.items_on = variant != "no_items"
        # item-level sharing types (rule 31)
        types: list[str | None] = []
        for c in cats:
            if sharing == ("UNCONDITIONAL",):
                types.append("UNCONDITIONAL")
            elif sharing == ("NOT_SHARED",):
                types.append("NOT_SHARED")
            elif variant in ("no_condition", "two_types") or c != "N":
                types.append("CONDITIONAL")
            else:
                types.append("UNCONDITIONAL" if rnd() < 0.5 else "CONDITIONAL")
        if sharing == ("CONDITIONAL",) and "CONDITIONAL" not in types:
            types[0] = "CONDITIONAL"
        if variant == "unconditional_with_ns_item":
            types[-1] = "NOT_SHARED"
        if variant == "item_no_type":
            types[0] = None
        s.item_types = types if s.items_on else []
        s.two_sources = 0 if variant == "two_sources" else -1
        s.untyped_item = len(types) - 1 if variant == "item_no_data_type" else -1  # R15: an item without data type
        # security grade (ZJ 4; ZJ grades L1-L4 follow the open type, elsewhere GB/T 43697)
        sensitive = s.personal or s.commercial
        if variant == "no_grade":
            s.grade = None
        elif top == "ZJ":
            s.grade = ("L1" if s.open == "UNCONDITIONAL_OPEN" else "L2" if s.open == "CONDITIONAL_OPEN"
                       else "L4" if (sensitive or s.classified) else "L3")
        else:
            s.grade = "CORE" if s.classified else "IMPORTANT" if sensitive else "GENERAL"
        # basic resource or theme
        s.basic = s.theme = None
        avail = [b for b in basics if b in self.world.basic[top]]
        if avail and rnd() < 0.5:
            s.basic = avail[int(rnd() * len(avail))]
        else:
            s.theme = themes[int(rnd() * len(themes))]

    def _decide_lifecycle(self, s: Spec, forced: bool) -> None:
        """Record status, review and approval, distributions, catalogue membership."""
        rnd = self.rng.random
        variant, sharing = s.variant, s.sharing
        if variant in ALWAYS_PUBLISHED or forced:
            s.status = "PUBLISHED"
        else:
            x = rnd()
            s.status = "PUBLISHED" if x < 0.88 else "PUBLISH_PENDING" if x < 0.93 else "REVOKED"
        s.review = {"no_review": "none", "review_by_provider": "provider", "late_review": "late"}.get(variant, "ok")
        s.approval = variant != "no_approval"
        # resource form and distributions: (format, conformsTo, paper)
        s.form = ("API", "DATABASE_TABLE", "STRUCTURED_FILE")[int(rnd() * 3)]
        if s.form == "API":
            first = "JSON"
        elif s.form == "DATABASE_TABLE":
            first = "CSV" if rnd() < 0.7 else "XLSX"
        else:
            first = ("CSV", "XLSX", "XML", "JSON")[int(rnd() * 4)]
        dists: list[tuple[str | None, bool, bool]] = [(first, variant != "no_conforms", False)]
        x = rnd()
        extra = 0 if x < 0.6 else 1 if x < 0.9 else 2
        if variant in ("pdf", "paper"):
            extra = min(extra, 1)  # at most three distributions, the planted one included
        for _ in range(extra):
            dists.append((("CSV", "XLSX", "XML", "JSON")[int(rnd() * 4)], True, False))
        if variant == "pdf":
            dists.append(("PDF", True, False))
        elif variant == "paper":
            dists.append((None, True, True))
        s.dists = dists
        published = s.status == "PUBLISHED"
        s.in_sharing = published and (("NOT_SHARED" not in sharing and not s.classified)
                                      or variant in ("ns_in_sharing", "classified_in_sharing"))
        s.in_open = published and ((s.open != "NOT_OPEN" and not s.classified) or variant == "not_open_in_open")

    def _assignees(self, a: Agency) -> list[Agency]:
        others = [x for x in a.jur.agencies.values() if x is not a and x.home is not None]
        return self.rng.sample(others, min(len(others), 2 + int(self.rng.random() * 2)))

    # -- writing -----------------------------------------------------------------------------
    def _batch(self, slug: str, cls: str, agent: Agency, first: int, last: int) -> str:
        """A monthly batch activity (compile, review, ...) by ``agent``; written on first use."""
        act = f"<{ID}activity/{slug}-{agent.key}-{YM[self.month]}>"
        key = (slug, agent.key)
        if key not in self.month_seen:
            self.month_seen.add(key)
            m0 = MONTH_START[self.month]
            t = self.w.t
            t(act, A, cls)
            t(act, PROV_ASSOCIATED, agent.iri)
            t(act, PROV_STARTED, ts(m0 + first - 1, "09:00:00"))
            t(act, PROV_ENDED, ts(m0 + last - 1, "17:00:00"))
            self.w.manifest.activities += 1
        return act

    def _emit(self, s: Spec) -> None:
        """Write the dataset, then its items, distributions and record."""
        w, r = self.w, self.rng
        rnd = r.random
        b = w.buf
        g = w.g
        ds, a, top = s.iri, s.agency, s.top
        j = a.jur
        topics = T.KIND_CONTENT[a.kind][0]
        tzh, ten = topics[s.topic]
        qzh, qen = T.TITLE_QUALIFIERS[s.qual]
        b.append(f'{ds} {A} {DCAT_DATASET}{g}{ds} {DCT_TITLE} "{j.zh}{tzh}{qzh}"@zh{g}'
                 f'{ds} {DCT_TITLE} "{ten}{qen} ({j.en})"@en{g}{ds} {DCT_PUBLISHER} {a.iri}{g}'
                 f'{ds} {DCAT_KEYWORD} "{tzh}"@zh{g}{ds} {DCAT_KEYWORD} "{ten.lower()}"@en{g}')
        els = s.elements
        cyc = s.cycle
        # every entry has its abstract: DCAT-AP requires dct:description, so no plant removes it
        names_zh = "、".join(T.ELEMENTS[e][0] for e in els)
        names_en = ", ".join(T.ELEMENTS[e][1].lower() for e in els)
        b.append(f'{ds} {DCT_DESCRIPTION} "{a.zh}在依法履职过程中产生的{j.zh}{tzh}，包含{names_zh}等'
                 f'{len(els)}个信息项，{cyc[4]}更新。"@zh{g}')
        b.append(f'{ds} {DCT_DESCRIPTION} "{ten} for {j.en}, produced by the {a.en} in performing its '
                 f'statutory duties; {len(els)} data items ({names_en}); updated {cyc[5]}."@en{g}')
        # classification code (guide: 类 1 digit, 项 2, 目 3, 细目 2): basic / thematic / department
        if s.basic:
            cls_code = f"1{BASIC_INDEX[s.basic]:02d}{s.topic + 1:03d}{s.qual:02d}"
        elif s.theme in self.world.thematic[top]:
            cls_code = f"2{THEME_INDEX[s.theme]:02d}{s.topic + 1:03d}{s.qual:02d}"
        else:
            cls_code = f"3{KIND_INDEX[a.kind]:02d}{s.topic + 1:03d}{s.qual:02d}"
        b.append(f'{ds} {DCT_IDENTIFIER} "{a.notation}-{cls_code}-{s.key.rsplit("-", 1)[1]}"{g}')
        if s.class_code:
            b.append(f'{ds} {P_CLASSIFICATION_CODE} "{cls_code}"{g}')
        for st in s.sharing:
            b.append(f"{ds} {P_SHARING_TYPE} {SHARING_TERMS[st]}{g}")
        if s.mode:
            b.append(f"{ds} {P_SHARING_MODE} {MODE_TERMS[s.mode]}{g}")
        self._emit_sharing(s)
        b.append(f"{ds} {DCATAP_LEGISLATION} {LEGISLATION[top]}{g}{ds} {P_UPDATE_CYCLE} {CYCLE_TERMS[cyc[0]]}{g}"
                 f"{ds} {DCT_ACCRUAL} {FREQUENCY_TERMS[cyc[2]]}{g}{ds} {P_RESOURCE_FORM} {FORM_TERMS[s.form]}{g}"
                 f"{ds} {P_SECRECY} {SECRECY_TERMS['CLASSIFIED' if s.classified else 'NON_CLASSIFIED']}{g}")
        if s.time_limit:
            b.append(f'{ds} {P_UPDATE_TIME_LIMIT} "{cyc[3]}"^^<{XSD}duration>{g}')
        if s.grade:
            b.append(f"{ds} {P_SECURITY_GRADE} {GRADE_TERMS[s.grade]}{g}")
        if s.personal:
            b.append(f"{ds} {P_DATA_CATEGORY} {DPV_PERSONAL_DATA}{g}")
        if s.commercial:
            b.append(f"{ds} {P_DATA_CATEGORY} {DPV_COMMERCIAL_DATA}{g}")
        if s.basic:
            b.append(f"{ds} {P_BASIC_RESOURCE} {BASIC_TERMS[s.basic]}{g}")
        else:
            b.append(f"{ds} {DCAT_THEME} {THEME_TERMS[s.theme]}{g}")
        if rnd() < 0.6:
            b.append(f"{ds} {DCAT_CONTACT_POINT} {a.contact}{g}")
        self._emit_items(s)
        self._emit_distributions(s)
        self._emit_record(s)

    def _emit_sharing(self, s: Spec) -> None:
        """Sharing condition or policy, open type and access rights, reasons and legal basis."""
        b, g, ds, top = self.w.buf, self.w.g, s.iri, s.top
        rnd = self.rng.random
        restricted = s.sharing != ("UNCONDITIONAL",)
        if s.cond_literal:
            key = "NOT_SHARED" if "NOT_SHARED" in s.sharing else "CONDITIONAL"
            b.append(f"{ds} {P_SHARING_CONDITION} {COND_ZH[key]}{g}")
            b.append(f"{ds} {P_SHARING_CONDITION} {COND_EN[key]}{g}")
        if s.policy:
            pol = f"<{ID}policy/{s.key}>"
            rule = f"<{ID}policy/{s.key}-rule>"
            b.append(f"{ds} {ODRL_HAS_POLICY} {pol}{g}")
            b.append(f"{pol} {A} {ODRL_POLICY}{g}")
            if s.policy == "prohibit":
                b.append(f"{pol} {ODRL_PROHIBITION_P} {rule}{g}")
                b.append(f"{rule} {A} {ODRL_PROHIBITION}{g}")
            else:
                b.append(f"{pol} {ODRL_PERMISSION_P} {rule}{g}")
                b.append(f"{rule} {A} {ODRL_PERMISSION}{g}")
            b.append(f"{rule} {ODRL_ACTION} {ODRL_USE}{g}")
            for x in s.assignees:
                b.append(f"{pol} {ODRL_ASSIGNEE} {x.iri}{g}")
        b.append(f"{ds} {P_OPEN_TYPE} {OPEN_TERMS[s.open]}{g}{ds} {DCT_ACCESS_RIGHTS} {ACCESS_RIGHT[s.open]}{g}")
        if s.open == "CONDITIONAL_OPEN":
            b.append(f"{ds} {P_OPEN_CONDITION} {OPEN_COND[0]}{g}")
            b.append(f"{ds} {P_OPEN_CONDITION} {OPEN_COND[1]}{g}")
        if restricted:
            if s.reason:
                rcode, rzh, ren = T.NON_SHARING_REASONS[2 if (s.personal or s.commercial) else int(rnd() * 2)]
                b.append(f'{ds} {P_NON_SHARING_REASON} "{rzh}"@zh{g}')
                b.append(f'{ds} {P_NON_SHARING_REASON} "{ren}"@en{g}')
                b.append(f"{ds} {P_REASON_TYPE} {REASON_TERMS[rcode]}{g}")
            if s.basis:
                bases = BASES[top]
                b.append(f"{ds} {DPV_LEGAL_BASIS} {bases[int(rnd() * len(bases))]}{g}")

    def _emit_items(self, s: Spec) -> None:
        if not s.items_on:
            return
        b, g, ds, a, top = self.w.buf, self.w.g, s.iri, s.agency, s.top
        els = s.elements
        world = self.world
        for n, (e, st) in enumerate(zip(els, s.item_types, strict=True)):
            it = f"<{ID}item/{s.key}-{n + 1}>"
            src = _authority(world, a, e)
            b.append(f"{ds} {P_HAS_DATA_ITEM} {it}{g}{it} {A} {GDS_DATA_ITEM}{g}"
                     f"{it} {DCT_TITLE} {ELEMENT_ZH[e]}{g}{it} {DCT_TITLE} {ELEMENT_EN[e]}{g}"
                     f"{it} {P_DATA_ELEMENT} {ELEMENT_IRI[e]}{g}"
                     f"{it} {P_AUTHORITATIVE_SOURCE} {src.iri}{g}")
            if n != s.untyped_item:
                b.append(f"{it} {P_DATA_TYPE} {ELEMENT_TYPE[e]}{g}")
            if st:
                b.append(f"{it} {P_SHARING_TYPE} {SHARING_TERMS[st]}{g}")
            if n == s.two_sources:
                tj = world.top_jur(top)
                other = next(x for x in (a, tj.gov, tj.data) if x is not src)
                b.append(f"{it} {P_AUTHORITATIVE_SOURCE} {other.iri}{g}")  # type: ignore[union-attr]
        self.w.manifest.data_items += len(els)

    def _emit_distributions(self, s: Spec) -> None:
        w = self.w
        b, g, ds, top = w.buf, w.g, s.iri, s.top
        rnd = self.rng.random
        host = T.HOST[top]
        standard = self.world.standard[top]
        ns = "NOT_SHARED" in s.sharing
        for n, (fmt, conforms, paper) in enumerate(s.dists):
            d = f"<{ID}distribution/{s.key}-{n + 1}>"
            if paper:
                b.append(f"{ds} {DCAT_DISTRIBUTION_P} {d}{g}{d} {A} {DCAT_DISTRIBUTION}{g}"
                         f"{d} {P_MEDIUM} {GDS_PAPER}{g}{d} {P_RESOURCE_FORM} {FORM_TERMS['UNSTRUCTURED_FILE']}{g}"
                         f"{d} {DCAT_ACCESS_URL} <https://archive.{host}/consult/{s.key}>{g}")
            else:
                form = ("UNSTRUCTURED_FILE" if fmt == "PDF" else s.form if n == 0 else "STRUCTURED_FILE")
                net = ("DEPARTMENT_PRIVATE_NETWORK" if ns else
                       "INTERNET" if (n > 0 and s.open != "NOT_OPEN") else "EGOV_EXTRANET")
                sub = "open" if net == "INTERNET" else "share"
                path = "api" if (n == 0 and s.form == "API") else "files"
                b.append(f"{ds} {DCAT_DISTRIBUTION_P} {d}{g}{d} {A} {DCAT_DISTRIBUTION}{g}"
                         f"{d} {P_MEDIUM} {GDS_ELECTRONIC}{g}{d} {DCT_FORMAT} {FORMAT_TERMS[fmt]}{g}"  # type: ignore[index]
                         f"{d} {DCAT_MEDIA_TYPE} {MEDIA_TERMS[fmt]}{g}{d} {P_RESOURCE_FORM} {FORM_TERMS[form]}{g}"  # type: ignore[index]
                         f"{d} {P_NETWORK_TYPE} {NETWORK_TERMS[net]}{g}"
                         f"{d} {DCAT_ACCESS_URL} <https://{sub}.{host}/{path}/{s.key}/{n + 1}>{g}")
                w.byte_size(d, 2000 + int(rnd() * 500_000_000))
            if conforms:
                b.append(f"{d} {DCT_CONFORMS_TO} {standard}{g}")
        w.manifest.distributions += len(s.dists)

    def _emit_record(self, s: Spec) -> None:
        """Catalogue membership, then the catalogue record and its lifecycle activities."""
        b, g, ds, top = self.w.buf, self.w.g, s.iri, s.top
        home = s.agency.home
        assert home is not None and home.sharing is not None and home.open is not None
        b.append(f"{home.iri} {DCAT_DATASET_P} {ds}{g}")
        if s.in_sharing:
            b.append(f"{home.sharing.iri} {DCAT_DATASET_P} {ds}{g}")
        if s.in_open:
            b.append(f"{home.open.iri} {DCAT_DATASET_P} {ds}{g}")
        if s.basic and s.basic in self.world.basic[top]:
            b.append(f"{self.world.basic[top][s.basic].iri} {DCAT_DATASET_P} {ds}{g}")
        elif s.theme in self.world.thematic[top]:
            b.append(f"{self.world.thematic[top][s.theme].iri} {DCAT_DATASET_P} {ds}{g}")
        self._emit_lifecycle(s, home)

    def _emit_lifecycle(self, s: Spec, home: Catalog) -> None:
        """The record and its PROV-O lifecycle: monthly batches of compilation, review,
        determination, approval and publication; per record a revision or revocation."""
        w = self.w
        b, g, ds, a, top = w.buf, w.g, s.iri, s.agency, s.top
        rnd = self.rng.random
        m, j = w.manifest, a.jur
        rec = f"<{ID}record/{s.key}>"
        m0 = MONTH_START[self.month]
        b.append(f"{home.iri} {DCAT_RECORD_P} {rec}{g}{rec} {A} {DCAT_RECORD}{g}"
                 f"{rec} {FOAF_PRIMARY_TOPIC} {ds}{g}{rec} {ADMS_STATUS} {STATUS_TERMS[s.status]}{g}")
        m.records += 1
        batch = self._batch
        b.append(f"{batch('compilation', GDS_COMPILATION, a, 1, 10)} {PROV_USED} {rec}{g}")
        dept = j.data
        assert dept is not None
        if s.review == "provider":
            b.append(f"{batch('review', GDS_REVIEW, a, 11, 20)} {PROV_USED} {rec}{g}")
        elif s.review != "none":
            b.append(f"{batch('review', GDS_REVIEW, dept, 11, 20)} {PROV_USED} {rec}{g}")
            if top == "SX" and j.level != "PROVINCE":  # SX 8: the provincial department reviews too
                prov = self.world.top_jur("SX").data
                b.append(f"{batch('review', GDS_REVIEW, prov, 11, 20)} {PROV_USED} {rec}{g}")  # type: ignore[arg-type]
        if s.determination:
            agent = dept if s.determination == "dept" else a
            b.append(f"{batch('determination', GDS_DETERMINATION, agent, 11, 20)} {PROV_USED} {rec}{g}")
        if s.approval:
            b.append(f"{batch('approval', GDS_APPROVAL, j.gov, 21, 25)} {PROV_USED} {rec}{g}")  # type: ignore[arg-type]
        if s.status == "PUBLISH_PENDING":
            modified = ts(m0 + 24, "17:00:00")
            self.issued_day = m0 + 24
        else:
            if s.review == "late":  # listed before the review ended (rule 10)
                day = m0 + 14
            else:
                day = m0 + 25 + int(rnd() * 3)
                b.append(f"{batch('publication', GDS_PUBLICATION, dept, 26, 28)} {PROV_USED} {rec}{g}")
            self.issued_day = day
            issued = ts(day, HOURS[int(rnd() * len(HOURS))])
            b.append(f"{rec} {DCT_ISSUED} {issued}{g}")
            b.append(f"{ds} {DCT_ISSUED} {issued}{g}")
            later = min(LAST_DAY - 2, day + 5 + int(rnd() * 300))
            if s.status == "REVOKED":
                act = f"<{ID}activity/{s.key}-revocation>"
                b.append(f"{act} {A} {GDS_REVOCATION}{g}")
                b.append(f"{act} {PROV_USED} {rec}{g}")
                b.append(f"{act} {PROV_ASSOCIATED} {dept.iri}{g}")
                b.append(f"{act} {PROV_STARTED} {ts(later, '09:00:00')}{g}")
                b.append(f"{act} {PROV_ENDED} {ts(later + 1, '16:00:00')}{g}")
                m.activities += 1
                modified = ts(later + 1, "16:00:00")
            elif rnd() < 0.12:
                act = f"<{ID}activity/{s.key}-revision>"
                b.append(f"{act} {A} {GDS_REVISION}{g}")
                b.append(f"{act} {PROV_USED} {rec}{g}")
                b.append(f"{act} {PROV_ASSOCIATED} {a.iri}{g}")
                b.append(f"{act} {PROV_STARTED} {ts(later, '09:00:00')}{g}")
                b.append(f"{act} {PROV_ENDED} {ts(later + 1, '16:00:00')}{g}")
                m.activities += 1
                modified = ts(later + 1, "16:00:00")
            else:
                modified = issued
        b.append(f"{rec} {DCT_MODIFIED} {modified}{g}")
        b.append(f"{ds} {DCT_MODIFIED} {modified}{g}")
        m.datasets += 1
        self.last_iri[top] = ds
        if len(b) > 4096:
            w.flush()

    # -- rules on one dataset ---------------------------------------------------------------
    def _judge(self, s: Spec) -> set[str]:
        """Evaluate every dataset-level rule on ``s``; planted rule ids are returned."""
        got: set[str] = set()
        j = self.w.judge
        top, ds = s.top, s.iri
        st = s.sharing
        restricted = st != ("UNCONDITIONAL",)
        rec = f"<{ID}record/{s.key}>"

        def hit(rule: str | None) -> None:
            if rule:
                got.add(rule)

        common = not s.class_code or not s.time_limit or s.mode is None or not st
        if common or not s.items_on:  # LN 8 adds responsible party and data items
            hit(j("R1", "LN", ds, top))
        if common:
            hit(j("R1", "SX", ds, top))
        if len(st) != 1:
            hit(j("R2", None, ds, top))
        if restricted and not s.basis:
            hit(j("R3", None, ds, top))
        if restricted and (not s.reason or not s.basis or s.determination != "dept"):
            hit(j("R4", "SX", ds, top))
        if "CONDITIONAL" in st and not s.cond_literal and s.policy != "assignee":
            hit(j("R5", "SX", ds, top))
        has_condition = s.cond_literal or s.policy == "assignee"
        if (s.mode is None and "NOT_SHARED" not in st) or ("UNCONDITIONAL" not in st and not has_condition):
            hit(j("R7", None, ds, top))
        for n, (fmt, conforms, paper) in enumerate(s.dists):
            d = f"<{ID}distribution/{s.key}-{n + 1}>"
            if paper or fmt not in STRUCTURED or not conforms:
                hit(j("R8", "LN", d, top))
            if paper:
                hit(j("R29", "SX", d, top))
        home = s.agency.home
        assert home and home.sharing and home.open
        if s.in_sharing and "NOT_SHARED" in st:
            hit(self.w.judge_once("R9", None, home.sharing.iri, top))
        if s.in_open and s.open == "NOT_OPEN":
            hit(self.w.judge_once("R9", None, home.open.iri, top))
        if s.status == "PUBLISHED" and s.review != "ok":
            hit(j("R10", None, rec, top))
        if s.status == "PUBLISHED" and not s.approval:
            hit(j("R11", "GY", rec, top))
        if s.untyped_item >= 0:
            hit(j("R15", None, f"<{ID}item/{s.key}-{s.untyped_item + 1}>", top))
        if s.two_sources >= 0:
            hit(j("R27", None, f"<{ID}item/{s.key}-{s.two_sources + 1}>", top))
        for scope in ("GY", "ZJ", "LN"):
            if s.agency.ptype not in T.ADMITTED_PROVIDER_TYPES[scope]:
                hit(j("R30", scope, ds, top))
        for n, it in enumerate(s.item_types):
            if it is None:
                hit(j("R31", None, f"<{ID}item/{s.key}-{n + 1}>", top))
        if st == ("UNCONDITIONAL",) and "NOT_SHARED" in s.item_types:
            hit(j("R31", None, ds, top))
        if ((s.personal or s.commercial) and ("UNCONDITIONAL" in st or s.open == "UNCONDITIONAL_OPEN")) or (
                s.classified and (s.in_sharing or s.in_open)):
            hit(j("R32", None, ds, top))
        if s.grade is None:
            hit(j("R33", "ZJ", ds, top))
        return got

    # -- anchors: datasets every jurisdiction has (and repeated collection points at) ---------
    def _anchors(self) -> None:
        world = self.world
        for n, top in enumerate(T.TOPS):
            market = world.top_agency(top, "market")
            police = world.top_agency(top, "public-security")
            assert market and police
            assignees = [world.top_agency(top, k) for k in ("civil-affairs", "hrss", "health", "housing")]
            self.month = 0  # the run loop starts in month 0 too and keeps these batches
            for k, (agency, els, sharing, extra) in enumerate((
                    (market, ("uscc", "enterprise-name", "registered-address", "establishment-date"),
                     ("UNCONDITIONAL",), {}),
                    (police, ("id-number", "person-name", "birth-date", "household-address"), ("CONDITIONAL",),
                     {"assignees": assignees}))):
                force = {"agency": agency, "elements": els, "sharing": sharing, "topic": 0, **extra}
                spec = self._decide(-(2 * n + k + 1), None, None, None, force)
                if sharing == ("CONDITIONAL",):
                    spec.policy, spec.assignees = "assignee", assignees  # type: ignore[assignment]
                self._emit(spec)
                assert not self._judge(spec)
                self.anchors[top]["unconditional" if k == 0 else "conditional"] = spec.iri

    # -- auxiliary resources ---------------------------------------------------------------------
    def _extras(self, s: Spec, aux: str | None) -> None:
        x = self.rng.random()
        top = s.top
        if aux in ("R12-GY", "R13-LN") or x < 0.04:
            self._trigger(s, planted=aux in ("R12-GY", "R13-LN"))
        if aux == "R16" or 0.04 <= x < 0.065:
            self._feedback(s, planted=aux == "R16")
        if aux in ("R26", "R28-SX") or 0.065 <= x < 0.098:
            self._collection(s, aux)
        if aux == "R25-ZJ" or (top == "ZJ" and 0.098 <= x < 0.13) or (top in ("LN", "SX") and 0.13 <= x < 0.134):
            self._project(s, planted=aux == "R25-ZJ")

    def _trigger(self, s: Spec, planted: bool, fixed: tuple[dt.date, int, str] | None = None) -> None:
        r = self.rng
        top = s.top
        home = s.agency.home
        assert home is not None
        self.counters["trigger"] += 1
        n = self.counters["trigger"]
        trig = f"<{ID}trigger/{n}>"
        if fixed:
            day, offset, ttype = fixed
        else:
            ttype = "LAW_REVISION" if planted or r.random() < 0.5 else (
                "FUNCTION_CHANGE" if r.random() < 0.8 else "SITUATION_CHANGE")
            if top == "LN" and r.random() < 0.5:
                day = r.choice(HOLIDAY_STARTS) - dt.timedelta(days=1 + int(r.random() * 12))
            else:
                day = DAY0 + dt.timedelta(days=4 + int(r.random() * ((dt.date(2025, 11, 15) - DAY0).days - 4)))
            if top == "GY":  # keep the 15th day a working day: no holiday roll-over question
                while not is_workday(gy_deadline(day)):
                    day -= dt.timedelta(days=1)
            offset = 0
        gy, ln = gy_deadline(day), ln_deadline(day)
        if fixed:
            end = (gy if top == "GY" else ln) + dt.timedelta(days=offset)
        elif ttype == "SITUATION_CHANGE":
            end = day + dt.timedelta(days=1 + int(r.random() * (min(gy, ln) - day).days))
        elif planted:
            end = (gy + dt.timedelta(days=1 + int(r.random() * 8)) if top == "GY"
                   else ln + dt.timedelta(days=1 + int(r.random() * 5)))
        elif top == "GY":
            end = gy if r.random() < 0.3 else day + dt.timedelta(days=1 + int(r.random() * 15))
        elif top == "LN":
            end = ln if r.random() < 0.3 else day + dt.timedelta(days=1 + int(r.random() * (ln - day).days))
        else:
            end = day + dt.timedelta(days=3 + int(r.random() * 38))
        assert end <= LAST, (day, end)
        t = self.w.t
        t(trig, A, GDS_TRIGGER)
        t(trig, P_TRIGGER_TYPE, concept("trigger-event-type", ttype))
        t(trig, PROV_AT_TIME, ts_date(day, "10:00:00"))
        t(trig, P_AFFECTS, home.iri)
        if ttype == "LAW_REVISION":
            t(trig, DCT_SOURCE, LEGISLATION[top] if r.random() < 0.5 else iri(vocab.REGULATIONS["cn-guofa-2016-51"]))
            t(trig, DCT_DESCRIPTION, zh("法规修订涉及目录调整"))
            t(trig, DCT_DESCRIPTION, en("A revised regulation requires the catalogue to be adjusted"))
        elif ttype == "FUNCTION_CHANGE":
            chg = f"<{ID}org-change/{n}>"
            t(chg, A, ORG_CHANGE_EVENT)
            t(chg, ORG_ORIGINAL_ORGANIZATION, s.agency.iri)
            t(chg, PROV_AT_TIME, ts_date(day, "10:00:00"))
            t(chg, DCT_DESCRIPTION, zh("机构职能调整"))
            t(chg, DCT_DESCRIPTION, en("Change of the agency's functions"))
            t(trig, DCT_SOURCE, chg)
            t(trig, DCT_DESCRIPTION, zh("职能调整涉及目录调整"))
            t(trig, DCT_DESCRIPTION, en("A change of functions requires the catalogue to be adjusted"))
        else:
            t(trig, DCT_DESCRIPTION, zh("经济社会形势变化涉及数据更新"))
            t(trig, DCT_DESCRIPTION, en("A change of circumstances requires the data to be updated"))
        rev = f"<{ID}activity/trigger-{n}-revision>"
        t(rev, A, GDS_REVISION)
        t(rev, PROV_INFORMED_BY, trig)
        t(rev, PROV_USED, home.iri)
        t(rev, PROV_ASSOCIATED, home.publisher.iri)
        t(rev, PROV_STARTED, ts_date(max(day, end - dt.timedelta(days=2)), "09:30:00"))
        t(rev, PROV_ENDED, ts_date(end, "16:30:00"))
        self.w.manifest.triggers += 1
        self.w.manifest.activities += 1
        got = set()
        if ttype != "SITUATION_CHANGE":
            if end > gy:
                got.add(self.w.judge("R12", "GY", trig, top))
            if end > ln:
                got.add(self.w.judge("R13", "LN", trig, top))
        got.discard(None)
        expect_late = planted or (fixed is not None and offset > 0)
        assert bool(got) == expect_late, (top, day, end, got)

    def _probes(self) -> None:
        """Deadline cases around the Spring Festival and National Day holidays, always present."""
        world = self.world
        cases = (
            # (top, trigger date, days after the deadline the revision ends)
            ("LN", dt.date(2025, 1, 24), 0),  # adjusted Sunday 26 Jan and Saturday 8 Feb count: 13 Feb on time
            ("LN", dt.date(2025, 1, 24), 1),  # 14 Feb: late
            ("LN", dt.date(2024, 9, 30), 3),  # adjusted Saturday 12 Oct counts: deadline 18 Oct; 21 Oct late
            ("LN", dt.date(2024, 2, 8), 0),  # Spring Festival 2024: deadline 28 Feb, on time
            ("LN", dt.date(2025, 9, 26), 1),  # adjusted Sun 28 Sep and Sat 11 Oct: deadline 16 Oct; 17 Oct late
            ("LN", dt.date(2023, 10, 3), 0),  # trigger during the holiday: deadline 18 Oct, on time
            ("LN", dt.date(2023, 1, 19), 0),  # on time on 7 Feb, after more than 15 calendar days
            ("GY", dt.date(2025, 1, 22), 0),  # 15 days across the Spring Festival: 6 Feb on time
            ("GY", dt.date(2025, 1, 22), 1),  # 7 Feb: late
            ("GY", dt.date(2025, 3, 3), 0),  # 18 Mar on time in GY, after LN's 10 working days
            ("GY", dt.date(2024, 9, 23), 0),  # across National Day: 8 Oct on time
        )
        for top, day, offset in cases:
            a = world.top_agency(top, "public-security")
            assert a
            spec = Spec()
            spec.agency, spec.top = a, top
            self._trigger(spec, planted=False, fixed=(day, offset, "LAW_REVISION"))

    def _feedback(self, s: Spec, planted: bool) -> None:
        r = self.rng
        top = s.top
        self.counters["feedback"] += 1
        n = self.counters["feedback"]
        fb = f"<{ID}feedback/{n}>"
        variant = ("no_status", "no_creator", "two_datasets")[n % 3] if planted else ""
        t = self.w.t
        t(fb, A, GDS_FEEDBACK)
        t(fb, P_CONCERNS, s.iri)
        if variant == "two_datasets":
            t(fb, P_CONCERNS, self.anchors[top]["unconditional"])
        if variant != "no_creator":
            creator = self._pick_agency(top, lambda x: x is not s.agency)
            t(fb, DCT_CREATOR, creator.iri)
        day = min(LAST_DAY, self.issued_day + 1 + int(r.random() * 120))
        t(fb, DCT_CREATED, ts(day, "11:20:00"))
        if variant != "no_status":
            t(fb, P_FEEDBACK_STATUS, FEEDBACK_TERMS[int(r.random() * len(FEEDBACK_TERMS))])
        t(fb, DCT_DESCRIPTION, zh("数据项内容与实际登记信息不一致，请核实"))
        t(fb, DCT_DESCRIPTION, en("A data item does not match the registered information; please verify"))
        self.w.manifest.feedback += 1
        if variant:
            assert self.w.judge("R16", None, fb, top) == "R16"

    def _collection(self, s: Spec, aux: str | None) -> None:
        r = self.rng
        top = s.top
        self.counters["collection"] += 1
        n = self.counters["collection"]
        act = f"<{ID}activity/collection-{n}>"
        collector = s.agency
        element = r.choice(list(T.COLLECTION_ONLY_ELEMENTS))
        repeated = False
        if aux == "R26":  # collects what another provider already shares (LN 15, SX 10, ZJ 12)
            if n % 2:
                collector = self.world.top_agency(top, "civil-affairs")  # an assignee of the population anchor
                element = "id-number"
            else:
                collector = self.world.top_agency(top, "transport")
                element = "uscc"  # offered unconditionally by the enterprise anchor
            repeated = True
        assert collector is not None
        x = r.random()
        if aux == "R28-SX":
            basis, consent = False, False
        elif aux == "R26":
            basis, consent = True, False
        else:
            basis = x < 0.7
            consent = 0.7 <= x < 0.95 or (top == "SX" and not basis)
        t = self.w.t
        t(act, A, GDS_COLLECTION)
        t(act, PROV_ASSOCIATED, collector.iri)
        t(act, P_COLLECTS, ELEMENT_IRI[element])
        t(act, P_CONSENT_OBTAINED, TRUE if consent else FALSE)
        if basis:
            t(act, DPV_LEGAL_BASIS, COLLECTION_BASIS[top])
        day = min(LAST_DAY - 1, self.issued_day + int(r.random() * 60))
        t(act, PROV_STARTED, ts(day, "09:00:00"))
        t(act, PROV_ENDED, ts(day + 1, "17:00:00"))
        self.w.manifest.collections += 1
        self.w.manifest.activities += 1
        got = set()
        if repeated:
            got.add(self.w.judge("R26", None, act, top))
        if not basis and not consent:
            got.add(self.w.judge("R28", "SX", act, top))
        got.discard(None)
        assert got == ({aux} if aux in ("R26", "R28-SX") else set()), (aux, got)

    def _project(self, s: Spec, planted: bool) -> None:
        r = self.rng
        top = s.top
        self.counters["project"] += 1
        n = self.counters["project"]
        prj = f"<{ID}project/{n}>"
        names = (("政务服务一网通办应用升级项目", "one-stop government service upgrade project"),
                 ("部门数据中台建设项目", "departmental data platform project"),
                 ("业务专网改造项目", "business private network renovation project"),
                 ("智慧监管系统建设项目", "smart supervision system project"))
        pzh, pen = names[n % len(names)]
        flags = [False] * 5
        consent = None
        x = r.random()
        if planted or top != "ZJ":  # approved although a condition of ZJ 12 fails, without consent
            status = "approved"
            flags[n % 5] = True
        elif x < 0.6:
            status = "approved"
            if r.random() < 0.25:  # (1)/(2) with the designated department's consent
                flags[int(r.random() * 2)] = True
                consent = self.world.top_jur(top).data
        elif x < 0.85:
            status = "pending"
            flags = [r.random() < 0.2 for _ in range(5)]
        else:
            status = "refused"
            flags[int(r.random() * 5)] = True
        t = self.w.t
        a = s.agency
        t(prj, A, GDS_PROJECT)
        t(prj, DCT_TITLE, zh(f"{a.zh}{pzh}"))
        t(prj, DCT_TITLE, en(f"{a.en} {pen}"))
        t(prj, DCT_PUBLISHER, a.iri)
        t(prj, P_APPROVAL_STATUS, plain(status))
        for p, f in zip(PROJECT_FLAGS, flags, strict=True):
            t(prj, p, TRUE if f else FALSE)
        if consent:
            t(prj, P_CONSENT_BY, consent.iri)
        t(prj, DCT_CREATED, typed(DAYS[min(LAST_DAY, self.issued_day)], "date"))
        self.w.manifest.projects += 1
        got = None
        if status == "approved" and any(flags) and consent is None:
            got = self.w.judge("R25", "ZJ", prj, top)
        assert (got == "R25-ZJ") == planted


def _pick_top(x: float) -> int:
    """GY 25 %, ZJ 30 %, LN 25 %, SX 20 % of the datasets."""
    return 0 if x < 0.25 else 1 if x < 0.55 else 2 if x < 0.8 else 3


def _authority(world: World, publisher: Agency, element: str) -> Agency:
    """The one authoritative source of an element (rule 27): the top-level agency of the
    element's authority kind in the publisher's jurisdiction, else the publisher."""
    kind = T.ELEMENTS[element][4]
    top = publisher.top or ""
    if kind == "licence":
        kind = "business-environment" if top == "LN" else "data"
    if kind == "self":
        return publisher
    return world.top_agency(top, kind) or publisher
