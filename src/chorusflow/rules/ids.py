"""Identifiers checked with python-stdnum wherever the model holds them (layer ``ids``).

SIRET and SIREN (ISO 6523 schemes 0009 and 0002, and the EAS codes of the electronic
addresses), VAT numbers (French ones fully; other EU ones by their country's rules), IBAN and
BIC of the credit transfers, and the debited IBAN of a direct debit. Chorus Pro routes on the
SIRETs and pays to the IBAN: a typing error there is a rejection or a payment gone astray.

The Luhn verdict on SIRET and SIREN has a severity of its own: the qualification data set of
Chorus Pro hands out 14-digit SIRETs that fail the Luhn check (API.md §12.2, e.g.
93125027408770), so a user rehearsing against qualification passes ``luhn=Severity.WARNING``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final

from stdnum import bic, iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren, siret, tva

from chorusflow.model import ElectronicAddress, Invoice, PartyIdentifier
from chorusflow.model.codes import SIREN_SCHEME, SIRET_SCHEME
from chorusflow.rules.findings import Finding, Layer, Severity

#: EAS code of a French VAT number used as an electronic address.
FR_VAT_EAS: Final = "9957"
#: UNTDID 4461 SEPA credit transfer: its account is an IBAN by definition.
SEPA_CREDIT_TRANSFER: Final = "58"
_IBAN_SHAPE = re.compile(r"\s*[A-Za-z]{2}\s*[0-9]{2}")


class Kind(StrEnum):
    """The kinds of identifier this layer knows how to check."""

    SIRET = "SIRET"
    SIREN = "SIREN"
    VAT = "VAT"
    IBAN = "IBAN"
    BIC = "BIC"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One identifier in the invoice: what it is, where, and its value as written."""

    kind: Kind
    location: str
    value: str
    term: str
    """The EN 16931 term it fills (``BT-46``), named in messages."""


def _party(
    kind_of: Mapping[str, Kind],
    value: PartyIdentifier | ElectronicAddress | None,
    location: str,
    term: str,
) -> Iterator[Occurrence]:
    if value is not None and value.scheme is not None and value.scheme in kind_of:
        yield Occurrence(kind_of[value.scheme], f"{location}/value", value.value, term)


_ICD = {SIRET_SCHEME: Kind.SIRET, SIREN_SCHEME: Kind.SIREN}
_EAS = {SIRET_SCHEME: Kind.SIRET, SIREN_SCHEME: Kind.SIREN, FR_VAT_EAS: Kind.VAT}


def occurrences(invoice: Invoice) -> Iterator[Occurrence]:
    """Every identifier of a known kind in ``invoice``, in document order."""
    if seller := invoice.seller:
        for i, ident in enumerate(seller.identifiers):
            yield from _party(_ICD, ident, f"/seller/identifiers/{i}", "BT-29")
        yield from _party(_ICD, seller.legal_registration, "/seller/legal_registration", "BT-30")
        if seller.vat_id:
            yield Occurrence(Kind.VAT, "/seller/vat_id", seller.vat_id, "BT-31")
        yield from _party(_EAS, seller.electronic_address, "/seller/electronic_address", "BT-34")
    if buyer := invoice.buyer:
        yield from _party(_ICD, buyer.identifier, "/buyer/identifier", "BT-46")
        yield from _party(_ICD, buyer.legal_registration, "/buyer/legal_registration", "BT-47")
        if buyer.vat_id:
            yield Occurrence(Kind.VAT, "/buyer/vat_id", buyer.vat_id, "BT-48")
        yield from _party(_EAS, buyer.electronic_address, "/buyer/electronic_address", "BT-49")
    if payee := invoice.payee:
        yield from _party(_ICD, payee.identifier, "/payee/identifier", "BT-60")
        yield from _party(_ICD, payee.legal_registration, "/payee/legal_registration", "BT-61")
    if (representative := invoice.tax_representative) and representative.vat_id:
        yield Occurrence(Kind.VAT, "/tax_representative/vat_id", representative.vat_id, "BT-63")
    if invoice.delivery:
        yield from _party(_ICD, invoice.delivery.location_id, "/delivery/location_id", "BT-71")
    if payment := invoice.payment:
        for i, transfer in enumerate(payment.credit_transfers):
            where = f"/payment/credit_transfers/{i}"
            account = transfer.account_id
            if account and (
                payment.means_code == SEPA_CREDIT_TRANSFER or _IBAN_SHAPE.match(account)
            ):
                yield Occurrence(Kind.IBAN, f"{where}/account_id", account, "BT-84")
            if transfer.provider_id:
                yield Occurrence(Kind.BIC, f"{where}/provider_id", transfer.provider_id, "BT-86")
        debit = payment.direct_debit
        if debit and debit.debited_account_id and _IBAN_SHAPE.match(debit.debited_account_id):
            yield Occurrence(
                Kind.IBAN,
                "/payment/direct_debit/debited_account_id",
                debit.debited_account_id,
                "BT-91",
            )


