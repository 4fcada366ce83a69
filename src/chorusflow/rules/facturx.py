"""Checks of a Factur-X file's PDF side: the embedded XML, its file specification, the XMP.

pikepdf's PDF/A validator (``pikepdf.pdfa``) judges the visual layer, but it rejects any XMP
extension schema, and so the ``fx:`` properties Factur-X requires: those, and the embedded
file's own requirements, are checked here, and pikepdf judges the rest of the file with the
Factur-X extension set aside (:func:`visual_report`).

Rule ids are ours (``FX-PDF-nn``); the official XSD and schematron judge the XML itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pikepdf
import pikepdf.pdfa

from chorusflow.errors import InputError
from chorusflow.formats.facturx.embed import xmp_bytes
from chorusflow.formats.facturx.extract import embedded_files, find_invoice_xml
from chorusflow.formats.facturx.pdf import open_pdf, read_stream
from chorusflow.formats.facturx.xmp import (
    DOCUMENT_TYPE,
    FACTURX_FILENAME,
    FX_PROPERTIES,
    FX_VERSION,
    NS_FX,
    XmpFacts,
    read_xmp,
    without_extensions,
)
from chorusflow.formats.limits import MAX_XML_BYTES
from chorusflow.formats.profiles import NS_CII, NS_RAM, Profile
from chorusflow.formats.xml import parse_xml
from chorusflow.rules.findings import Finding, Layer, Severity

_RELATIONSHIPS: Final = frozenset({"/Data", "/Alternative", "/Source"})
_DATA_PROFILES: Final = frozenset({Profile.MINIMUM, Profile.BASIC_WL})
#: Most pikepdf findings reported one by one; the rest are counted in the last one.
MAX_VISUAL_FINDINGS: Final = 10


def _finding(
    rule: str,
    english: str,
    french: str,
    fix: str,
    severity: Severity = Severity.FATAL,
    where: str | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        layer=Layer.FACTURX,
        message_en=english,
        message_fr=french,
        xpath=where,
        fix=fix,
    )


def declared_profile(xml: bytes) -> Profile | None:
    """The Factur-X profile the XML's guideline identifier (BT-24) declares, if any."""
    root = parse_xml(xml, "embedded invoice XML")
    if root.tag != f"{{{NS_CII}}}CrossIndustryInvoice":
        return None
    found = root.find(
        f"{{{NS_CII}}}ExchangedDocumentContext/"
        f"{{{NS_RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{NS_RAM}}}ID"
    )
    return Profile.from_urn(found.text if found is not None else None)


# -- the visual layer ------------------------------------------------------------------------


def _is_destination(action: object) -> bool:
    """True for an /OpenAction that only says which page to show (not an action)."""
    return isinstance(action, pikepdf.Array) and len(action) > 0


def visual_report(document: pikepdf.Pdf) -> pikepdf.pdfa.Report:
    """pikepdf's PDF/A-3b verdict on the document with the Factur-X extension set aside.

    The document is changed in memory only: the XMP loses its extension schemas and the
    properties they describe (pikepdf refuses them all; :func:`check_facturx` checks the
    Factur-X ones), and an /OpenAction that is a mere destination is dropped (pikepdf 10
    reports any /OpenAction as unsupported, while PDF/A restricts actions, not destinations).
    """
    metadata = xmp_bytes(document.Root.get("/Metadata"))
    if metadata is not None:
        try:
            stripped = without_extensions(metadata)
        except InputError:
            stripped = None
        if stripped is not None:
            stream = document.make_stream(stripped)
            stream.Type = pikepdf.Name.Metadata
            stream.Subtype = pikepdf.Name.XML
            document.Root.Metadata = stream
    if _is_destination(document.Root.get("/OpenAction")):
        del document.Root.OpenAction
    return pikepdf.pdfa.check(document, "3b")


