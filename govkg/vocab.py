"""Namespaces, concept schemes and reserved graph names: the contract between the
ontology files, the loaders, the demo generator, the shapes and the server.

The ontology (``ontology/*.ttl``) must define every scheme and code listed here;
``tests/test_ontology.py`` keeps the two in step.

IRI policy
----------
* ontology terms (classes, properties): ``https://w3id.org/govkg/def#Term`` (prefix ``gds:``)
* controlled vocabularies, in the manner of the EU authority tables:
  ``https://w3id.org/govkg/authority/<scheme>/<CODE>``; the scheme itself is
  ``https://w3id.org/govkg/authority/<scheme>``
* instance data minted by govkg: ``https://w3id.org/govkg/id/<kind>/<key>``
* legislation, ELI-style: ``https://w3id.org/govkg/eli/<jurisdiction>/<type>/<year>/<slug>``
  and its articles ``.../art_<n>``
* named graphs: ``https://w3id.org/govkg/graph/<kind>/<key>``

The server maps the ``https://w3id.org/govkg/`` base onto its own root, so every
minted IRI dereferences (see ``server/``).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ODRL2, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/govkg/"

GDS = Namespace(BASE + "def#")
AUTHORITY = BASE + "authority/"
ID = Namespace(BASE + "id/")
ELI_BASE = BASE + "eli/"
GRAPH = BASE + "graph/"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DPV = Namespace("https://w3id.org/dpv#")
DQV = Namespace("http://www.w3.org/ns/dqv#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")

PREFIXES: dict[str, str] = {
    "gds": str(GDS),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "dcatap": str(DCATAP),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "eli": str(ELI),
    "odrl": str(ODRL2),
    "dpv": str(DPV),
    "dqv": str(DQV),
    "adms": str(ADMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "hydra": str(HYDRA),
    "void": str(VOID),
    "sd": str(SD),
    "spdx": str(SPDX),
    "vcard": str(VCARD),
}

# Concept schemes (DOMAIN.md part D) and the codes each must hold.  Codes are
# upper snake case, as in the EU authority tables.
SCHEMES: dict[str, tuple[str, ...]] = {
    "sharing-type": ("UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED"),
    "open-type": ("UNCONDITIONAL_OPEN", "CONDITIONAL_OPEN", "NOT_OPEN"),
    "sharing-mode": ("PLATFORM", "EMAIL", "MEDIA"),
    "resource-form": ("API", "DATABASE_TABLE", "STRUCTURED_FILE", "UNSTRUCTURED_FILE"),
    "update-cycle": (
        "REAL_TIME",
        "DAILY",
        "WEEKLY",
        "MONTHLY",
        "QUARTERLY",
        "HALF_YEARLY",
        "YEARLY",
        "IRREGULAR",
        "ON_DEMAND",
        "OTHER",
    ),
    "resource-attribute": ("BASIC", "THEMATIC", "DEPARTMENT"),
    "basic-resource": (
        "POPULATION",
        "LEGAL_ENTITY",
        "NATURAL_RESOURCES_SPATIAL_GEOGRAPHY",
        "SOCIAL_CREDIT",
        "ELECTRONIC_LICENCE",
        "MACROECONOMY",
    ),
    "theme": (
        "PUBLIC_SERVICES",
        "HEALTH_SECURITY",
        "SOCIAL_SECURITY",
        "FOOD_DRUG_SAFETY",
        "WORK_SAFETY",
        "PRICE_SUPERVISION",
        "ENERGY_SECURITY",
        "CREDIT_SYSTEM",
        "URBAN_RURAL_CONSTRUCTION",
        "COMMUNITY_GOVERNANCE",
        "ECOLOGY_ENVIRONMENT",
        "EMERGENCY_STABILITY",
    ),
    "secrecy": ("CLASSIFIED", "NON_CLASSIFIED"),
    "admin-level": ("STATE", "PROVINCE", "MUNICIPAL", "COUNTY", "TOWNSHIP"),
    "security-grade": ("CORE", "IMPORTANT", "GENERAL", "L1", "L2", "L3", "L4"),
    "provider-type": (
        "ADMINISTRATIVE_ORGAN",
        "AUTHORISED_ORGANISATION",
        "PUBLIC_SERVICE_OPERATOR",
        "WATER",
        "POWER",
        "GAS",
        "HEATING",
        "TELECOM",
        "PUBLIC_TRANSPORT",
        "STATIONED_STATE_AGENCY",
        "TAX",
        "CUSTOMS",
        "FINANCIAL_SUPERVISION",
        "SOCIAL_ORGANISATION",
    ),
    "non-sharing-reason": ("LAW_REGULATION", "POLICY_DOCUMENT", "SENSITIVE_INFORMATION", "OTHER"),
    "catalog-type": ("RESOURCE_CATALOG", "SHARING_CATALOG", "OPEN_CATALOG"),
    "record-status": (
        "CREATED",
        "PUBLISH_PENDING",
        "PUBLISH_REJECTED",
        "PUBLISHED",
        "REVOKE_PENDING",
        "REVOKE_REJECTED",
        "REVOKED",
        "DELETED",
    ),
    "platform-type": (
        "SHARING_PLATFORM",
        "OPEN_PLATFORM",
        "GOVERNMENT_CLOUD",
        "ONLINE_SERVICE_PLATFORM",
        "UNIFIED_CHANNEL",
    ),
    "trigger-event-type": ("LAW_REVISION", "FUNCTION_CHANGE", "SITUATION_CHANGE"),
    "network-type": ("EGOV_EXTRANET", "INTERNET", "DEPARTMENT_PRIVATE_NETWORK"),
    "feedback-status": ("OPEN", "UNDER_VERIFICATION", "CORRECTED", "REJECTED"),
}


def scheme(name: str) -> URIRef:
    """The IRI of a concept scheme, e.g. ``scheme("sharing-type")``."""
    if name not in SCHEMES:
        raise KeyError(f"unknown concept scheme {name!r}")
    return URIRef(AUTHORITY + name)


def concept(scheme_name: str, code: str) -> URIRef:
    """The IRI of a concept, checked against :data:`SCHEMES`."""
    if code not in SCHEMES.get(scheme_name, ()):
        raise KeyError(f"{code!r} is not a code of scheme {scheme_name!r}")
    return URIRef(f"{AUTHORITY}{scheme_name}/{code}")


def graph_iri(kind: str, key: str) -> URIRef:
    """A named graph govkg manages, e.g. ``graph_iri("source", "demo")``."""
    return URIRef(f"{GRAPH}{kind}/{key}")


# Reserved named graphs.
ONTOLOGY_GRAPH = graph_iri("system", "ontology")
INFERRED_GRAPH = graph_iri("system", "inferred")
DERIVED_GRAPH = graph_iri("system", "derived")  # deadlines and other facts computed in Python
LITERAL_FORMS_GRAPH = graph_iri("system", "literal-forms")  # exact datatypes Oxigraph would normalise
INTERNAL_GRAPHS = frozenset({LITERAL_FORMS_GRAPH})  # never part of the public default graph


# Legislation govkg knows about (metadata only; texts come from loaders.regulations).
# key -> ELI IRI of the legal resource.  Articles are "<iri>/art_<n>".
REGULATIONS: dict[str, str] = {
    # national rules that the catalogue guide and the common shapes rest on
    "cn-guofa-2016-51": ELI_BASE + "cn/measures/2016/government-information-resource-sharing",
    "cn-catalogue-guide": ELI_BASE + "cn/guide/2017/government-information-resource-catalogue",
    # the four regional regulations in ../shared/regulations/
    "guiyang": ELI_BASE + "gy/reg/2017/government-data-sharing-and-opening",
    "zhejiang": ELI_BASE + "zj/reg/2022/public-data",
    "liaoning": ELI_BASE + "ln/measures/government-data-resource-sharing",
    "shanxi": ELI_BASE + "sx/measures/2020/government-data-management",
}


def regulation(key: str) -> URIRef:
    return URIRef(REGULATIONS[key])


def article(key: str, number: int | str) -> URIRef:
    """The ELI subdivision IRI of article ``number`` of regulation ``key``."""
    return URIRef(f"{REGULATIONS[key]}/art_{number}")


# Top-level jurisdictions of the demo and the shapes (``ID["jurisdiction/<key>"]``).
JURISDICTIONS: dict[str, str] = {
    "guiyang": "520100",  # GB/T 2260 code of Guiyang city
    "zhejiang": "330000",
    "liaoning": "210000",
    "shanxi": "140000",
}


def jurisdiction(code: str) -> URIRef:
    """A jurisdiction by its GB/T 2260 administrative division code."""
    return ID[f"jurisdiction/{code}"]
