"""Read any CII D16B invoice into the model; write the model as CII for a Factur-X profile.

Reading loads what the file says, however incomplete or wrong its business content: a fragment
with only a VAT breakdown loads, and the checks say what is missing. Only a value that is not
what its element must hold (a date that is not one, an amount that is not a number, base64 that
does not decode) stops reading, with an :class:`~chorusflow.errors.InputError` naming the
element. Writing follows the official XSD element order and writes only what the profile
carries; BT-24 is the profile's identifier.
"""

from __future__ import annotations

from typing import Final

from lxml import etree
from pydantic import ValidationError

from chorusflow import model
from chorusflow.errors import InputError
from chorusflow.formats.cii import shape
from chorusflow.formats.cii.mapping import CII, INVOICE, LEVEL, NSMAP
from chorusflow.formats.profiles import NS_CII, Profile
from chorusflow.formats.written import with_net_prices
from chorusflow.formats.xml import xpath_of
from chorusflow.formats.xmlbind import ReadError, WriteError, read, write
from chorusflow.model import Invoice, InvoiceLine, VatBreakdown

_GUIDELINE: Final = "/".join(
    CII.tag(name)
    for name in (
        "rsm:ExchangedDocumentContext",
        "ram:GuidelineSpecifiedDocumentContextParameter",
        "ram:ID",
    )
)

#: BT-24 prefixes of documents that follow EN 16931 under another name: a CIUS (a restriction,
#: e.g. XRechnung) is judged by the EN 16931 profile, an extension by EXTENDED.
_EN16931: Final = "urn:cen.eu:en16931:2017"


def is_cii(root: etree._Element) -> bool:
    """True when ``root`` is a CII invoice (``rsm:CrossIndustryInvoice``)."""
    return root.tag == INVOICE.tag


def profile_of(root: etree._Element) -> Profile | None:
    """The Factur-X profile a CII invoice declares in BT-24, or None when it names none.

    A specification identifier that is not a Factur-X one but builds on EN 16931 (XRechnung,
    Peppol) is judged by the EN 16931 profile, or by EXTENDED when it declares an extension.
    """
    if not is_cii(root):
        return None
    found = root.find(_GUIDELINE)
    urn = (found.text or "").strip() if found is not None else ""
    known = Profile.from_urn(urn)
    if known is not None or not urn.startswith(_EN16931):
        return known
    return Profile.EXTENDED if "#conformant#" in urn else Profile.EN16931


def read_cii(root: etree._Element) -> Invoice:
    """The invoice a CII document carries (parsed with :func:`chorusflow.formats.xml.parse_xml`)."""
    if not is_cii(root):
        name = etree.QName(root)
        raise InputError(
            f"The XML document is not a CII invoice: its root element is '{name.localname}' "
            f"in namespace '{name.namespace or ''}'.",
            f"A CII invoice starts with rsm:CrossIndustryInvoice in namespace '{NS_CII}'.",
        )
    try:
        data = read(INVOICE, root)
    except ReadError as error:
        where = xpath_of(error.element, CII.prefixes)
        where += f"/@{error.attribute}" if error.attribute else ""
        raise InputError(
            f"The CII invoice has an unreadable value at {where}: {error.problem}.", error.fix
        ) from None
    try:
        return Invoice.model_validate(shape.for_model(data))
    except ValidationError as exc:  # the declaration only produces valid shapes; be safe
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"The CII invoice cannot be loaded: {where}: {first['msg']}.") from None


def _with_upper_vatex(entry: VatBreakdown) -> VatBreakdown:
    """VATEX codes are case-insensitive (BR-CL-22); Factur-X lists them upper case only."""
    code = entry.exemption_reason_code
    if code is None or code == code.upper():
        return entry
    return entry.model_copy(update={"exemption_reason_code": code.upper()})


#: Groups whose elements the CII schema requires: written (empty) even when the invoice lacks
#: them, they read back as there.
_INVOICE_GROUPS: Final = (
    ("seller", model.Seller),
    ("buyer", model.Buyer),
    ("totals", model.DocumentTotals),
)
_LINE_GROUPS: Final = (("item", model.Item), ("price", model.Price), ("vat", model.LineVat))


def _with_required_groups(line: InvoiceLine) -> InvoiceLine:
    """A line's item, net price and VAT, which CII writes (empty) even when the line lacks
    them: the schema requires their elements."""
    if line.item is not None and line.price is not None and line.vat is not None:
        return line
    update = {name: group() for name, group in _LINE_GROUPS if getattr(line, name) is None}
    return line.model_copy(update=update)


def as_written(invoice: Invoice, profile: Profile = Profile.EN16931) -> Invoice:
    """The invoice as :func:`write_cii` states it: BT-24 of the profile, every BT-146 given,
    VATEX codes upper case, and the groups the schema requires there even when empty: the
    seller, the buyer, the totals, and a line's item, net price and VAT.

    Reading what :func:`write_cii` wrote in the EN 16931 or EXTENDED profile gives exactly
    this invoice back (a group that is there but empty reads back so).
    """
    update: dict[str, object] = {"specification_identifier": profile.urn}
    for name, group in _INVOICE_GROUPS:
        if getattr(invoice, name) is None:
            update[name] = group()
    lines = with_net_prices(tuple(_with_required_groups(line) for line in invoice.lines))
    if any(new is not old for new, old in zip(lines, invoice.lines, strict=True)):
        update["lines"] = lines
    vat = tuple(_with_upper_vatex(entry) for entry in invoice.vat_breakdown)
    if any(new is not old for new, old in zip(vat, invoice.vat_breakdown, strict=True)):
        update["vat_breakdown"] = vat
    return invoice.model_copy(update=update)


#: Profiles that check BT-115 = BT-112 − BT-113 + BT-114 but have no element for BT-114.
_NO_ROUNDING: Final = (Profile.BASIC_WL, Profile.BASIC)


def _check_rounding(invoice: Invoice, profile: Profile) -> None:
    rounding = invoice.totals.rounding if invoice.totals else None
    if rounding and profile in _NO_ROUNDING:
        raise InputError(
            f"The {profile.xmp_level} profile has no rounding amount (BT-114), and leaving out "
            f"this invoice's {rounding} would make its amount due (BT-115) wrong.",
            "Write it in the EN 16931 profile (or EXTENDED), which carries BT-114.",
        )


def write_cii(invoice: Invoice, profile: Profile = Profile.EN16931) -> bytes:
    """The invoice as CII (UTF-8) for ``profile``, carrying only the terms that profile has.

    The document states what :func:`as_written` says: BT-24 is the profile's identifier, an
    item net price (BT-146), which CII requires, is derived from the gross price and the
    discount when the invoice gives only those, and VATEX codes are upper case. An invoice
    with a rounding amount (BT-114) cannot be written in BASIC WL or BASIC, which lack it:
    that is an :class:`InputError`.
    """
    _check_rounding(invoice, profile)
    data = as_written(invoice, profile).model_dump()
    try:
        root = write(INVOICE, shape.for_xml(data, profile), NSMAP, LEVEL[profile])
    except WriteError as error:
        raise InputError(f"The invoice cannot be written as CII: {error}.", error.fix) from None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
