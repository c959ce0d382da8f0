"""The demo graph generator: a bilingual knowledge graph of government data sharing and
opening in Guiyang (GY), Zhejiang (ZJ), Liaoning (LN) and Shanxi (SX), streamed as N-Quads,
with rule violations planted on purpose and listed in the returned :class:`Manifest`.

``generate(out, datasets=2000, seed=42, graph=..., progress=None) -> Manifest``; see
``README.md`` in this folder for the content, the checks and the conventions.

Rule ids (``R<n>`` after DOMAIN.md part A; a suffix where the rule is one regulation's)
and what is planted, each a single defect on its focus node:

* R1-LN / R1-SX: a dataset without update time limit, classification code (or, LN,
  data items).
* R2: a dataset typed both CONDITIONAL and NOT_SHARED (LN, SX).
* R3: a restricted dataset without legal basis (LN).
* R4-SX: a restricted dataset without reason, or without determination by the
  competent department (missing, or by the provider).
* R5-SX: a conditional dataset without condition or assignee policy (also listed as R7).
* R7: a conditional dataset without sharing mode (GY, ZJ); a not-shared one without
  condition (GY, ZJ, SX).
* R8-LN: a distribution in PDF or without ``dct:conformsTo``.
* R9: a GY sharing catalogue listing a not-shared dataset, an open one a not-open one.
* R10: a published record without review, reviewed by its provider, or issued before
  the review ended (GY, LN).
* R11-GY: a published record or catalogue without approval by the same-level
  government (or approved by the data department); a district catalogue not part of the
  municipal one.
* R12-GY / R13-LN: a catalogue revision after 15 calendar days / 10 working days.
* R15: a data item without data type (all four; the national guide's core metadata).
* R16: feedback without status or submitter, or about two datasets (GY).
* R17-LN: a basic catalogue led by the data department instead of the LN 11 lead.
* R18-SX: the provincial catalogue lacks one of the six basic catalogues.
* R19: a thematic catalogue with one contributor or no lead (LN, SX).
* R20-LN: a municipal sharing platform not connected to the provincial one; a county or
  township platform not migrated.
* R21-LN: a system on another level's platform, another city's cloud, or none.
* R22-ZJ: a county platform neither based on the municipal one nor justified and approved.
* R23-ZJ: a department channel not integrated into the unified channel, or new.
* R24-GY: a Guiyang platform not interconnected with the State's; R24-SX: a city cloud not
  connected to the provincial cloud.
* R25-ZJ: an approved digital project with a ZJ 12 flag and no consent.
* R26: a repeated collection of a data element another provider shares (ZJ, LN, SX).
* R27: a data item with two authoritative sources.
* R28-SX: a collection without legal basis or consent.
* R29-SX: a distribution on paper.
* R30-GY / R30-ZJ / R30-LN: a dataset by a provider type the regulation does not admit
  (a water company, a social organisation, a stationed tax service).
* R31: a data item without sharing type; an unconditional dataset with a not-shared item.
* R32: personal data shared unconditionally or opened, commercial data shared
  unconditionally, a classified dataset in a sharing catalogue (GY, ZJ, SX).
* R33-ZJ: a dataset without security grade.
* R34: a township without competent department.

``Manifest.decoys`` lists the resources outside a rule's jurisdiction that would break
it if it applied there (exhaustively, for the checks in README.md).
"""

from .generator import generate
from .manifest import Manifest

__all__ = ["Manifest", "generate"]
