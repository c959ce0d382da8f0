"""RDF terms as pyoxigraph constants, for the code that reads and writes the store's terms
directly: the DCAT feeds (``server/feed_render.py``) and the harvester
(``loaders/harvest/session.py``) describe a catalogue record with the same terms, so a
harvest of govkg's own feed reads back what the feed wrote.

The IRIs come from :mod:`govkg.vocab` (rdflib namespaces) where it has them.
"""

from __future__ import annotations

import pyoxigraph as ox

from govkg.vocab import ADMS, SPDX

_DCT = "http://purl.org/dc/terms/"

P_PUBLISHER = ox.NamedNode(_DCT + "publisher")
P_MODIFIED = ox.NamedNode(_DCT + "modified")
P_STATUS = ox.NamedNode(str(ADMS.status))

# a record's checksum: [ a spdx:Checksum ; spdx:algorithm SHA256 ; spdx:checksumValue "..." ]
P_CHECKSUM = ox.NamedNode(str(SPDX.checksum))
T_CHECKSUM = ox.NamedNode(str(SPDX.Checksum))
P_ALGORITHM = ox.NamedNode(str(SPDX.algorithm))
P_CHECKSUM_VALUE = ox.NamedNode(str(SPDX.checksumValue))
SHA256 = ox.NamedNode(str(SPDX.checksumAlgorithm_sha256))
