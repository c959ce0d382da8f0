"""N-Triples spellings of the terms the demo writes, built once at import.

Every constant is a complete N-Triples term (``<iri>``), so the generator can format
lines with plain string concatenation.
"""

from __future__ import annotations

from govkg import vocab

XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(value: str) -> str:
    return f"<{value}>"


def gds(name: str) -> str:
    return f"<{vocab.GDS}{name}>"


def concept(scheme: str, code: str) -> str:
    """A controlled-vocabulary concept, checked against vocab.SCHEMES."""
    return f"<{vocab.concept(scheme, code)}>"


def idt(path: str) -> str:
    """An instance IRI minted by govkg (``https://w3id.org/govkg/id/<path>``)."""
    return f"<{vocab.ID}{path}>"


def esc(text: str) -> str:
    """Escape a string for an N-Triples literal (backslash, quote, line breaks)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def zh(text: str) -> str:
    return f'"{esc(text)}"@zh'


def en(text: str) -> str:
    return f'"{esc(text)}"@en'


def plain(text: str) -> str:
    return f'"{esc(text)}"'


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


TRUE = typed("true", "boolean")
FALSE = typed("false", "boolean")

A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

_DCT = "http://purl.org/dc/terms/"
_DCAT = "http://www.w3.org/ns/dcat#"
_PROV = "http://www.w3.org/ns/prov#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ORG = "http://www.w3.org/ns/org#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_ODRL = "http://www.w3.org/ns/odrl/2/"
_VCARD = str(vocab.VCARD)
_ELI = str(vocab.ELI)

# classes
DCAT_CATALOG = iri(_DCAT + "Catalog")
DCAT_DATASET = iri(_DCAT + "Dataset")
DCAT_DISTRIBUTION = iri(_DCAT + "Distribution")
DCAT_RECORD = iri(_DCAT + "CatalogRecord")
DCAT_DATASERVICE = iri(_DCAT + "DataService")
ORG_ORGANIZATION = iri(_ORG + "Organization")
ORG_CHANGE_EVENT = iri(_ORG + "ChangeEvent")
SKOS_CONCEPT = iri(_SKOS + "Concept")
ODRL_POLICY = iri(_ODRL + "Policy")
ODRL_PERMISSION = iri(_ODRL + "Permission")
ODRL_PROHIBITION = iri(_ODRL + "Prohibition")
ODRL_USE = iri(_ODRL + "use")
VCARD_ORGANIZATION = iri(_VCARD + "Organization")
ELI_LEGAL_RESOURCE = iri(_ELI + "LegalResource")
ELI_SUBDIVISION = iri(_ELI + "LegalResourceSubdivision")
DCT_STANDARD = iri(_DCT + "Standard")

# properties
DCT_TITLE = iri(_DCT + "title")
DCT_DESCRIPTION = iri(_DCT + "description")
DCT_IDENTIFIER = iri(_DCT + "identifier")
DCT_PUBLISHER = iri(_DCT + "publisher")
DCT_CONTRIBUTOR = iri(_DCT + "contributor")
DCT_CREATOR = iri(_DCT + "creator")
DCT_ISSUED = iri(_DCT + "issued")
DCT_MODIFIED = iri(_DCT + "modified")
DCT_CREATED = iri(_DCT + "created")
DCT_IS_PART_OF = iri(_DCT + "isPartOf")
DCT_ACCESS_RIGHTS = iri(_DCT + "accessRights")
DCT_ACCRUAL = iri(_DCT + "accrualPeriodicity")
DCT_FORMAT = iri(_DCT + "format")
DCT_CONFORMS_TO = iri(_DCT + "conformsTo")
DCT_SOURCE = iri(_DCT + "source")
DCAT_DATASET_P = iri(_DCAT + "dataset")
DCAT_RECORD_P = iri(_DCAT + "record")
DCAT_SERVICE = iri(_DCAT + "service")
DCAT_DISTRIBUTION_P = iri(_DCAT + "distribution")
DCAT_THEME = iri(_DCAT + "theme")
DCAT_KEYWORD = iri(_DCAT + "keyword")
DCAT_CONTACT_POINT = iri(_DCAT + "contactPoint")
DCAT_MEDIA_TYPE = iri(_DCAT + "mediaType")
DCAT_ACCESS_URL = iri(_DCAT + "accessURL")
DCAT_BYTE_SIZE = iri(_DCAT + "byteSize")
DCAT_ENDPOINT_URL = iri(_DCAT + "endpointURL")
FOAF_PRIMARY_TOPIC = iri(_FOAF + "primaryTopic")
FOAF_NAME = iri(_FOAF + "name")
ADMS_STATUS = iri(str(vocab.ADMS) + "status")
SKOS_PREF_LABEL = iri(_SKOS + "prefLabel")
SKOS_NOTATION = iri(_SKOS + "notation")
ORG_SUB_ORGANIZATION_OF = iri(_ORG + "subOrganizationOf")
ORG_CLASSIFICATION = iri(_ORG + "classification")
ORG_ORIGINAL_ORGANIZATION = iri(_ORG + "originalOrganization")
PROV_USED = iri(_PROV + "used")
PROV_ASSOCIATED = iri(_PROV + "wasAssociatedWith")
PROV_STARTED = iri(_PROV + "startedAtTime")
PROV_ENDED = iri(_PROV + "endedAtTime")
PROV_AT_TIME = iri(_PROV + "atTime")
PROV_INFORMED_BY = iri(_PROV + "wasInformedBy")
ODRL_HAS_POLICY = iri(_ODRL + "hasPolicy")
ODRL_ASSIGNEE = iri(_ODRL + "assignee")
ODRL_PERMISSION_P = iri(_ODRL + "permission")
ODRL_PROHIBITION_P = iri(_ODRL + "prohibition")
ODRL_ACTION = iri(_ODRL + "action")
DPV_LEGAL_BASIS = iri(str(vocab.DPV) + "hasLegalBasis")
DPV_PERSONAL_DATA = iri(str(vocab.DPV) + "PersonalData")
DPV_COMMERCIAL_DATA = iri(str(vocab.DPV) + "CommerciallyConfidentialData")
DCATAP_LEGISLATION = iri(str(vocab.DCATAP) + "applicableLegislation")
VCARD_FN = iri(_VCARD + "fn")
VCARD_HAS_EMAIL = iri(_VCARD + "hasEmail")
ELI_IS_PART_OF = iri(_ELI + "is_part_of")

# gds: classes and properties (all from ontology/MODEL.md)
GDS_JURISDICTION = gds("Jurisdiction")
GDS_AGENCY = gds("Agency")
GDS_DATA_DEPARTMENT = gds("DataDepartment")
GDS_PEOPLES_GOVERNMENT = gds("PeoplesGovernment")
GDS_OPERATOR = gds("PublicServiceOperator")
GDS_STATIONED = gds("StationedStateAgency")
GDS_DATA_ITEM = gds("DataItem")
GDS_DATA_ELEMENT = gds("DataElement")
GDS_PLATFORM = gds("Platform")
GDS_SYSTEM = gds("InformationSystem")
GDS_PROJECT = gds("DigitalProject")
GDS_COMPILATION = gds("Compilation")
GDS_REVIEW = gds("Review")
GDS_APPROVAL = gds("Approval")
GDS_PUBLICATION = gds("Publication")
GDS_REVISION = gds("Revision")
GDS_REVOCATION = gds("Revocation")
GDS_DETERMINATION = gds("SharingAttributeDetermination")
GDS_COLLECTION = gds("CollectionActivity")
GDS_TRIGGER = gds("TriggerEvent")
GDS_FEEDBACK = gds("Feedback")
GDS_ELECTRONIC = gds("Electronic")
GDS_PAPER = gds("Paper")

P_NOTATION = SKOS_NOTATION
P_ADMIN_LEVEL = gds("adminLevel")
P_PART_OF_JURISDICTION = gds("partOfJurisdiction")
P_COMPETENT = gds("competentDepartment")
P_GOVERNMENT = gds("government")
P_JURISDICTION = gds("jurisdiction")
P_CATALOG_TYPE = gds("catalogType")
P_RESOURCE_ATTRIBUTE = gds("resourceAttribute")
P_BASIC_RESOURCE = gds("basicResource")
P_LEAD = gds("leadDepartment")
P_CO_MAINTAINER = gds("coMaintainer")
P_SHARING_TYPE = gds("sharingType")
P_SHARING_MODE = gds("sharingMode")
P_SHARING_CONDITION = gds("sharingCondition")
P_OPEN_TYPE = gds("openType")
P_OPEN_CONDITION = gds("openCondition")
P_NON_SHARING_REASON = gds("nonSharingReason")
P_REASON_TYPE = gds("reasonType")
P_UPDATE_CYCLE = gds("updateCycle")
P_UPDATE_TIME_LIMIT = gds("updateTimeLimit")
P_RESOURCE_FORM = gds("resourceForm")
P_SECURITY_GRADE = gds("securityGrade")
P_SECRECY = gds("secrecy")
P_CLASSIFICATION_CODE = gds("classificationCode")
P_HAS_DATA_ITEM = gds("hasDataItem")
P_DATA_CATEGORY = gds("dataCategory")
P_DATA_TYPE = gds("dataType")
P_DATA_ELEMENT = gds("dataElement")
P_AUTHORITATIVE_SOURCE = gds("authoritativeSource")
P_NETWORK_TYPE = gds("networkType")
P_MEDIUM = gds("medium")
P_PLATFORM_TYPE = gds("platformType")
P_CONNECTS_TO = gds("connectsTo")
P_INTERCONNECTED = gds("interconnectedWith")
P_BASED_ON = gds("basedOn")
P_MIGRATED_TO = gds("migratedTo")
P_INTEGRATED_INTO = gds("integratedInto")
P_EXCEPTION = gds("exceptionJustification")
P_APPROVED_BY = gds("approvedBy")
P_RUNS_ON = gds("runsOn")
P_APPROVAL_STATUS = gds("approvalStatus")
P_CONSENT_BY = gds("consentBy")
P_CONSENT_OBTAINED = gds("consentObtained")
P_COLLECTS = gds("collects")
P_TRIGGER_TYPE = gds("triggerEventType")
P_AFFECTS = gds("affects")
P_CONCERNS = gds("concerns")
P_FEEDBACK_STATUS = gds("feedbackStatus")
PROJECT_FLAGS = (
    gds("buildsPrivateNetwork"), gds("appOutsidePlatform"), gds("outsideResourceSystem"),
    gds("failsToShareOrCollectsRepeatedly"), gds("missesSecurityRequirements"),
)


def eu_file_type(code: str) -> str:
    return iri(f"{vocab.EU_FILE_TYPE}{code}")


def eu_frequency(code: str) -> str:
    return iri(f"{vocab.EU_FREQUENCY}{code}")


def eu_access_right(code: str) -> str:
    return iri(f"{vocab.EU_ACCESS_RIGHT}{code}")


def iana(media_type: str) -> str:
    return iri(f"https://www.iana.org/assignments/media-types/{media_type}")


# open type -> EU access right (MODEL.md)
ACCESS_RIGHT = {
    "UNCONDITIONAL_OPEN": eu_access_right("PUBLIC"),
    "CONDITIONAL_OPEN": eu_access_right("RESTRICTED"),
    "NOT_OPEN": eu_access_right("NON_PUBLIC"),
}