# --- verdicts -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Verdict:
    rule: str
    luhn: bool
    """True when this is the Luhn verdict (its severity is the caller's choice)."""
    en: str
    fr: str
    fix: str


_KBIS = "Copy the {kind} from the company's Kbis or annuaire-entreprises.data.gouv.fr."
_VIES = "Copy the VAT number from the company's invoices or the VIES service."
_RIB = "Copy the IBAN from the bank's RIB (relevé d'identité bancaire)."

#: Every verdict of this layer: (Luhn verdict?, English, French, fix), ``{v}`` the value.
_TEXTS: Final[dict[str, tuple[bool, str, str, str]]] = {
    "ID-SIRET-LUHN": (
        True,
        "The SIRET {v} fails its Luhn check digit: a digit is wrong or two are swapped.",
        "Le SIRET {v} a une clé de Luhn fausse : un chiffre est faux ou deux sont inversés.",
        _KBIS.format(kind="SIRET"),
    ),
    "ID-SIRET-FORMAT": (
        False,
        "'{v}' is not a SIRET: a SIRET is 14 digits (SIREN then establishment number).",
        "« {v} » n'est pas un SIRET : un SIRET compte 14 chiffres (SIREN puis NIC).",
        "Write the 14-digit SIRET, or use scheme 0002 for a 9-digit SIREN.",
    ),
    "ID-SIREN-LUHN": (
        True,
        "The SIREN {v} fails its Luhn check digit: a digit is wrong or two are swapped.",
        "Le SIREN {v} a une clé de Luhn fausse : un chiffre est faux ou deux sont inversés.",
        _KBIS.format(kind="SIREN"),
    ),
    "ID-SIREN-FORMAT": (
        False,
        "'{v}' is not a SIREN: a SIREN is 9 digits.",
        "« {v} » n'est pas un SIREN : un SIREN compte 9 chiffres.",
        "Write the 9-digit SIREN, or use scheme 0009 for a 14-digit SIRET.",
    ),
    "ID-VAT-LUHN": (
        True,
        "The SIREN inside the VAT number {v} fails its Luhn check digit.",
        "Le SIREN contenu dans le numéro de TVA {v} a une clé de Luhn fausse.",
        _VIES,
    ),
    "ID-VAT-KEY-FR": (
        False,
        "The key of the French VAT number {v} does not match its SIREN.",
        "La clé du numéro de TVA {v} ne correspond pas à son SIREN.",
        _VIES,
    ),
    "ID-VAT-FORMAT-FR": (
        False,
        "'{v}' is not a French VAT number: FR, a 2-character key, then the SIREN.",
        "« {v} » n'est pas un numéro de TVA français : FR, une clé de 2 caractères puis le SIREN.",
        "Write the VAT number as FR + key + 9-digit SIREN, e.g. FR40303265045.",
    ),
    "ID-VAT-KEY": (
        False,
        "The check digits of the VAT number {v} are wrong.",
        "Les chiffres de contrôle du numéro de TVA {v} sont faux.",
        _VIES,
    ),
    "ID-VAT-FORMAT": (
        False,
        "'{v}' is not a well-formed VAT number of its country.",
        "« {v} » n'est pas un numéro de TVA bien formé pour son pays.",
        "Write the VAT number with its country prefix, as the VIES service shows it.",
    ),
    "ID-IBAN-KEY": (
        False,
        "The IBAN {v} fails its check digits: a character is wrong or missing.",
        "L'IBAN {v} a une clé fausse : un caractère est faux ou manquant.",
        _RIB,
    ),
    "ID-IBAN-FORMAT": (
        False,
        "'{v}' is not an IBAN of the length and structure its country uses.",
        "« {v} » n'est pas un IBAN de la longueur et de la forme de son pays.",
        _RIB,
    ),
    "ID-BIC-FORMAT": (
        False,
        "'{v}' is not a BIC: 8 or 11 characters, bank, country, location, branch.",
        "« {v} » n'est pas un BIC : 8 ou 11 caractères (banque, pays, lieu, agence).",
        "Copy the BIC from the bank's RIB, e.g. AGRIFRPPXXX.",
    ),
}


def _said(key: str, value: str) -> _Verdict:
    """The verdict ``key`` on ``value``; a French variant (``-FR``) keeps the common rule id."""
    luhn, en, fr, fix = _TEXTS[key]
    return _Verdict(key.removesuffix("-FR"), luhn, en.format(v=value), fr.format(v=value), fix)


def _stdnum(
    validate: Callable[[str], object], value: str, checksum: str, malformed: str
) -> _Verdict | None:
    """python-stdnum's verdict: a wrong check digit, any other flaw, or none."""
    try:
        validate(value)
    except InvalidChecksum:
        return _said(checksum, value)
    except ValidationError:
        return _said(malformed, value)
    return None


