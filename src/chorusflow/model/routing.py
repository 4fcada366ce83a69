"""Where the data Chorus Pro routes an invoice on sits in the EN 16931 model.

Chorus Pro reads, from a structured invoice (API.md §8.3, CIUS-FR usage):

* the recipient public structure: the buyer's SIRET, BT-46 with scheme 0009 (also accepted:
  BT-47 or the electronic address BT-49 with scheme 0009);
* the supplier structure: the seller's SIRET, BT-29 with scheme 0009 (also BT-30, BT-34);
* the service code (code service exécutant): the buyer reference BT-10;
* the engagement number (numéro d'engagement juridique / bon de commande): BT-13;
* the contract number (numéro de marché): BT-12;
* the invoicing framework (cadre de facturation): the business process BT-23, as ``A1`` ...
  ``A25`` or the full code; absent means A1 (plain supplier invoice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from chorusflow.model.codes import SIRET_SCHEME
from chorusflow.model.invoice import ElectronicAddress, Invoice, PartyIdentifier

#: Cadres de facturation (API.md §9.5), keyed by their short form as written in BT-23.
FRAMEWORKS: Final[dict[str, str]] = {
    code.split("_", 1)[0]: code
    for code in (
        "A1_FACTURE_FOURNISSEUR",
        "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
        "A3_MEMOIRE_JUSTICE",
        "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
        "A5_ETAT_ACOMPTE_FOURNISSEUR",
        "A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR",
        "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR",
        "A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR",
        "A9_FACTURE_SOUSTRAITANT",
        "A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT",
        "A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT",
        "A12_FACTURE_COTRAITANT",
        "A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT",
        "A14_PROJET_DECOMPTE_FINAL_COTRAITANT",
        "A15_ETAT_ACOMPTE_MOE",
        "A16_ETAT_ACOMPTE_VALIDE_MOE",
        "A17_PROJET_DECOMPTE_GENERAL_MOE",
        "A18_DECOMPTE_GENERAL_MOE",
        "A19_ETAT_ACOMPTE_VALIDE_MOA",
        "A20_DECOMPTE_GENERAL_MOA",
        "A21_DEMANDE_REMBOURSEMENT_TIC",
        "A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE",
        "A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR",
        "A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE",
        "A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE",
    )
}
DEFAULT_FRAMEWORK: Final = FRAMEWORKS["A1"]


@dataclass(frozen=True, slots=True)
class Routing:
    """The Chorus Pro routing data of one invoice."""

    buyer_siret: str | None
    seller_siret: str | None
    service_code: str | None
    engagement_number: str | None
    contract_number: str | None
    framework: str | None
    """Full cadre code (``A1_FACTURE_FOURNISSEUR``), or None when BT-23 names no known one."""


def _siret(*candidates: PartyIdentifier | ElectronicAddress | None) -> str | None:
    for candidate in candidates:
        if candidate is not None and candidate.scheme == SIRET_SCHEME:
            return candidate.value.strip()
    return None


def framework_of(business_process: str | None) -> str | None:
    """The cadre de facturation named by BT-23 (``A1``, ``A1_FACTURE_FOURNISSEUR`` ...)."""
    if business_process is None or not business_process.strip():
        return DEFAULT_FRAMEWORK
    value = business_process.strip().upper()
    if value in FRAMEWORKS.values():
        return value
    return FRAMEWORKS.get(value)


def routing(invoice: Invoice) -> Routing:
    """Read the routing data out of an invoice."""
    buyer, seller = invoice.buyer, invoice.seller
    buyer_siret = (
        _siret(buyer.identifier, buyer.legal_registration, buyer.electronic_address)
        if buyer
        else None
    )
    seller_siret = (
        _siret(*seller.identifiers, seller.legal_registration, seller.electronic_address)
        if seller
        else None
    )
    return Routing(
        buyer_siret=buyer_siret,
        seller_siret=seller_siret,
        service_code=invoice.buyer_reference,
        engagement_number=invoice.purchase_order_reference,
        contract_number=invoice.contract_reference,
        framework=framework_of(invoice.business_process),
    )
