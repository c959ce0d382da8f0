"""The fixed part of the demo graph: jurisdictions, agencies, platforms, information
systems and catalogues.  Its size depends on the tables, not on the number of datasets;
only the number of fixed resources planted with a defect grows (slowly) with it.

Every rule on these resources is evaluated here by one function per rule family, for
every resource under one of the four jurisdictions; :meth:`Writer.judge` turns each
violation into a planted entry (rule applies there) or a decoy (it does not).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from govkg import vocab

from . import tables as T
from .terms import (
    DCAT_CATALOG,
    DCAT_DATASERVICE,
    DCAT_ENDPOINT_URL,
    DCAT_SERVICE,
    DCAT_THEME,
    DCT_CONTRIBUTOR,
    DCT_CREATED,
    DCT_IS_PART_OF,
    DCT_ISSUED,
    DCT_MODIFIED,
    DCT_PUBLISHER,
    DCT_STANDARD,
    DCT_TITLE,
    ELI_IS_PART_OF,
    ELI_LEGAL_RESOURCE,
    ELI_SUBDIVISION,
    FOAF_NAME,
    GDS_AGENCY,
    GDS_APPROVAL,
    GDS_DATA_DEPARTMENT,
    GDS_DATA_ELEMENT,
    GDS_JURISDICTION,
    GDS_OPERATOR,
    GDS_PEOPLES_GOVERNMENT,
    GDS_PLATFORM,
    GDS_STATIONED,
    GDS_SYSTEM,
    ORG_CLASSIFICATION,
    ORG_ORGANIZATION,
    ORG_SUB_ORGANIZATION_OF,
    P_ADMIN_LEVEL,
    P_APPROVED_BY,
    P_BASED_ON,
    P_BASIC_RESOURCE,
    P_CATALOG_TYPE,
    P_CO_MAINTAINER,
    P_COMPETENT,
    P_CONNECTS_TO,
    P_EXCEPTION,
    P_GOVERNMENT,
    P_INTEGRATED_INTO,
    P_INTERCONNECTED,
    P_JURISDICTION,
    P_LEAD,
    P_MIGRATED_TO,
    P_NOTATION,
    P_PART_OF_JURISDICTION,
    P_PLATFORM_TYPE,
    P_RESOURCE_ATTRIBUTE,
    P_RUNS_ON,
    P_SECRECY,
    PROV_ASSOCIATED,
    PROV_ENDED,
    PROV_STARTED,
    PROV_USED,
    SKOS_CONCEPT,
    SKOS_PREF_LABEL,
    VCARD_FN,
    VCARD_HAS_EMAIL,
    VCARD_ORGANIZATION,
    A,
    concept,
    en,
    idt,
    iri,
    plain,
    typed,
    zh,
)
from .writer import Writer

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc(prefix: str, division: str, serial: int) -> str:
    """A well-formed unified social credit code (GB 32100 check character) for a demo organisation."""
    body = f"{prefix}{division[:6]}{(serial * 7919 + 104729) % 10**9:09d}"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def dt(day: str, time: str = "09:00:00") -> str:
    return typed(f"{day}T{time}+08:00", "dateTime")


class Jur:
    __slots__ = ("code", "zh", "en", "adj", "level", "parent", "top", "iri", "agencies", "data", "gov",
                 "competent", "cats", "sharing_platform", "cloud")

    def __init__(self, code: str, zh_: str, en_: str, adj: str, level: str, parent: Jur | None) -> None:
        self.code, self.zh, self.en, self.adj, self.level, self.parent = code, zh_, en_, adj, level, parent
        self.iri = iri(str(vocab.jurisdiction(code)))
        self.top: str | None = None
        self.agencies: dict[str, Agency] = {}
        self.data: Agency | None = None
        self.gov: Agency | None = None
        self.competent: list[Agency] = []
        self.cats: dict[str, Catalog] = {}
        self.sharing_platform: Platform | None = None
        self.cloud: Platform | None = None


class Agency:
    __slots__ = ("key", "iri", "kind", "jur", "zh", "en", "ptype", "cls", "top", "level", "plant_only", "notation",
                 "contact", "home", "weight")

    def __init__(self, key: str, kind: str, jur: Jur, zh_: str, en_: str, ptype: str, cls: str | None,
                 plant_only: bool = False) -> None:
        self.key, self.kind, self.jur, self.zh, self.en, self.ptype, self.cls = key, kind, jur, zh_, en_, ptype, cls
        self.iri = idt(f"agency/{key}")
        self.top = jur.top
        self.level = jur.level
        self.plant_only = plant_only
        self.notation = ""
        self.contact = idt(f"contact/{key}")
        self.home: Catalog | None = None  # the catalogue that lists its datasets and records
        self.weight = T.KIND_WEIGHT.get(kind, 0.5)


class Platform:
    __slots__ = ("key", "iri", "zh", "en", "ptype", "publisher", "connects", "inter", "based_on", "migrated_to",
                 "integrated_into", "exception", "approved_by", "created")

    def __init__(self, key: str, zh_: str, en_: str, ptype: str, publisher: Agency, created: str) -> None:
        self.key, self.zh, self.en, self.ptype, self.publisher, self.created = key, zh_, en_, ptype, publisher, created
        self.iri = idt(f"platform/{key}")
        self.connects: list[Platform] = []
        self.inter: list[Platform] = []
        self.based_on: Platform | None = None
        self.migrated_to: Platform | None = None
        self.integrated_into: Platform | None = None
        self.exception = False
        self.approved_by: Agency | None = None

    @property
    def level(self) -> str:
        return self.publisher.level

    @property
    def top(self) -> str | None:
        return self.publisher.top


class System:
    __slots__ = ("key", "iri", "zh", "en", "publisher", "connects", "runs_on", "classified")

    def __init__(self, key: str, zh_: str, en_: str, publisher: Agency) -> None:
        self.key, self.zh, self.en, self.publisher = key, zh_, en_, publisher
        self.iri = idt(f"system/{key}")
        self.connects: list[Platform] = []
        self.runs_on: list[Platform] = []
        self.classified = False


class Catalog:
    __slots__ = ("key", "iri", "zh", "en", "publisher", "ctype", "attr", "basic", "theme", "lead", "co",
                 "contributors", "part_of", "service", "approval", "jur_level", "sharing", "open")

    def __init__(self, key: str, zh_: str, en_: str, publisher: Agency, ctype: str, attr: str | None = None) -> None:
        self.key, self.zh, self.en, self.publisher, self.ctype, self.attr = key, zh_, en_, publisher, ctype, attr
        self.iri = idt(f"catalog/{key}")
        self.basic: str | None = None
        self.theme: str | None = None
        self.lead: Agency | None = None
        self.co: Agency | None = None
        self.contributors: list[Agency] = []
        self.part_of: Catalog | None = None
        self.service: Platform | None = None
        self.approval: Agency | None = None  # the agent of its Approval activity
        self.jur_level = False  # one of the three catalogues of a jurisdiction (GY 11)
        self.sharing: Catalog | None = None  # for a home catalogue: where shared datasets go
        self.open: Catalog | None = None

    @property
    def top(self) -> str | None:
        return self.publisher.top


class World:
    """Builds the fixed resources, plants their defects, writes them, judges them."""

    def __init__(self, w: Writer, rng: random.Random, n_datasets: int) -> None:
        self.w = w
        self.rng = rng
        # fixed resources planted with a defect: at least one of each, slowly more
        self.fixed_n = 1 + n_datasets // 20000
        self.jurs: dict[str, Jur] = {}
        self.agencies: list[Agency] = []
        self.platforms: list[Platform] = []
        self.systems: list[System] = []
        self.catalogs: list[Catalog] = []
        self.pool: dict[str, tuple[list[Agency], list[float]]] = {}
        self.plant_only: dict[str, Agency] = {}
        self.basic: dict[str, dict[str, Catalog]] = {t: {} for t in T.TOPS}
        self.thematic: dict[str, dict[str, Catalog]] = {t: {} for t in T.TOPS}
        self.standard: dict[str, str] = {}
        self.sx_missing_basic = ""
        self.township_plants: list[Jur] = []
        self._serial = 0

    # -- helpers ------------------------------------------------------------------------
    def top_jur(self, top: str) -> Jur:
        return self.jurs[T.TOP_CODE[top]]

    def top_agency(self, top: str, kind: str) -> Agency | None:
        return self.top_jur(top).agencies.get(kind)

    # -- build ----------------------------------------------------------------------------
    def build(self) -> None:
        self._jurisdictions()
        self._agencies()
        self._platforms()
        self._systems()
        self._catalogs()
        self._pools()

    def _jurisdictions(self) -> None:
        tops_by_code = {code: top for top, code in T.TOP_CODE.items()}
        for code, zh_, en_, adj, level, parent in T.JURISDICTIONS:
            j = Jur(code, zh_, en_, adj, level, self.jurs[parent] if parent else None)
            j.top = tops_by_code.get(code) or (j.parent.top if j.parent else None)
            self.jurs[code] = j

    def _agency(self, key: str, kind: str, jur: Jur, zh_: str, en_: str, ptype: str, cls: str | None,
                plant_only: bool = False) -> Agency:
        a = Agency(key, kind, jur, zh_, en_, ptype, cls, plant_only)
        self._serial += 1
        prefix = {"ADMINISTRATIVE_ORGAN": "11", "SOCIAL_ORGANISATION": "51"}.get(ptype, "91")
        a.notation = uscc(prefix, jur.code, self._serial)
        jur.agencies[kind] = a
        self.agencies.append(a)
        return a

    def _agencies(self) -> None:
        for j in self.jurs.values():
            if j.level == "STATE":
                j.data = self._agency(f"{j.code}-data", "data", j, "国家数据局", "National Data Administration",
                                      "ADMINISTRATIVE_ORGAN", GDS_DATA_DEPARTMENT)
                j.gov = self._agency(f"{j.code}-government", "government", j, "国务院", "State Council",
                                     "ADMINISTRATIVE_ORGAN", GDS_PEOPLES_GOVERNMENT)
            elif j.top is None:  # Guizhou province
                j.data = self._agency(f"{j.code}-data", "data", j, "贵州省大数据发展管理局",
                                      "Guizhou Provincial Big Data Development Administration",
                                      "ADMINISTRATIVE_ORGAN", GDS_DATA_DEPARTMENT)
                j.gov = self._agency(f"{j.code}-government", "government", j, "贵州省人民政府",
                                     "Guizhou Provincial People's Government", "ADMINISTRATIVE_ORGAN",
                                     GDS_PEOPLES_GOVERNMENT)
            else:
                j.gov = self._agency(f"{j.code}-government", "government", j, f"{j.zh}人民政府",
                                     f"{j.adj} People's Government", "ADMINISTRATIVE_ORGAN", GDS_PEOPLES_GOVERNMENT)
                if j.level == "TOWNSHIP":
                    continue
                dzh, den = T.DATA_DEPARTMENT_NAMES[j.top]
                j.data = self._agency(f"{j.code}-data", "data", j, f"{j.zh}{dzh}", f"{j.adj} {den}",
                                      "ADMINISTRATIVE_ORGAN", GDS_DATA_DEPARTMENT)
                kinds = T.COUNTY_KINDS if j.level == "COUNTY" else T.UPPER_KINDS
                if j.top == "LN" and j.level != "COUNTY":
                    kinds = kinds + T.LN_ONLY_KINDS
                for kind in kinds:
                    pzh, czh, pen, cen = T.DEPARTMENT_NAMES[kind]
                    upper = j.level == "PROVINCE"
                    self._agency(f"{j.code}-{kind}", kind, j, j.zh + (pzh if upper else czh),
                                 f"{j.adj} {pen if upper else cen}", "ADMINISTRATIVE_ORGAN", None)
        for suffix, code, kind, ptype, zh_, en_, plant_only in T.SPECIAL_PROVIDERS:
            j = self.jurs[code]
            cls = GDS_OPERATOR if ptype in T.OPERATOR_TYPES else GDS_STATIONED if ptype in T.STATIONED_TYPES else None
            a = self._agency(f"{code}-{suffix}", kind, j, zh_, en_, ptype, cls, plant_only)
            if plant_only:
                self.plant_only[j.top or ""] = a
        # competent departments (rule 34): the data department; a township relies on
        # its county's.  A few townships are planted without one.
        townships = [j for j in self.jurs.values() if j.level == "TOWNSHIP"]
        self.township_plants = self.rng.sample(townships, min(len(townships) - 1, self.fixed_n))
        for j in self.jurs.values():
            if j.level == "TOWNSHIP":
                if j not in self.township_plants:
                    assert j.parent is not None and j.parent.data is not None
                    j.competent = [j.parent.data]
            else:
                assert j.data is not None
                j.competent = [j.data]

    def _platform(self, key: str, zh_: str, en_: str, ptype: str, publisher: Agency, created: str) -> Platform:
        p = Platform(key, zh_, en_, ptype, publisher, created)
        self.platforms.append(p)
        return p

    def _platforms(self) -> None:
        cn, gz = self.jurs["000000"], self.jurs["520000"]
        assert cn.data and gz.data
        national = self._platform("cn-sharing", "国家数据共享交换平台", "National Data Sharing and Exchange Platform",
                                  "SHARING_PLATFORM", cn.data, "2017-06-30")
        self._platform("cn-online-service", "全国一体化政务服务平台",
                       "National Integrated Online Government Service Platform", "ONLINE_SERVICE_PLATFORM", cn.data,
                       "2019-05-31")
        gz_sharing = self._platform("gz-sharing", "贵州省政务数据共享交换平台",
                                    "Guizhou Government Data Sharing and Exchange Platform", "SHARING_PLATFORM",
                                    gz.data, "2016-09-01")
        gz_open = self._platform("gz-open", "贵州省政府数据开放平台", "Guizhou Government Data Open Platform",
                                 "OPEN_PLATFORM", gz.data, "2016-09-01")
        gz_cloud = self._platform("gz-cloud", "云上贵州", "Cloud Guizhou", "GOVERNMENT_CLOUD", gz.data, "2014-10-15")
        gz_sharing.connects.append(national)
        gz_sharing.inter.append(national)
        # Guiyang (GY 9): sharing and open platforms, the Guiyang sub-platform of Cloud
        # Guizhou, all interconnected with the State's and Guizhou's platforms.
        gy = self.jurs["520100"]
        assert gy.data
        gy_sharing = self._platform("gy-sharing", "贵阳市政府数据共享交换平台",
                                    "Guiyang Government Data Sharing and Exchange Platform", "SHARING_PLATFORM",
                                    gy.data, "2017-05-01")
        gy_open = self._platform("gy-open", "贵阳市政府数据开放平台", "Guiyang Government Data Open Platform",
                                 "OPEN_PLATFORM", gy.data, "2017-05-01")
        gy_cloud = self._platform("gy-cloud", "云上贵州贵阳分平台", "Cloud Guizhou Guiyang Sub-platform",
                                  "GOVERNMENT_CLOUD", gy.data, "2016-03-01")
        gy_sharing.connects.append(gz_sharing)
        gy_sharing.inter += [national, gz_sharing]
        gy_open.inter += [national, gz_open]
        gy_cloud.connects.append(gz_cloud)
        gy_cloud.inter += [national, gz_cloud]
        gy.sharing_platform, gy.cloud = gy_sharing, gy_cloud
        victim = self.rng.choice((gy_sharing, gy_open, gy_cloud))  # R24-GY: loses its State interconnection
        victim.inter.remove(national)

        # Zhejiang (ZJ 9, 10): provincial public data platform, the unified channel,
        # municipal platforms, county platforms built on the municipal ones.
        zj = self.jurs["330000"]
        assert zj.data
        zj_prov = self._platform("zj-public-data", "浙江省公共数据平台", "Zhejiang Public Data Platform",
                                 "SHARING_PLATFORM", zj.data, "2018-12-01")
        zj_prov.inter.append(national)
        zj_prov.connects.append(national)
        zj.sharing_platform = zj_prov
        channel = self._platform("zj-unified-channel", "浙江省公共数据共享开放统一通道",
                                 "Zhejiang Unified Public Data Sharing and Opening Channel", "UNIFIED_CHANNEL",
                                 zj.data, "2019-10-01")
        for j in self.jurs.values():
            if j.top != "ZJ" or j.level not in ("MUNICIPAL", "COUNTY"):
                continue
            assert j.data and j.parent
            p = self._platform(f"{j.code}-public-data", f"{j.zh}公共数据平台", f"{j.en} Public Data Platform",
                               "SHARING_PLATFORM", j.data, "2020-06-30" if j.level == "MUNICIPAL" else "2021-09-30")
            j.sharing_platform = p
            if j.level == "MUNICIPAL":
                p.connects.append(zj_prov)
            elif j.code == "331181":  # Longquan: built separately, with justification and approval
                p.exception = True
                p.approved_by = zj.data
            else:
                assert j.parent.sharing_platform
                p.based_on = j.parent.sharing_platform
        counties = [p for p in self.platforms if p.top == "ZJ" and p.level == "COUNTY" and not p.exception]
        for n, p in enumerate(self.rng.sample(counties, min(len(counties), self.fixed_n))):
            p.based_on = None  # R22-ZJ
            if n % 2:
                p.exception = True  # justified, but nobody approved it
        channels = (
            ("330000-transport", "浙江省交通运输厅数据开放专栏", "Zhejiang Department of Transport open data column",
             "OPEN_PLATFORM", "2020-06-01"),
            ("330100-health", "杭州市卫生健康委员会数据服务门户", "Hangzhou Health Commission data service portal",
             "OPEN_PLATFORM", "2019-09-01"),
            ("330200-market", "宁波市市场监督管理局企业数据查询通道",
             "Ningbo market regulation enterprise data channel",
             "SHARING_PLATFORM", "2021-03-01"),
            ("330300-ecology-environment", "温州市生态环境局环境数据开放栏目",
             "Wenzhou ecology and environment open data column",
             "OPEN_PLATFORM", "2021-11-01"),
            ("330000-hrss", "浙江省人力资源和社会保障厅数据共享接口",
             "Zhejiang Department of Human Resources and Social Security data sharing interface", "SHARING_PLATFORM",
             "2020-01-15"),
        )
        zj_channels = []
        for akey, zh_, en_, ptype, created in channels:
            owner = next(a for a in self.agencies if a.key == akey)
            p = self._platform(f"{akey}-channel", zh_, en_, ptype, owner, created)
            p.integrated_into = channel
            zj_channels.append(p)
        for n, p in enumerate(self.rng.sample(zj_channels, min(len(zj_channels), self.fixed_n))):
            if n % 2:
                p.created = f"2023-{3 + n:02d}-15"  # R23-ZJ: a new channel, after ZJ took effect
            else:
                p.integrated_into = None  # R23-ZJ: never integrated

        # Liaoning (LN 13, 14): provincial platform and cloud; municipal platforms
        # connect to the provincial one; county and township platforms migrated.
        ln = self.jurs["210000"]
        assert ln.data
        ln_prov = self._platform("ln-sharing", "辽宁省政务数据共享交换平台",
                                 "Liaoning Government Data Sharing and Exchange Platform", "SHARING_PLATFORM",
                                 ln.data, "2018-06-30")
        ln_prov.connects.append(national)
        ln_prov.inter.append(national)
        ln.sharing_platform = ln_prov
        ln.cloud = self._platform("ln-cloud", "辽宁省电子政务云平台", "Liaoning E-Government Cloud", "GOVERNMENT_CLOUD",
                                  ln.data, "2019-01-01")
        for j in self.jurs.values():
            if j.top != "LN" or j.level == "PROVINCE":
                continue
            if j.level == "MUNICIPAL":
                assert j.data
                p = self._platform(f"{j.code}-sharing", f"{j.zh}政务数据共享交换平台",
                                   f"{j.en} Government Data Sharing and Exchange Platform", "SHARING_PLATFORM",
                                   j.data, "2019-06-30")
                p.connects.append(ln_prov)
                j.sharing_platform = p
                j.cloud = self._platform(f"{j.code}-cloud", f"{j.zh}电子政务云", f"{j.en} E-Government Cloud",
                                         "GOVERNMENT_CLOUD", j.data, "2019-12-31")
            else:
                city = j.parent if j.level == "COUNTY" else j.parent.parent  # type: ignore[union-attr]
                assert city and city.sharing_platform
                owner = j.data or j.gov
                assert owner
                p = self._platform(f"{j.code}-sharing", f"{j.zh}数据共享平台", f"{j.en} Data Sharing Platform",
                                   "SHARING_PLATFORM", owner, "2017-08-01")
                p.migrated_to = city.sharing_platform
        ln_targets = [p for p in self.platforms if p.top == "LN" and p.ptype == "SHARING_PLATFORM"
                      and p.level in ("MUNICIPAL", "COUNTY", "TOWNSHIP")]
        for p in self.rng.sample(ln_targets, min(len(ln_targets), self.fixed_n)):
            p.connects.clear()  # R20-LN
            p.migrated_to = None
        for akey, zh_, en_, created in (
            ("210000-transport", "辽宁省交通运输厅数据开放栏目", "Liaoning Department of Transport open data column",
             "2023-04-01"),
            ("210100-health", "沈阳市卫生健康委员会数据服务平台", "Shenyang Health Commission data service platform",
             "2024-03-01"),
        ):
            owner = next(a for a in self.agencies if a.key == akey)
            self._platform(f"{akey}-portal", zh_, en_, "OPEN_PLATFORM", owner, created)

        # Shanxi (SX 6, 9): two-tier government cloud; provincial sharing and open platforms.
        sx = self.jurs["140000"]
        assert sx.data
        sx_prov = self._platform("sx-sharing", "山西省政务数据共享交换平台",
                                 "Shanxi Government Data Sharing and Exchange Platform", "SHARING_PLATFORM",
                                 sx.data, "2018-10-01")
        sx_prov.connects.append(national)
        sx_prov.inter.append(national)
        sx_open = self._platform("sx-open", "山西省公共数据开放平台", "Shanxi Public Data Open Platform",
                                 "OPEN_PLATFORM", sx.data, "2021-06-01")
        sx_open.inter.append(national)
        sx.sharing_platform = sx_prov
        sx.cloud = self._platform("sx-cloud", "山西省政务云平台", "Shanxi Government Cloud", "GOVERNMENT_CLOUD",
                                  sx.data, "2018-01-01")
        sx.cloud.inter.append(national)
        city_clouds = []
        for j in self.jurs.values():
            if j.top == "SX" and j.level == "MUNICIPAL":
                assert j.data
                j.cloud = self._platform(f"{j.code}-cloud", f"{j.zh}政务云平台", f"{j.en} Government Cloud",
                                         "GOVERNMENT_CLOUD", j.data, "2020-06-30")
                j.cloud.connects.append(sx.cloud)
                city_clouds.append(j.cloud)
        for p in self.rng.sample(city_clouds, min(len(city_clouds), self.fixed_n)):
            p.connects.clear()  # R24-SX
        owner = next(a for a in self.agencies if a.key == "140100-transport")
        self._platform("140100-transport-portal", "太原市交通运输局数据开放专栏",
                       "Taiyuan Transport Bureau open data column", "OPEN_PLATFORM", owner, "2023-08-01")

    def _systems(self) -> None:
        names = {
            "public-security": ("人口信息管理系统", "population information system"),
            "market": ("市场主体登记系统", "market entity registration system"),
            "hrss": ("社会保险业务系统", "social insurance business system"),
            "health": ("全民健康信息平台", "population health information platform"),
            "transport": ("交通运输综合管理系统", "integrated transport management system"),
            "natural-resources": ("不动产登记系统", "real estate registration system"),
        }
        plan = (
            ("210000", ("public-security", "market", "hrss", "health", "transport", "natural-resources")),
            ("210100", ("public-security", "market", "health")),
            ("210200", ("market", "hrss", "transport")),
            ("210300", ("market", "health")),
            ("520100", ("market", "health")),
            ("520102", ("market",)),
            ("520115", ("health",)),
            ("140000", ("market", "hrss")),
            ("330106", ("market",)),
            ("330212", ("health",)),
        )
        for code, kinds in plan:
            j = self.jurs[code]
            for kind in kinds:
                a = j.agencies[kind]
                zh_, en_ = names[kind]
                s = System(f"{code}-{kind}", f"{a.zh}{zh_}", f"{a.en} {en_}", a)
                city = j if j.level != "COUNTY" else j.parent
                assert city
                platform = j.sharing_platform or city.sharing_platform or self.top_jur(a.top or "").sharing_platform
                if platform:
                    s.connects.append(platform)
                cloud = j.cloud or city.cloud or self.top_jur(a.top or "").cloud
                if cloud:
                    s.runs_on.append(cloud)
                self.systems.append(s)
        secret = System("210000-public-security-classified", "辽宁省公安厅警务综合平台",
                        "Liaoning Department of Public Security integrated policing platform",
                        self.jurs["210000"].agencies["public-security"])
        secret.classified = True  # outside LN 14: classified systems need not connect
        self.systems.append(secret)
        ln_city = [s for s in self.systems if s.publisher.top == "LN" and s.publisher.level == "MUNICIPAL"]
        ln = self.jurs["210000"]
        for n, s in enumerate(self.rng.sample(ln_city, min(len(ln_city), self.fixed_n))):  # R21-LN
            variant = n % 3
            if variant == 0:
                s.connects = [ln.sharing_platform]  # type: ignore[list-item]  # the provincial platform
            elif variant == 1:
                other = next(j for j in self.jurs.values() if j.top == "LN" and j.level == "MUNICIPAL"
                             and j is not s.publisher.jur)
                s.runs_on = [other.cloud]  # type: ignore[list-item]  # another city's cloud
            else:
                s.connects = []

    def _catalog(self, key: str, zh_: str, en_: str, publisher: Agency, ctype: str, attr: str | None = None) -> Catalog:
        c = Catalog(key, zh_, en_, publisher, ctype, attr)
        gov = publisher.jur.gov
        c.approval = gov
        self.catalogs.append(c)
        return c

    def _catalogs(self) -> None:
        ctypes = (("resource", "RESOURCE_CATALOG", "政务数据资源目录", "government data resource catalogue"),
                  ("sharing", "SHARING_CATALOG", "政务数据共享目录", "government data sharing catalogue"),
                  ("open", "OPEN_CATALOG", "公共数据开放目录", "public data open catalogue"))
        for j in self.jurs.values():
            if j.top is None or j.level == "TOWNSHIP":
                continue
            assert j.data
            for short, ctype, zh_, en_ in ctypes:
                c = self._catalog(f"{j.code}-{short}", f"{j.zh}{zh_}", f"{j.en} {en_}", j.data, ctype)
                c.jur_level = True
                if j.parent is not None and j.parent.top == j.top:
                    c.part_of = j.parent.cats[short]
                if short == "sharing" and j.sharing_platform:
                    c.service = j.sharing_platform
                j.cats[short] = c
            j.cats["resource"].sharing = j.cats["sharing"]
            j.cats["resource"].open = j.cats["open"]
        for a in self.agencies:
            j = a.jur
            if a.top is None or j.level == "TOWNSHIP":
                continue
            if j.level == "COUNTY":
                a.home = j.cats["resource"]
                continue
            c = self._catalog(a.key, f"{a.zh}政务数据资源目录", f"Data resource catalogue of the {a.en}", a,
                              "RESOURCE_CATALOG", "DEPARTMENT")
            c.part_of = j.cats["resource"]
            c.sharing, c.open = j.cats["sharing"], j.cats["open"]
            a.home = c
        # basic catalogues (LN 11, SX 9, GY implementation opinions)
        sx_resources = list(T.BASIC_CATALOGUES["SX"])
        self.sx_missing_basic = self.rng.choice(sx_resources)  # R18-SX: one of the six is missing
        for top, leads in T.BASIC_CATALOGUES.items():
            tj = self.top_jur(top)
            assert tj.data
            for res, lead_kind in leads.items():
                if top == "SX" and res == self.sx_missing_basic:
                    continue
                zh_, en_, slug = T.BASIC_RESOURCE_NAMES[res]
                if top == "SX":  # compiled by the information management department with the relevant one
                    lead, co = tj.data, tj.agencies[lead_kind]
                else:
                    lead = tj.agencies[lead_kind]
                    co = tj.data if lead is not tj.data else tj.agencies["market"]
                c = self._catalog(f"{tj.code}-basic-{slug}", f"{tj.zh}{zh_}", f"{tj.en} {en_}", lead,
                                  "RESOURCE_CATALOG", "BASIC")
                c.basic, c.lead, c.co = res, lead, co
                c.part_of = tj.cats["resource"]
                c.sharing, c.open = tj.cats["sharing"], tj.cats["open"]
                self.basic[top][res] = c
        ln_basic = list(self.basic["LN"].values())
        for c in self.rng.sample(ln_basic, min(len(ln_basic), 1 + self.fixed_n // 5)):
            c.lead = self.jurs["210000"].data  # R17-LN: the data department named as lead
        # thematic catalogues (LN 11, SX 9)
        themed: list[Catalog] = []
        for code, themes in T.THEMATIC_CATALOGUES:
            j = self.jurs[code]
            assert j.top and j.data
            for theme in themes:
                tzh, ten = T.THEME_NAMES[theme]
                lead = j.agencies[T.THEME_LEAD[theme]]
                c = self._catalog(f"{code}-theme-{theme.lower().replace('_', '-')}", f"{j.zh}{tzh}主题信息资源目录",
                                  f"{j.en} thematic catalogue: {ten}", lead, "RESOURCE_CATALOG", "THEMATIC")
                c.theme, c.lead = theme, lead
                c.contributors = [j.agencies[k] for k in T.THEME_CONTRIBUTORS[theme] if k in j.agencies][:3]
                if j.top == "LN":
                    c.co = j.data
                c.part_of = j.cats["resource"]
                c.sharing, c.open = j.cats["sharing"], j.cats["open"]
                if j.parent is None or j.parent.top != j.top:  # top-level: datasets join it by theme
                    self.thematic[j.top][theme] = c
                themed.append(c)
        lnsx = [c for c in themed if c.top in ("LN", "SX")]
        for n, c in enumerate(self.rng.sample(lnsx, min(len(lnsx), self.fixed_n))):  # R19
            if n % 2:
                c.lead = None
            else:
                c.contributors = c.contributors[:1]
        # GY 11: catalogues approved by the same-level government; district catalogues
        # part of the municipal ones.  Planted: missing or wrong approval, missing link.
        gy = [c for c in self.catalogs if c.top == "GY"]
        gy_county = [c for c in gy if c.jur_level and c.publisher.level == "COUNTY"]
        for n in range(self.fixed_n):
            variant = n % 3
            if variant == 2:
                self.rng.choice(gy_county).part_of = None
            else:
                c = self.rng.choice(gy)
                c.approval = None if variant == 0 else c.publisher.jur.data
        # decoys: the same defects outside Guiyang
        zj_county = [c for c in self.catalogs if c.top == "ZJ" and c.jur_level and c.publisher.level == "COUNTY"]
        self.rng.choice(zj_county).part_of = None
        ln_dept = [c for c in self.catalogs if c.top == "LN" and c.attr == "DEPARTMENT"]
        self.rng.choice(ln_dept).approval = None

    def _pools(self) -> None:
        for top in T.TOPS:
            members = [a for a in self.agencies if a.top == top and not a.plant_only and a.home is not None]
            cum, total = [], 0.0
            for a in members:
                level_w = {"PROVINCE": 1.0, "MUNICIPAL": 0.45, "COUNTY": 0.3}[a.level]
                if top == "GY":
                    level_w = {"MUNICIPAL": 1.2, "COUNTY": 0.35}[a.level]
                total += a.weight * level_w
                cum.append(total)
            self.pool[top] = (members, cum)

    # -- write ------------------------------------------------------------------------------
    def write(self) -> None:
        self._write_legislation()
        self._write_elements()
        for j in self.jurs.values():
            self._write_jurisdiction(j)
        for a in self.agencies:
            self._write_agency(a)
        for p in self.platforms:
            self._write_platform(p)
        for s in self.systems:
            self._write_system(s)
        for c in self.catalogs:
            self._write_catalog(c)
        self._judge_fixed()
        m = self.w.manifest
        m.jurisdictions, m.agencies, m.platforms = len(self.jurs), len(self.agencies), len(self.platforms)
        m.systems, m.catalogues = len(self.systems), len(self.catalogs)

    def _write_legislation(self) -> None:
        """Type the legal resources the demo cites, so ``sh:class eli:LegalResource`` holds."""
        t = self.w.t
        articles = {(k, n) for bases in T.LEGAL_BASES.values() for k, n in bases}
        articles |= set(T.COLLECTION_BASES.values())
        for key in sorted(vocab.REGULATIONS):
            t(iri(vocab.REGULATIONS[key]), A, ELI_LEGAL_RESOURCE)
        for key, n in sorted(articles):
            art = iri(str(vocab.article(key, n)))
            t(art, A, ELI_SUBDIVISION)
            t(art, A, ELI_LEGAL_RESOURCE)
            t(art, ELI_IS_PART_OF, iri(vocab.REGULATIONS[key]))
        for top in T.TOPS:
            tj = self.top_jur(top)
            s = idt(f"standard/{tj.code}-government-data-technical-specification")
            self.standard[top] = s
            t(s, A, DCT_STANDARD)
            t(s, DCT_TITLE, zh(f"{tj.zh}政务数据资源技术规范"))
            t(s, DCT_TITLE, en(f"{tj.en} technical specification for government data resources"))

    def _write_elements(self) -> None:
        t = self.w.t
        for n, (key, (zh_, en_, *_)) in enumerate(
                list(T.ELEMENTS.items()) + [(k, (z, e)) for k, (z, e) in T.COLLECTION_ONLY_ELEMENTS.items()]):
            s = idt(f"data-element/{key}")
            t(s, A, GDS_DATA_ELEMENT)
            t(s, A, SKOS_CONCEPT)
            t(s, SKOS_PREF_LABEL, zh(zh_))
            t(s, SKOS_PREF_LABEL, en(en_))
            t(s, P_NOTATION, plain(f"DE{n + 1:04d}"))

    def _write_jurisdiction(self, j: Jur) -> None:
        t = self.w.t
        s = j.iri
        t(s, A, GDS_JURISDICTION)
        t(s, P_NOTATION, plain(j.code))
        t(s, SKOS_PREF_LABEL, zh(j.zh))
        t(s, SKOS_PREF_LABEL, en(j.en))
        t(s, P_ADMIN_LEVEL, concept("admin-level", j.level))
        if j.parent:
            t(s, P_PART_OF_JURISDICTION, j.parent.iri)
        for a in j.competent:
            t(s, P_COMPETENT, a.iri)
        if j.gov:
            t(s, P_GOVERNMENT, j.gov.iri)

    def _write_agency(self, a: Agency) -> None:
        t = self.w.t
        s = a.iri
        t(s, A, GDS_AGENCY)
        t(s, A, ORG_ORGANIZATION)
        if a.cls:
            t(s, A, a.cls)
        t(s, SKOS_PREF_LABEL, zh(a.zh))
        t(s, SKOS_PREF_LABEL, en(a.en))
        t(s, FOAF_NAME, zh(a.zh))
        t(s, FOAF_NAME, en(a.en))
        t(s, P_NOTATION, plain(a.notation))
        t(s, P_JURISDICTION, a.jur.iri)
        t(s, P_ADMIN_LEVEL, concept("admin-level", a.level))
        t(s, ORG_CLASSIFICATION, concept("provider-type", a.ptype))
        if a.ptype == "ADMINISTRATIVE_ORGAN" and a.kind != "government" and a.jur.gov:
            t(s, ORG_SUB_ORGANIZATION_OF, a.jur.gov.iri)
        if a.top:
            t(a.contact, A, VCARD_ORGANIZATION)
            t(a.contact, VCARD_FN, zh(f"{a.zh}数据工作联络人"))
            t(a.contact, VCARD_HAS_EMAIL, iri(f"mailto:data-{a.key}@{T.HOST[a.top]}"))

    def _write_platform(self, p: Platform) -> None:
        t = self.w.t
        s = p.iri
        t(s, A, GDS_PLATFORM)
        t(s, A, DCAT_DATASERVICE)
        t(s, DCT_TITLE, zh(p.zh))
        t(s, DCT_TITLE, en(p.en))
        t(s, P_PLATFORM_TYPE, concept("platform-type", p.ptype))
        t(s, P_ADMIN_LEVEL, concept("admin-level", p.level))
        t(s, DCT_PUBLISHER, p.publisher.iri)
        t(s, DCT_CREATED, typed(p.created, "date"))
        host = T.HOST.get(p.top or "", "platforms.example")
        t(s, DCAT_ENDPOINT_URL, iri(f"https://{host}/platform/{p.key}"))
        for x in p.connects:
            t(s, P_CONNECTS_TO, x.iri)
        for x in p.inter:
            t(s, P_INTERCONNECTED, x.iri)
        if p.based_on:
            t(s, P_BASED_ON, p.based_on.iri)
        if p.migrated_to:
            t(s, P_MIGRATED_TO, p.migrated_to.iri)
        if p.integrated_into:
            t(s, P_INTEGRATED_INTO, p.integrated_into.iri)
        if p.exception:
            t(s, P_EXCEPTION, zh("山区县网络条件特殊，经论证确需单独建设"))
            t(s, P_EXCEPTION, en("Mountain county with special network conditions; separate build found necessary"))
        if p.approved_by:
            t(s, P_APPROVED_BY, p.approved_by.iri)

    def _write_system(self, x: System) -> None:
        t = self.w.t
        s = x.iri
        t(s, A, GDS_SYSTEM)
        t(s, DCT_TITLE, zh(x.zh))
        t(s, DCT_TITLE, en(x.en))
        t(s, DCT_PUBLISHER, x.publisher.iri)
        t(s, P_ADMIN_LEVEL, concept("admin-level", x.publisher.level))
        t(s, P_SECRECY, concept("secrecy", "CLASSIFIED" if x.classified else "NON_CLASSIFIED"))
        for p in x.connects:
            t(s, P_CONNECTS_TO, p.iri)
        for p in x.runs_on:
            t(s, P_RUNS_ON, p.iri)

    def _write_catalog(self, c: Catalog) -> None:
        t = self.w.t
        s = c.iri
        t(s, A, DCAT_CATALOG)
        t(s, DCT_TITLE, zh(c.zh))
        t(s, DCT_TITLE, en(c.en))
        t(s, DCT_PUBLISHER, c.publisher.iri)
        t(s, P_CATALOG_TYPE, concept("catalog-type", c.ctype))
        if c.attr:
            t(s, P_RESOURCE_ATTRIBUTE, concept("resource-attribute", c.attr))
        if c.basic:
            t(s, P_BASIC_RESOURCE, concept("basic-resource", c.basic))
        if c.theme:
            t(s, DCAT_THEME, concept("theme", c.theme))
        if c.lead:
            t(s, P_LEAD, c.lead.iri)
        if c.co:
            t(s, P_CO_MAINTAINER, c.co.iri)
        for a in c.contributors:
            t(s, DCT_CONTRIBUTOR, a.iri)
        if c.part_of:
            t(s, DCT_IS_PART_OF, c.part_of.iri)
        if c.service:
            t(s, DCAT_SERVICE, c.service.iri)
        t(s, DCT_ISSUED, dt("2023-01-10", "10:00:00"))
        t(s, DCT_MODIFIED, dt("2025-12-20", "10:00:00"))
        if c.approval:
            act = idt(f"activity/approval-catalog-{c.key}")
            t(act, A, GDS_APPROVAL)
            t(act, PROV_USED, s)
            t(act, PROV_ASSOCIATED, c.approval.iri)
            t(act, PROV_STARTED, dt("2023-01-03"))
            t(act, PROV_ENDED, dt("2023-01-06", "17:00:00"))
            self.w.manifest.activities += 1

    # -- rules on fixed resources -----------------------------------------------------------
    def _judge_fixed(self) -> None:
        judge = self.w.judge
        for j in self.jurs.values():  # R34
            if j.top and len(j.competent) != 1:
                judge("R34", None, j.iri, j.top)
        for p in self.platforms:
            if p.top:
                for family, scope in _platform_violations(p):
                    judge(family, scope, p.iri, p.top)
        for s in self.systems:
            if s.publisher.top and _system_violates(s):
                judge("R21", "LN", s.iri, s.publisher.top)
        basic_cover = {top: set(self.basic[top]) for top in T.TOPS}
        for c in self.catalogs:
            top = c.top
            if top is None:
                continue
            if c.approval is None or c.approval is not c.publisher.jur.gov or (
                    c.jur_level and c.publisher.level == "COUNTY"
                    and (c.part_of is None or c.part_of.publisher.level != "MUNICIPAL")):
                judge("R11", "GY", c.iri, top)
            if c.basic and c.basic in T.BASIC_CATALOGUES["LN"]:
                lead_kind = T.BASIC_CATALOGUES["LN"][c.basic]
                data = self.top_jur(top).data
                if c.lead is None or c.lead.kind != lead_kind or c.co is not data:
                    judge("R17", "LN", c.iri, top)
            if c.attr == "THEMATIC" and (c.lead is None or len(c.contributors) < 2):
                judge("R19", None, c.iri, top)
            if c is self.top_jur(top).cats["resource"] and len(basic_cover[top]) < 6:
                judge("R18", "SX", c.iri, top)


def _platform_violations(p: Platform) -> Iterator[tuple[str, str]]:
    """Rule families a platform breaks, each with the jurisdiction the rule belongs to."""
    if p.ptype == "SHARING_PLATFORM":
        if p.level in ("COUNTY", "TOWNSHIP"):  # LN 14
            if not (p.migrated_to and p.migrated_to.level == "MUNICIPAL"):
                yield "R20", "LN"
        elif p.level == "MUNICIPAL" and not any(x.level == "PROVINCE" and x.ptype == "SHARING_PLATFORM"
                                                for x in p.connects):
            yield "R20", "LN"
        if p.level == "COUNTY" and not (  # ZJ 9
                (p.based_on and p.based_on.level == "MUNICIPAL") or (p.exception and p.approved_by)):
            yield "R22", "ZJ"
    channel = p.ptype in ("SHARING_PLATFORM", "OPEN_PLATFORM") and p.publisher.cls is not GDS_DATA_DEPARTMENT
    if channel and (p.integrated_into is None or p.created > "2022-03-01"):  # ZJ 10
        yield "R23", "ZJ"
    if p.ptype in ("SHARING_PLATFORM", "OPEN_PLATFORM", "GOVERNMENT_CLOUD"):  # GY 9
        state = any(x.level == "STATE" for x in p.inter)
        province = p.level == "PROVINCE" or any(x.level == "PROVINCE" for x in p.inter)
        if not (state and province):
            yield "R24", "GY"
    if p.ptype == "GOVERNMENT_CLOUD" and p.level == "MUNICIPAL" and not any(  # SX 6
            x.level == "PROVINCE" and x.ptype == "GOVERNMENT_CLOUD" for x in p.connects):
        yield "R24", "SX"


def _system_violates(s: System) -> bool:
    """LN 13/14: a non-classified system connects to the sharing platform and runs on the
    cloud of its own level and jurisdiction."""
    if s.classified:
        return False
    j = s.publisher.jur

    def same(p: Platform) -> bool:
        return p.level == s.publisher.level and p.publisher.jur is j

    return not (any(same(p) and p.ptype == "SHARING_PLATFORM" for p in s.connects)
                and any(same(p) and p.ptype == "GOVERNMENT_CLOUD" for p in s.runs_on))
