"""UBL 2.1 Invoice and CreditNote (EN 16931, as Peppol BIS 3 and CIUS-FR use them).

:func:`read_ubl` loads any Invoice-2 or CreditNote-2 document, however incomplete, so that
the checks can say what is wrong with it; only a value that cannot be read at all (a date
that is not one, an amount that is not a number) is refused. :func:`write_ubl` writes a
CreditNote for the credit-note type codes and an Invoice otherwise, in the element order
the UBL 2.1 XSD requires. Where each term sits is declared once, in
:mod:`chorusflow.formats.ubl.binding`.
"""

from __future__ import annotations

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats import xmlbind
from chorusflow.formats.profiles import NS_UBL_CREDIT_NOTE, NS_UBL_INVOICE
from chorusflow.formats.ubl.binding import CREDIT_NOTE, EN16931, INVOICE, NAMESPACES
from chorusflow.formats.ubl.shape import fold, ubl_view
from chorusflow.model import Invoice

__all__ = ["EN16931", "is_ubl", "read_ubl", "write_ubl"]

_BINDINGS = {INVOICE.tag: INVOICE, CREDIT_NOTE.tag: CREDIT_NOTE}


def is_ubl(root: etree._Element) -> bool:
    """True when ``root`` is a UBL 2.1 Invoice or CreditNote."""
    return root.tag in _BINDINGS


def read_ubl(root: etree._Element, *, lenient: bool = False) -> Invoice:
    """The invoice a UBL Invoice or CreditNote element holds.

    Raises :class:`InputError` for another kind of document or an unreadable value; with
    ``lenient`` an unreadable value is left out instead (for triage of broken files: the
    value is then lost, and a rule on its presence will see it absent).
    """
    binding = _BINDINGS.get(root.tag) if isinstance(root.tag, str) else None
    if binding is None:
        name = etree.QName(root)
        raise InputError(
            f"The XML document is not a UBL 2.1 invoice: its root is <{name.localname}> in "
            f"namespace {name.namespace or '(none)'}.",
            f'A UBL invoice starts with <Invoice xmlns="{NS_UBL_INVOICE}"> or '
            f'<CreditNote xmlns="{NS_UBL_CREDIT_NOTE}">.',
        )
    document = "UBL credit note" if binding is CREDIT_NOTE else "UBL invoice"
    data = xmlbind.read(root, binding, document=document, lenient=lenient)
    return Invoice.model_validate(fold(data))


def write_ubl(invoice: Invoice) -> bytes:
    """The invoice as a UBL 2.1 document (UTF-8): a CreditNote for a credit-note type code."""
    binding = CREDIT_NOTE if invoice.is_credit_note else INVOICE
    root = xmlbind.write(binding, ubl_view(invoice), NAMESPACES[binding.tag])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