def _visual_findings(pdf: bytes) -> list[Finding]:
    with open_pdf(pdf) as document:
        report = visual_report(document)
    findings: list[Finding] = []
    problems = [*report.violations, *report.unsupported]
    for problem in problems[:MAX_VISUAL_FINDINGS]:
        violation = problem.kind == "violation"
        findings.append(
            _finding(
                "FX-PDF-30" if violation else "FX-PDF-31",
                f"The visual PDF is not PDF/A-3b ({problem.rule}): {problem.message}."
                if violation
                else f"The visual PDF has a construct pikepdf cannot check for PDF/A-3b "
                f"({problem.rule}): {problem.message}.",
                f"Le PDF visuel n'est pas PDF/A-3b ({problem.rule}) : {problem.message}."
                if violation
                else f"Le PDF visuel contient un élément que pikepdf ne sait pas vérifier "
                f"pour PDF/A-3b ({problem.rule}) : {problem.message}.",
                "Produce the PDF as PDF/A-3b (fonts embedded, sRGB output intent), e.g. let "
                "chorusflow render it, then embed the XML again."
                if violation
                else "Check this part of the PDF with a full PDF/A validator (veraPDF).",
                Severity.FATAL if violation else Severity.WARNING,
                problem.where,
            )
        )
    if len(problems) > MAX_VISUAL_FINDINGS:
        more = len(problems) - MAX_VISUAL_FINDINGS
        findings.append(
            _finding(
                "FX-PDF-30",
                f"… and {more} more PDF/A-3b problems in the visual PDF.",
                f"… et {more} autres problèmes PDF/A-3b dans le PDF visuel.",
                "Produce the PDF as PDF/A-3b.",
                Severity.FATAL if report.violations else Severity.WARNING,
            )
        )
    return findings


# -- the embedded file ----------------------------------------------------------------------


def _embedded_file_findings(
    document: pikepdf.Pdf,
) -> tuple[list[Finding], bytes | None, str | None]:
    """Findings on factur-x.xml and its file specification, with the XML and AFRelationship."""
    found = find_invoice_xml(document)
    if found is None:
        names = sorted(name for name, _ in embedded_files(document))
        return (
            [
                _finding(
                    "FX-PDF-01",
                    "No invoice XML is embedded: the PDF has no factur-x.xml file"
                    + (f" (it embeds {', '.join(names[:5])})." if names else "."),
                    "Aucun XML de facture n'est joint : le PDF ne contient pas de fichier "
                    "factur-x.xml" + (f" (il contient {', '.join(names[:5])})." if names else "."),
                    "Embed the CII XML as factur-x.xml (`chorusflow convert --to facturx`).",
                )
            ],
            None,
            None,
        )
    name, stream = found
    findings: list[Finding] = []
    if name != FACTURX_FILENAME:
        findings.append(
            _finding(
                "FX-PDF-02",
                f"The invoice XML is embedded as {name}; Factur-X names it {FACTURX_FILENAME}.",
                f"Le XML de la facture est joint sous le nom {name} ; Factur-X impose "
                f"{FACTURX_FILENAME}.",
                f"Embed the XML again under the name {FACTURX_FILENAME}.",
            )
        )
    spec = next(
        (s for n, s in embedded_files(document) if n == name),
        None,
    )
    relationship: str | None = None
    if isinstance(spec, pikepdf.Dictionary):
        af = document.Root.get("/AF")
        listed = isinstance(af, pikepdf.Array) and any(
            item.is_indirect and spec.is_indirect and item.objgen == spec.objgen for item in af
        )
        if not listed:
            findings.append(
                _finding(
                    "FX-PDF-03",
                    f"{name} is not an associated file: the catalog's /AF array does not list "
                    "its file specification, as PDF/A-3 requires.",
                    f"{name} n'est pas un fichier associé : le tableau /AF du catalogue ne "
                    "référence pas sa spécification de fichier, comme PDF/A-3 l'exige.",
                    "Add the file specification to the /AF array of the document catalog.",
                    where="/Root/AF",
                )
            )
        value = spec.get("/AFRelationship")
        relationship = str(value) if isinstance(value, pikepdf.Name) else None
        if relationship not in _RELATIONSHIPS:
            findings.append(
                _finding(
                    "FX-PDF-04",
                    f"The file specification of {name} has "
                    + (f"AFRelationship {relationship}" if relationship else "no AFRelationship")
                    + "; Factur-X requires Data, Alternative or Source.",
                    f"La spécification de fichier de {name} a "
                    + (
                        f"l'AFRelationship {relationship}"
                        if relationship
                        else "aucune AFRelationship"
                    )
                    + " ; Factur-X exige Data, Alternative ou Source.",
                    "Set /AFRelationship to /Alternative (or /Data for MINIMUM and BASIC WL).",
                    where="/AFRelationship",
                )
            )
        if not (
            isinstance(spec.get("/F"), pikepdf.String)
            and isinstance(spec.get("/UF"), pikepdf.String)
        ):
            findings.append(
                _finding(
                    "FX-PDF-05",
                    f"The file specification of {name} lacks /F or /UF; PDF/A-3 requires both.",
                    f"La spécification de fichier de {name} n'a pas /F ou /UF ; PDF/A-3 "
                    "exige les deux.",
                    f"Give the file specification /F and /UF, both ({FACTURX_FILENAME}).",
                )
            )
    subtype = stream.get("/Subtype")
    if str(subtype) not in {"/text/xml", "/application/xml"}:
        findings.append(
            _finding(
                "FX-PDF-06",
                f"The embedded {name} has MIME type {subtype or 'none'}; Factur-X requires "
                "text/xml.",
                f"Le fichier {name} joint a le type MIME {subtype or 'aucun'} ; Factur-X exige "
                "text/xml.",
                "Set /Subtype /text#2Fxml on the embedded file stream.",
                where="/EmbeddedFile/Subtype",
            )
        )
    params = stream.get("/Params")
    if not (isinstance(params, pikepdf.Dictionary) and "/ModDate" in params):
        findings.append(
            _finding(
                "FX-PDF-07",
                f"The embedded {name} has no modification date (/Params /ModDate).",
                f"Le fichier {name} joint n'a pas de date de modification (/Params /ModDate).",
                "Add /Params << /ModDate (D:...) >> to the embedded file stream.",
                Severity.WARNING,
            )
        )
    try:
        xml = read_stream(stream, MAX_XML_BYTES, f"embedded {name}")
    except InputError as error:
        findings.append(
            _finding(
                "FX-PDF-08",
                f"The embedded {name} cannot be read: {error.message}",
                f"Le fichier {name} joint est illisible : {error.message}",
                "Embed the XML again.",
            )
        )
        return findings, None, relationship
    return findings, xml, relationship


