"""Read any UBL 2.1 Invoice or CreditNote into the model; write the model as one.

Reading loads what the file says, however incomplete or wrong its business content; only a
value that cannot be read at all (a date that is not one, an amount that is not a number)
is refused, naming its element. Writing follows the element order of the UBL 2.1 XSD.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.profiles import NS_UBL_CREDIT_NOTE, NS_UBL_INVOICE
from chorusflow.formats.ubl import shape
from chorusflow.formats.ubl.binding import CREDIT_NOTE, EN16931, INVOICE, NAMESPACES
from chorusflow.formats.written import with_net_prices
from chorusflow.formats.xml import xpath_of
from chorusflow.formats.xmlbind import El, ReadError, WriteError, read, write
from chorusflow.model import DocumentTotals, Invoice
from chorusflow.model.totals import ZERO, round2

BINDINGS: Final[dict[str, El]] = {INVOICE.tag: INVOICE, CREDIT_NOTE.tag: CREDIT_NOTE}
"""The declaration of each UBL document, by the tag of its root."""


def is_ubl(root: etree._Element) -> bool:
    """True when ``root`` is a UBL 2.1 Invoice or CreditNote."""
    return root.tag in BINDINGS


def read_ubl(root: etree._Element, *, lenient: bool = False) -> Invoice:
    """The invoice a UBL Invoice or CreditNote element holds.

    Raises :class:`InputError` for another kind of document or an unreadable value; with
    ``lenient`` an unreadable value is left out instead (for triage of broken files: the
    value is then lost, and a rule on its presence will see it absent).
    """
    binding = BINDINGS.get(root.tag) if isinstance(root.tag, str) else None
    if binding is None:
        name = etree.QName(root)
        raise InputError(
            f"The XML document is not a UBL 2.1 invoice: its root is <{name.localname}> in "
            f"namespace {name.namespace or '(none)'}.",
            f'A UBL invoice starts with <Invoice xmlns="{NS_UBL_INVOICE}"> or '
            f'<CreditNote xmlns="{NS_UBL_CREDIT_NOTE}">.',
        )
    try:
        data = read(binding, root, lenient=lenient)
    except ReadError as error:
        document = "UBL credit note" if binding is CREDIT_NOTE else "UBL invoice"
        where = xpath_of(error.element, top=root)
        where += f"/@{error.attribute}" if error.attribute else ""
        line = f" (line {error.element.sourceline})" if error.element.sourceline else ""
        raise InputError(
            f"The {document} has {where}{line} = {error.shown}, which is {error.expected}.",
            error.fix,
        ) from None
    return Invoice.model_validate(shape.for_model(data))


def as_written(invoice: Invoice) -> Invoice:
    """The invoice as :func:`write_ubl` states it: BT-24 EN 16931 when it names none, every
    BT-146 given and BT-147 zero where a gross price comes without it (UBL requires both),
    and BT-110 as Σ BT-117 where there is a VAT breakdown but no total (UBL requires the
    amount of a ``TaxTotal``)."""
    update: dict[str, object] = {}
    if invoice.specification_identifier is None:
        update["specification_identifier"] = EN16931
    lines = with_net_prices(invoice.lines, zero_discount=True)
    if lines is not invoice.lines:
        update["lines"] = lines
    totals = invoice.totals
    if invoice.vat_breakdown and (totals is None or totals.tax_total is None):
        vat = round2(sum((entry.tax_amount or ZERO for entry in invoice.vat_breakdown), ZERO))
        update["totals"] = (totals or DocumentTotals()).model_copy(update={"tax_total": vat})
    return invoice.model_copy(update=update) if update else invoice


def write_ubl(invoice: Invoice) -> bytes:
    """The invoice as a UBL 2.1 document (UTF-8): a CreditNote for a credit-note type code.

    The document states what :func:`as_written` says."""
    credit_note = invoice.is_credit_note
    binding = CREDIT_NOTE if credit_note else INVOICE
    data = shape.for_xml(as_written(invoice).model_dump(), credit_note)
    try:
        root = write(binding, data, NAMESPACES[binding.tag])
    except WriteError as error:
        raise InputError(f"The invoice cannot be written as UBL: {error}.", error.fix) from None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
