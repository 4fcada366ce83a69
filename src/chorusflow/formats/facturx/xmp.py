"""The XMP metadata of a Factur-X file: PDF/A identification and the ``fx:`` extension.

The Factur-X specification (§ "XMP metadata") has the PDF say which XML it carries and at which
profile, in four properties of the namespace
``urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#`` (prefix ``fx``): DocumentType
(INVOICE), DocumentFileName (factur-x.xml), Version (1.0) and ConformanceLevel (MINIMUM,
BASIC WL, BASIC, EN 16931, EXTENDED). PDF/A admits properties outside its predefined schemas
only when the XMP describes them in a ``pdfaExtension:schemas`` entry, so that entry is
written too.

:func:`facturx_xmp` merges these into the metadata a PDF already has, keeping every other
property (title, author, dates, document ids) so that the /Info dictionary and the XMP stay
equivalent, as PDF/A requires. :func:`read_xmp` reads back what the checks need.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Final

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.profiles import Profile
from chorusflow.formats.xml import parse_xml

NS_X: Final = "adobe:ns:meta/"
NS_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_PDFAID: Final = "http://www.aiim.org/pdfa/ns/id/"
NS_PDFA_EXTENSION: Final = "http://www.aiim.org/pdfa/ns/extension/"
NS_PDFA_SCHEMA: Final = "http://www.aiim.org/pdfa/ns/schema#"
NS_PDFA_PROPERTY: Final = "http://www.aiim.org/pdfa/ns/property#"

#: The Factur-X XMP namespace (also used by ZUGFeRD 2.1 and later).
NS_FX: Final = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
#: Earlier ZUGFeRD namespaces, read but never written.
NS_ZUGFERD: Final = (
    "urn:ferd:pdfa:CrossIndustryDocument:invoice:1p0#",
    "urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#",
)
FX_PREFIX: Final = "fx"
FX_VERSION: Final = "1.0"
DOCUMENT_TYPE: Final = "INVOICE"
FACTURX_FILENAME: Final = "factur-x.xml"
SCHEMA_NAME: Final = "Factur-X PDFA Extension Schema"

#: The fx: properties and their descriptions, as the extension schema declares them.
FX_PROPERTIES: Final = {
    "DocumentFileName": "The name of the embedded XML document",
    "DocumentType": "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER",
    "Version": "The actual version of the standard applying to the embedded XML document",
    "ConformanceLevel": "The conformance level of the embedded XML document",
}

_XPACKET_BEGIN: Final = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_XPACKET_END: Final = '\n<?xpacket end="w"?>'
_OWNED: Final = (NS_FX, *NS_ZUGFERD)


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


@dataclass(frozen=True, slots=True)
class XmpFacts:
    """What the XMP of a PDF says about PDF/A and Factur-X."""

    pdfa_part: str | None = None
    pdfa_conformance: str | None = None
    fx_namespace: str | None = None
    """The namespace the fx-like properties were found in (Factur-X or a ZUGFeRD one)."""
    fx: dict[str, str] = field(default_factory=dict)
    """DocumentType, DocumentFileName, Version, ConformanceLevel as found."""
    extension_namespaces: frozenset[str] = frozenset()
    """Namespaces described by a ``pdfaExtension:schemas`` entry."""
    extension_properties: dict[str, frozenset[str]] = field(default_factory=dict)
    """For each described namespace, the property names its schema declares."""


def _descriptions(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(_q(NS_RDF, "Description")))


def _property(description: etree._Element, namespace: str, name: str) -> str | None:
    """A simple property written as an attribute or as a child element."""
    value = description.get(_q(namespace, name))
    if value is not None:
        return value.strip()
    child = description.find(_q(namespace, name))
    if child is not None:
        return "".join(str(text) for text in child.itertext()).strip()
    return None


def _schema_entries(root: etree._Element) -> list[etree._Element]:
    """Every ``rdf:li`` of a ``pdfaExtension:schemas`` bag."""
    entries: list[etree._Element] = []
    for schemas in root.iter(_q(NS_PDFA_EXTENSION, "schemas")):
        for bag in schemas.iter(_q(NS_RDF, "Bag")):
            entries += bag.findall(_q(NS_RDF, "li"))
    return entries


def _entry_namespace(entry: etree._Element) -> str | None:
    return _property(entry, NS_PDFA_SCHEMA, "namespaceURI")


def parse_xmp(data: bytes) -> etree._Element:
    """The ``x:xmpmeta`` (or bare ``rdf:RDF``) root of an XMP packet."""
    return parse_xml(data, "XMP metadata of the PDF")


def read_xmp(data: bytes) -> XmpFacts:
    """The PDF/A and Factur-X facts an XMP packet states."""
    root = parse_xmp(data)
    part = conformance = None
    fx: dict[str, str] = {}
    fx_namespace: str | None = None
    for description in _descriptions(root):
        part = part or _property(description, NS_PDFAID, "part")
        conformance = conformance or _property(description, NS_PDFAID, "conformance")
        for namespace in _OWNED:
            for name in FX_PROPERTIES:
                value = _property(description, namespace, name)
                if value is not None:
                    fx.setdefault(name, value)
                    fx_namespace = fx_namespace or namespace
    described: dict[str, frozenset[str]] = {}
    for entry in _schema_entries(root):
        described_namespace = _entry_namespace(entry)
        if described_namespace is None:
            continue
        names = {
            "".join(str(text) for text in name.itertext()).strip()
            for name in entry.iter(_q(NS_PDFA_PROPERTY, "name"))
        }
        names |= {
            value.strip()
            for item in entry.iter(_q(NS_RDF, "li"))
            if (value := item.get(_q(NS_PDFA_PROPERTY, "name"))) is not None
        }
        known = described.get(described_namespace, frozenset())
        described[described_namespace] = known | frozenset(names)
    return XmpFacts(
        pdfa_part=part,
        pdfa_conformance=conformance,
        fx_namespace=fx_namespace,
        fx=fx,
        extension_namespaces=frozenset(described),
        extension_properties=described,
    )


def _empty_packet() -> etree._Element:
    root = etree.Element(_q(NS_X, "xmpmeta"), nsmap={"x": NS_X})
    etree.SubElement(root, _q(NS_RDF, "RDF"), nsmap={"rdf": NS_RDF})
    return root


def _drop_properties(
    root: etree._Element, namespaces: Collection[str], elements_too: Collection[str] = ()
) -> None:
    """Remove from every ``rdf:Description`` the properties in ``namespaces`` (attributes or
    elements) and the elements in ``elements_too``, then the descriptions left with nothing
    but their ``rdf:about``."""
    for description in _descriptions(root):
        for name in list(description.attrib):
            if etree.QName(name).namespace in namespaces:
                del description.attrib[name]
        for child in list(description):
            namespace = etree.QName(child).namespace
            if namespace in namespaces or namespace in elements_too:
                description.remove(child)
    for description in _descriptions(root):
        if len(description) == 0 and all(
            etree.QName(a).localname == "about" for a in description.attrib
        ):
            parent = description.getparent()
            if parent is not None:
                parent.remove(description)


def _strip_owned(root: etree._Element) -> None:
    """Remove the PDF/A identification and every Factur-X/ZUGFeRD property and schema."""
    for entry in _schema_entries(root):
        if _entry_namespace(entry) in _OWNED:
            parent = entry.getparent()
            if parent is not None:
                parent.remove(entry)
    _drop_properties(root, {*_OWNED, NS_PDFAID})


def _description(rdf: etree._Element, nsmap: dict[str, str]) -> etree._Element:
    description = etree.SubElement(rdf, _q(NS_RDF, "Description"), nsmap=nsmap)
    description.set(_q(NS_RDF, "about"), "")
    return description


def _text(parent: etree._Element, namespace: str, name: str, value: str) -> None:
    etree.SubElement(parent, _q(namespace, name)).text = value


def _schema_entry(parent: etree._Element) -> None:
    entry = etree.SubElement(parent, _q(NS_RDF, "li"))
    entry.set(_q(NS_RDF, "parseType"), "Resource")
    _text(entry, NS_PDFA_SCHEMA, "schema", SCHEMA_NAME)
    _text(entry, NS_PDFA_SCHEMA, "namespaceURI", NS_FX)
    _text(entry, NS_PDFA_SCHEMA, "prefix", FX_PREFIX)
    properties = etree.SubElement(entry, _q(NS_PDFA_SCHEMA, "property"))
    sequence = etree.SubElement(properties, _q(NS_RDF, "Seq"))
    for name, description in FX_PROPERTIES.items():
        item = etree.SubElement(sequence, _q(NS_RDF, "li"))
        item.set(_q(NS_RDF, "parseType"), "Resource")
        _text(item, NS_PDFA_PROPERTY, "name", name)
        _text(item, NS_PDFA_PROPERTY, "valueType", "Text")
        _text(item, NS_PDFA_PROPERTY, "category", "external")
        _text(item, NS_PDFA_PROPERTY, "description", description)


def _packet(root: etree._Element) -> bytes:
    """``root`` as an XMP packet (UTF-8, in its ``xpacket`` processing instructions)."""
    body = etree.tostring(root, encoding="unicode")
    return (_XPACKET_BEGIN + body + _XPACKET_END).encode("utf-8")


def facturx_xmp(existing: bytes | None, profile: Profile) -> bytes:
    """The XMP packet of a Factur-X file at ``profile``, keeping ``existing``'s other data."""
    root = _empty_packet()
    if existing:
        try:
            parsed = parse_xmp(existing)
        except InputError:
            parsed = None  # unreadable metadata is replaced, as a PDF/A writer must
        if parsed is not None and parsed.find(f".//{_q(NS_RDF, 'RDF')}") is not None:
            root = parsed
        elif parsed is not None and parsed.tag == _q(NS_RDF, "RDF"):
            root = _empty_packet()
            root.replace(root[0], parsed)
    _strip_owned(root)
    rdf = root if root.tag == _q(NS_RDF, "RDF") else root.find(f".//{_q(NS_RDF, 'RDF')}")
    assert rdf is not None
    identification = _description(rdf, {"pdfaid": NS_PDFAID})
    _text(identification, NS_PDFAID, "part", "3")
    _text(identification, NS_PDFAID, "conformance", "B")
    bags = [
        bag
        for schemas in rdf.iter(_q(NS_PDFA_EXTENSION, "schemas"))
        for bag in schemas.findall(_q(NS_RDF, "Bag"))
    ]
    if bags:
        _schema_entry(bags[0])
    else:
        extension = _description(
            rdf,
            {
                "pdfaExtension": NS_PDFA_EXTENSION,
                "pdfaSchema": NS_PDFA_SCHEMA,
                "pdfaProperty": NS_PDFA_PROPERTY,
            },
        )
        schemas = etree.SubElement(extension, _q(NS_PDFA_EXTENSION, "schemas"))
        _schema_entry(etree.SubElement(schemas, _q(NS_RDF, "Bag")))
    facts = _description(rdf, {FX_PREFIX: NS_FX})
    _text(facts, NS_FX, "DocumentType", DOCUMENT_TYPE)
    _text(facts, NS_FX, "DocumentFileName", FACTURX_FILENAME)
    _text(facts, NS_FX, "Version", FX_VERSION)
    _text(facts, NS_FX, "ConformanceLevel", profile.xmp_level)
    return _packet(root)


def without_extensions(data: bytes) -> bytes:
    """The XMP packet less its extension schemas and the properties they describe.

    What is left is what a PDF/A validator that knows only the predefined schemas can judge
    (pikepdf's refuses any extension schema); the Factur-X properties are checked apart.
    """
    root = parse_xmp(data)
    described = set(read_xmp(data).extension_namespaces) | set(_OWNED)
    _drop_properties(root, described, {NS_PDFA_EXTENSION})
    etree.cleanup_namespaces(root)
    return _packet(root)
