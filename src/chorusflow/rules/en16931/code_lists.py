"""BR-CL-*: codes belong to their official code lists.

The lists are the model's (:mod:`chorusflow.model.codelists`, generated from the same
official schematron). A code is compared as the schematron compares it: white space around
it is ignored, white space inside it is not allowed.

BR-CL-03 (the currency of each amount) is not checked: the model states one currency for the
document (BT-5) and one for the VAT accounting total (BT-6), both checked by BR-CL-04 and
BR-CL-05, and the writers put those on every amount; a currency written on one amount of a
file is syntax the model does not keep.
"""

from __future__ import annotations

from collections.abc import Iterator

from chorusflow.model import Invoice, PartyIdentifier
from chorusflow.model import codelists as cl
from chorusflow.rules.en16931.engine import Breach, Registry, field
from chorusflow.rules.en16931.facts import DocumentItems, Facts, LineItems

registry = Registry()

#: The ICD list, plus the SEPA creditor scheme that seller and payee identifiers may use.
ICD_OR_SEPA = cl.ICD_SCHEMES | {"SEPA"}


def coded(code: str, codes: frozenset[str]) -> bool:
    """``code`` is in ``codes`` once stripped, as ``normalize-space`` compares it."""
    return code.strip() in codes


def _breach(rule: str, pointer: str, code: str, example: str) -> Breach:
    return Breach(
        rule, pointer, f"Replace {field(pointer)} '{code}' by a code of its list, e.g. {example}."
    )