def _profile_findings(xml: bytes, relationship: str | None) -> tuple[list[Finding], Profile | None]:
    try:
        profile = declared_profile(xml)
    except InputError as error:
        return [
            _finding(
                "FX-PDF-09",
                f"The embedded invoice is not readable XML: {error.message}",
                f"La facture jointe n'est pas un XML lisible : {error.message}",
                error.fix or "Embed a well-formed CII XML.",
            )
        ], None
    if profile is None:
        return [
            _finding(
                "FX-PDF-10",
                "The embedded XML declares no Factur-X profile (BT-24 guideline identifier) "
                "chorusflow knows, or is not a CII CrossIndustryInvoice.",
                "Le XML joint ne déclare aucun profil Factur-X connu (identifiant BT-24) ou "
                "n'est pas une CrossIndustryInvoice CII.",
                "Write the XML with one of the Factur-X profile identifiers (urn:cen.eu:en16931:"
                "2017 for EN 16931).",
            )
        ], None
    findings = []
    if profile in _DATA_PROFILES and relationship not in (None, "/Data"):
        findings.append(
            _finding(
                "FX-PDF-11",
                f"At profile {profile.xmp_level} the XML is not a full invoice, so its "
                f"AFRelationship must be Data, not {relationship[1:] if relationship else ''}.",
                f"Au profil {profile.xmp_level} le XML n'est pas une facture complète : son "
                f"AFRelationship doit être Data, pas {relationship[1:] if relationship else ''}.",
                "Set /AFRelationship /Data on factur-x.xml.",
            )
        )
    return findings, profile


# -- the XMP ----------------------------------------------------------------------------------