def _siret(value: str) -> _Verdict | None:
    return _stdnum(siret.validate, value, "ID-SIRET-LUHN", "ID-SIRET-FORMAT")


def _siren(value: str) -> _Verdict | None:
    return _stdnum(siren.validate, value, "ID-SIREN-LUHN", "ID-SIREN-FORMAT")


def _vat(value: str) -> _Verdict | None:
    number = value.replace(" ", "").upper()
    if not number.startswith("FR"):
        return _eu_vat(value)
    inner = number[4:]  # the SIREN first: its Luhn verdict may be relaxed (Monaco: 000...)
    shaped = len(number) == 13 and inner.isdigit() and not inner.startswith("000")
    if shaped and not siren.is_valid(inner):
        return _said("ID-VAT-LUHN", value)
    return _stdnum(tva.validate, value, "ID-VAT-KEY-FR", "ID-VAT-FORMAT-FR")


def _eu_vat(value: str) -> _Verdict | None:
    """Other EU VAT numbers, by their country's rules; non-EU prefixes are not judged."""
    country = value.strip()[:2].lower()
    if country not in eu_vat.MEMBER_STATES and country != "el":  # EL: Greece's VAT prefix
        return None
    return _stdnum(eu_vat.validate, value, "ID-VAT-KEY", "ID-VAT-FORMAT")


def _iban(value: str) -> _Verdict | None:
    return _stdnum(iban.validate, value, "ID-IBAN-KEY", "ID-IBAN-FORMAT")


def _bic(value: str) -> _Verdict | None:
    return None if bic.is_valid(value) else _said("ID-BIC-FORMAT", value)


_CHECKS: Final[dict[Kind, Callable[[str], _Verdict | None]]] = {
    Kind.SIRET: _siret,
    Kind.SIREN: _siren,
    Kind.VAT: _vat,
    Kind.IBAN: _iban,
    Kind.BIC: _bic,
}


@lru_cache(maxsize=4096)
def verdict(kind: Kind, value: str) -> _Verdict | None:
    """What is wrong with ``value`` as a ``kind``, or None (cached: sellers and buyers recur)."""
    return _CHECKS[kind](value)


@lru_cache(maxsize=4096)
def siren_in(kind: Kind, value: str) -> str:
    """The SIREN a SIRET, SIREN or French VAT number is built on, as stdnum compacts it."""
    if kind is Kind.SIRET:
        return siret.compact(value)[:9]
    if kind is Kind.VAT:
        return tva.compact(value)[2:]  # compact drops the FR prefix, then comes the key
    return siren.compact(value)


def _mismatch(found_all: list[Occurrence]) -> Iterator[Finding]:
    """A French VAT number whose SIREN is not the party's own SIREN (one of them is wrong)."""
    for party, term in (("seller", "BT-31"), ("buyer", "BT-48")):
        found = [o for o in found_all if o.location.startswith(f"/{party}/")]
        vat = next((o for o in found if o.kind is Kind.VAT and o.term == term), None)
        french = vat is not None and vat.value.strip().upper().startswith("FR")
        if vat is None or not french or verdict(Kind.VAT, vat.value) is not None:
            continue
        vat_siren = siren_in(Kind.VAT, vat.value)
        sirens = {siren_in(o.kind, o.value) for o in found if o.kind in (Kind.SIRET, Kind.SIREN)}
        if vat_siren.isdigit() and sirens and vat_siren not in sirens:
            other = sorted(sirens)[0]
            yield Finding(
                rule="ID-VAT-SIREN",
                severity=Severity.WARNING,
                layer=Layer.IDS,
                message_en=f"The {party}'s VAT number {vat.value} is built on SIREN {vat_siren}, "
                f"but its SIRET/SIREN says {other}.",
                message_fr=f"Le numéro de TVA {vat.value} repose sur le SIREN {vat_siren}, mais "
                f"le SIRET/SIREN indique {other}.",
                location=vat.location,
                fix="Check both numbers: a French VAT number is FR + key + the company's SIREN.",
            )


def identifier_findings(invoice: Invoice, *, luhn: Severity = Severity.FATAL) -> list[Finding]:
    """Findings on every identifier of ``invoice``.

    ``luhn`` is the severity of a failed Luhn check on a SIRET or SIREN: fatal by default,
    ``Severity.WARNING`` when rehearsing against the Chorus Pro qualification data set.
    """
    found = list(occurrences(invoice))
    findings: list[Finding] = []
    for occurrence in found:
        found_wrong = verdict(occurrence.kind, occurrence.value)
        if found_wrong is None:
            continue
        findings.append(
            Finding(
                rule=found_wrong.rule,
                severity=luhn if found_wrong.luhn else Severity.FATAL,
                layer=Layer.IDS,
                message_en=f"{occurrence.term}: {found_wrong.en}",
                message_fr=f"{occurrence.term} : {found_wrong.fr}",
                location=occurrence.location,
                fix=found_wrong.fix,
            )
        )
    findings.extend(_mismatch(found))
    return findings