@registry("BR-CL-01", "BR-CL-04", "BR-CL-05")
def document_codes(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    for rule, name, codes, example in (
        ("BR-CL-01", "type_code", cl.DOCUMENT_TYPES, "380"),
        ("BR-CL-04", "currency", cl.CURRENCIES, "EUR"),
        ("BR-CL-05", "vat_accounting_currency", cl.CURRENCIES, "EUR"),
    ):
        code = getattr(invoice, name)
        if code is not None and not coded(code, codes):
            yield _breach(rule, f"/{name}", code, example)


@registry("BR-CL-06")
def tax_point_date_code(facts: Facts) -> Iterator[Breach]:
    code = facts.invoice.tax_point_date_code
    if code is not None and not coded(code, cl.TAX_POINT_DATE_CODES):
        yield _breach("BR-CL-06", "/tax_point_date_code", code, "35 (delivery date)")


@registry("BR-CL-07")
def object_identifier_schemes(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    identifiers = [("/invoiced_object_identifier", invoice.invoiced_object_identifier)]
    identifiers += [
        (f"/lines/{n}/object_identifier", line.object_identifier)
        for n, line in enumerate(invoice.lines)
    ]
    for pointer, identifier in identifiers:
        scheme = identifier.scheme if identifier else None
        if scheme is not None and not coded(scheme, cl.OBJECT_ID_SCHEMES):
            yield _breach("BR-CL-07", f"{pointer}/scheme", scheme, "AAB")


def note_subject(text: str) -> str | None:
    """The subject a UBL note announces as ``#XXX#...``: what BR-CL-08 reads."""
    after = text.partition("#")[2]
    subject, found, _ = after.partition("#")
    return subject if "#" in text and found and len(subject) == 3 else None


@registry("BR-CL-08")
def note_subjects(facts: Facts) -> Iterator[Breach]:
    for k, note in enumerate(facts.invoice.notes):
        code = note.subject_code
        # the note as UBL writes it: the subject code between hashes before the text
        written = f"#{code}#{note.text or ''}" if code is not None else note.text or ""
        subject = note_subject(written)
        if subject is not None and subject not in cl.NOTE_SUBJECTS:
            pointer = f"/notes/{k}/subject_code" if code is not None else f"/notes/{k}/text"
            yield _breach("BR-CL-08", pointer, subject, "AAI (general information)")


def _party_identifiers(invoice: Invoice) -> Iterator[tuple[str, PartyIdentifier, bool]]:
    """(pointer, identifier, may use SEPA) for every BT-29, BT-46 and BT-60."""
    if invoice.seller:
        for k, identifier in enumerate(invoice.seller.identifiers):
            yield f"/seller/identifiers/{k}", identifier, True
    if invoice.buyer and invoice.buyer.identifier:
        yield "/buyer/identifier", invoice.buyer.identifier, False
    if invoice.payee and invoice.payee.identifier:
        yield "/payee/identifier", invoice.payee.identifier, True


@registry("BR-CL-10", "BR-CL-11")
def party_schemes(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    for pointer, identifier, sepa in _party_identifiers(invoice):
        scheme = identifier.scheme
        if scheme is not None and not coded(scheme, ICD_OR_SEPA if sepa else cl.ICD_SCHEMES):
            yield _breach("BR-CL-10", f"{pointer}/scheme", scheme, "0009 (SIRET)")
    for role, party in (("seller", invoice.seller), ("buyer", invoice.buyer)):
        legal = party.legal_registration if party else None
        if legal and legal.scheme is not None and not coded(legal.scheme, cl.ICD_SCHEMES):
            yield _breach(
                "BR-CL-11", f"/{role}/legal_registration/scheme", legal.scheme, "0009 (SIRET)"
            )
    legal = invoice.payee.legal_registration if invoice.payee else None
    if legal and legal.scheme is not None and not coded(legal.scheme, cl.ICD_SCHEMES):
        yield _breach("BR-CL-11", "/payee/legal_registration/scheme", legal.scheme, "0002")


@registry("BR-CL-13", "BR-CL-15", "BR-CL-18", "BR-CL-21", "BR-CL-23")
def line_codes(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        at = f"/lines/{n}"
        if line.unit is not None and not coded(line.unit, cl.UNITS):
            yield _breach("BR-CL-23", f"{at}/unit", line.unit, "C62")
        unit = line.price.base_quantity_unit if line.price else None
        if unit is not None and not coded(unit, cl.UNITS):
            yield _breach("BR-CL-23", f"{at}/price/base_quantity_unit", unit, "C62")
        category = line.vat.category if line.vat else None
        if category is not None and not coded(category, cl.VAT_CATEGORIES):
            yield _breach("BR-CL-18", f"{at}/vat/category", category, "S")
        item = line.item
        if item is None:
            continue
        for k, classification in enumerate(item.classifications):
            scheme = classification.scheme
            if scheme is not None and not coded(scheme, cl.ITEM_CLASSIFICATION_SCHEMES):
                yield _breach("BR-CL-13", f"{at}/item/classifications/{k}/scheme", scheme, "STI")
        if item.origin_country is not None and not coded(item.origin_country, cl.COUNTRIES):
            yield _breach("BR-CL-15", f"{at}/item/origin_country", item.origin_country, "FR")
        scheme = item.standard_id.scheme if item.standard_id else None
        if scheme is not None and not coded(scheme, cl.ICD_SCHEMES):
            yield _breach("BR-CL-21", f"{at}/item/standard_id/scheme", scheme, "0160 (GTIN)")


@registry("BR-CL-14")
def countries(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    for role, group in (
        ("seller", invoice.seller),
        ("buyer", invoice.buyer),
        ("tax_representative", invoice.tax_representative),
        ("delivery", invoice.delivery),
    ):
        address = group.address if group else None
        code = address.country if address else None
        if code is not None and not coded(code, cl.COUNTRIES):
            yield _breach("BR-CL-14", f"/{role}/address/country", code, "FR")


@registry("BR-CL-16")
def payment_means(facts: Facts) -> Iterator[Breach]:
    code = facts.payment.means_code if facts.payment else None
    if code is not None and not coded(code, cl.PAYMENT_MEANS):
        yield _breach("BR-CL-16", "/payment/means_code", code, "30 (credit transfer)")


_REASONS = {
    "allowances": (cl.ALLOWANCE_REASONS, "BR-CL-19", "95"),
    "charges": (cl.CHARGE_REASONS, "BR-CL-20", "FC"),
}


@registry("BR-CL-17", "BR-CL-19", "BR-CL-20", "BR-CL-22")
def allowance_charge_and_vat_codes(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    groups: tuple[tuple[str, DocumentItems], ...] = (
        ("allowances", invoice.allowances),
        ("charges", invoice.charges),
    )
    for kind, items in groups:
        reasons, rule, example = _REASONS[kind]
        for k, item in enumerate(items):
            if item.vat_category is not None and not coded(item.vat_category, cl.VAT_CATEGORIES):
                yield _breach("BR-CL-17", f"/{kind}/{k}/vat_category", item.vat_category, "S")
            if item.reason_code is not None and not coded(item.reason_code, reasons):
                yield _breach(rule, f"/{kind}/{k}/reason_code", item.reason_code, example)
    for n, line in enumerate(invoice.lines):
        line_groups: tuple[tuple[str, LineItems], ...] = (
            ("allowances", line.allowances),
            ("charges", line.charges),
        )
        for kind, line_items in line_groups:
            reasons, rule, example = _REASONS[kind]
            for k, line_item in enumerate(line_items):
                code = line_item.reason_code
                if code is not None and not coded(code, reasons):
                    yield _breach(rule, f"/lines/{n}/{kind}/{k}/reason_code", code, example)
    for k, entry in enumerate(invoice.vat_breakdown):
        if entry.category is not None and not coded(entry.category, cl.VAT_CATEGORIES):
            yield _breach("BR-CL-17", f"/vat_breakdown/{k}/category", entry.category, "S")
        code = entry.exemption_reason_code
        if code is not None and not coded(code.upper(), cl.VATEX):  # compared in capitals
            yield _breach(
                "BR-CL-22", f"/vat_breakdown/{k}/exemption_reason_code", code, "VATEX-EU-IC"
            )


@registry("BR-CL-24")
def attachment_types(facts: Facts) -> Iterator[Breach]:
    for k, document in enumerate(facts.invoice.supporting_documents):
        attachment = document.attachment
        code = attachment.mime_code if attachment else None
        # compared as written: the official test has no normalize-space here
        if code is not None and code not in cl.MIME_CODES:
            yield _breach(
                "BR-CL-24",
                f"/supporting_documents/{k}/attachment/mime_code",
                code,
                "application/pdf",
            )


@registry("BR-CL-25", "BR-CL-26")
def address_schemes(facts: Facts) -> Iterator[Breach]:
    for role, party in (("seller", facts.seller), ("buyer", facts.buyer)):
        address = party.electronic_address if party else None
        if address and address.scheme is not None and not coded(address.scheme, cl.EAS_SCHEMES):
            yield _breach(
                "BR-CL-25", f"/{role}/electronic_address/scheme", address.scheme, "0009 (SIRET)"
            )
    delivery = facts.invoice.delivery
    location = delivery.location_id if delivery else None
    if location and location.scheme is not None and not coded(location.scheme, cl.ICD_SCHEMES):
        yield _breach("BR-CL-26", "/delivery/location_id/scheme", location.scheme, "0088 (GLN)")