def _xmp_findings(facts: XmpFacts, profile: Profile | None) -> list[Finding]:
    findings: list[Finding] = []
    if facts.pdfa_part != "3" or (facts.pdfa_conformance or "").upper() not in {"A", "B", "U"}:
        declared = f"{facts.pdfa_part or '?'}{(facts.pdfa_conformance or '?').lower()}"
        findings.append(
            _finding(
                "FX-PDF-21",
                f"The XMP declares PDF/A-{declared} instead of PDF/A-3 "
                "(pdfaid:part 3, pdfaid:conformance B).",
                f"Le XMP déclare PDF/A-{declared} au lieu de PDF/A-3 "
                "(pdfaid:part 3, pdfaid:conformance B).",
                "Declare pdfaid:part 3 and pdfaid:conformance B in the XMP metadata.",
            )
        )
    if not facts.fx:
        findings.append(
            _finding(
                "FX-PDF-22",
                "The XMP carries no Factur-X properties (fx:DocumentType, DocumentFileName, "
                "Version, ConformanceLevel).",
                "Le XMP ne contient pas les propriétés Factur-X (fx:DocumentType, "
                "DocumentFileName, Version, ConformanceLevel).",
                "Embed the XML again with chorusflow, which writes the Factur-X XMP.",
            )
        )
        return findings
    if facts.fx_namespace != NS_FX:
        findings.append(
            _finding(
                "FX-PDF-23",
                f"The Factur-X XMP properties use the namespace {facts.fx_namespace} instead of "
                f"{NS_FX}.",
                f"Les propriétés XMP Factur-X utilisent l'espace de noms {facts.fx_namespace} au "
                f"lieu de {NS_FX}.",
                f"Write the fx: properties in the namespace {NS_FX}.",
            )
        )
    namespace = facts.fx_namespace or NS_FX
    described = facts.extension_properties.get(namespace)
    if described is None:
        findings.append(
            _finding(
                "FX-PDF-24",
                "The XMP uses fx: properties without describing them in a pdfaExtension:schemas "
                "entry, which PDF/A requires for properties outside its predefined schemas.",
                "Le XMP utilise des propriétés fx: sans les décrire dans une entrée "
                "pdfaExtension:schemas, ce que PDF/A exige hors des schémas prédéfinis.",
                "Add the Factur-X PDFA Extension Schema to the XMP.",
            )
        )
    elif missing := sorted(set(FX_PROPERTIES) - described):
        findings.append(
            _finding(
                "FX-PDF-25",
                f"The Factur-X extension schema does not describe {', '.join(missing)}.",
                f"Le schéma d'extension Factur-X ne décrit pas {', '.join(missing)}.",
                "Describe the four fx: properties in the extension schema.",
            )
        )
    expected: dict[str, tuple[str, Callable[[str], bool], str, Severity]] = {
        "DocumentType": (
            DOCUMENT_TYPE,
            lambda v: v == DOCUMENT_TYPE,
            "FX-PDF-26",
            Severity.FATAL,
        ),
        "DocumentFileName": (
            FACTURX_FILENAME,
            lambda v: v == FACTURX_FILENAME,
            "FX-PDF-27",
            Severity.FATAL,
        ),
        "Version": (FX_VERSION, lambda v: v == FX_VERSION, "FX-PDF-28", Severity.WARNING),
    }
    if profile is not None:
        expected["ConformanceLevel"] = (
            profile.xmp_level,
            lambda v: v.upper() == profile.xmp_level,
            "FX-PDF-29",
            Severity.FATAL,
        )
    for name, (wanted, accepts, rule, severity) in expected.items():
        value = facts.fx.get(name)
        if value is not None and accepts(value):
            continue
        said = f"'{value}'" if value is not None else "nothing"
        said_fr = f"« {value} »" if value is not None else "rien"
        findings.append(
            _finding(
                rule,
                f"The XMP fx:{name} says {said} where '{wanted}' is expected"
                + (" (the profile the XML declares)." if name == "ConformanceLevel" else "."),
                f"La propriété XMP fx:{name} indique {said_fr} au lieu de « {wanted} »"
                + (" (le profil que déclare le XML)." if name == "ConformanceLevel" else "."),
                f"Write fx:{name} = {wanted} in the XMP (chorusflow does when it embeds).",
                severity,
            )
        )
    return findings


def check_facturx(pdf: bytes, *, visual: bool = True) -> list[Finding]:
    """Every problem of the Factur-X layer and of the visual PDF/A-3b layer of ``pdf``.

    ``visual=False`` leaves out pikepdf's PDF/A-3b walk of the visual layer (most of the
    cost): for a page chorusflow rendered itself, whose conformance is the renderer's promise
    (its tests hold it to that), not the user's. Raises :class:`InputError` when ``pdf`` is
    not a readable PDF at all.
    """
    with open_pdf(pdf) as document:
        findings, xml, relationship = _embedded_file_findings(document)
        metadata = document.Root.get("/Metadata")
        xmp = xmp_bytes(metadata)
    profile: Profile | None = None
    if xml is not None:
        more, profile = _profile_findings(xml, relationship)
        findings += more
    facts: XmpFacts | None = None
    if xmp is None:
        findings.append(
            _finding(
                "FX-PDF-20",
                "The PDF has no readable XMP metadata, so it declares neither PDF/A-3 nor "
                "Factur-X.",
                "Le PDF n'a pas de métadonnées XMP lisibles : il ne se déclare ni PDF/A-3 ni "
                "Factur-X.",
                "Embed the XML again with chorusflow, which writes the XMP.",
            )
        )
    else:
        try:
            facts = read_xmp(xmp)
        except InputError as error:
            findings.append(
                _finding(
                    "FX-PDF-20",
                    f"The PDF's XMP metadata is not readable: {error.message}",
                    f"Les métadonnées XMP du PDF sont illisibles : {error.message}",
                    "Embed the XML again with chorusflow, which writes the XMP.",
                )
            )
    if facts is not None:
        findings += _xmp_findings(facts, profile)
    if visual:
        findings += _visual_findings(pdf)
    return findings
