"""Size limits on what chorusflow agrees to read, so hostile input cannot exhaust a machine."""

from __future__ import annotations

from typing import Final

MiB: Final = 1024 * 1024

#: Largest single input file (JSON, XML or PDF). Chorus Pro takes at most 10 MB a flow file
#: and 120 MB for an invoice with its attachments; a larger input is refused before reading.
MAX_INPUT_BYTES: Final = 64 * MiB

#: Largest XML document parsed (an embedded factur-x.xml or a CII/UBL file).
MAX_XML_BYTES: Final = 32 * MiB

#: Most markup characters (``<``) in an XML document: an upper bound on its elements, checked
#: before parsing, since a parsed element costs ~300 bytes (an 11 MB file of ``<b>x</b>``
#: took 500 MB). A 1,000-line invoice has about 100,000.
MAX_XML_MARKUP: Final = 600_000
