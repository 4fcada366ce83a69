"""What Chorus Pro's return codes mean and what to change: the one catalogue.

Codes are per operation (the same ``codeRetour`` means different things in different
operations, API.md §11) and the ``libelle`` starts with a message key (``GDP_MSG_11.022``) that
is more specific than the code. A lookup therefore tries the message key, then the
(operation, code) pair, then the code alone, and always answers: an unknown code gets an entry
that says so and points at the libelle, never a crash.

Facts come from API.md (§3–§6 per operation, §11, §13); where the sources give a code without
its text (soumettreFacture 20013, 20303–20305; recyclerFacture 20004–20014), the entry says
that the official text is unpublished and that the libelle is the authority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One known refusal: what it means and what the user should change."""

    meaning: str
    fix: str
    key: str | None = None
    """The message key (``XXX_MSG_nn.nnn``) when the entry is tied to one."""
    no_result: bool = False
    """True when the 'error' only says that a search found nothing."""


_MESSAGE_KEY = re.compile(r"\b([A-Z]{3}_MSG_\d{2}[._]\d{3})\b")

#: Entries by message key (the most specific).
BY_KEY: Final[dict[str, CatalogueEntry]] = {
    "TRA_MSG_00.015": CatalogueEntry(
        "the search found no result",
        "Nothing to fix if none was expected; otherwise widen the search criteria.",
        "TRA_MSG_00.015",
        no_result=True,
    ),
    "GFT_MSG_01.075": CatalogueEntry(
        "the search of works invoices found no result",
        "Nothing to fix if none was expected; otherwise widen the search criteria.",
        "GFT_MSG_01.075",
        no_result=True,
    ),
    "POQ_MSG_01.003": CatalogueEntry(
        "no flow with this numeroFluxDepot is visible to this technical account",
        "Check the flow number, and that the technical account belongs to the structure that "
        "deposited it, in the same environment (qualification and production are separate).",
        "POQ_MSG_01.003",
    ),
    "GDP_MSG_11.022": CatalogueEntry(
        "the deposited file is too large",
        "Chorus Pro takes at most 10 MB per file and 30 MB compressed: send smaller batches.",
        "GDP_MSG_11.022",
    ),
    "GDP_MSG_11.008": CatalogueEntry(
        "the invoice (demande de paiement) does not exist for this account",
        "Use the identifiantFactureCPP returned by rechercherFactureParFournisseur for this "
        "supplier structure.",
        "GDP_MSG_11.008",
    ),
    "GDP_MSG_11.005": CatalogueEntry(
        "the technical account is not allowed to act on this invoice",
        "In Chorus Pro, check that the technical account is attached to the supplier "
        "structure that issued the invoice (Raccordement EDI et API > Compte technique).",
        "GDP_MSG_11.005",
    ),
    "GDP_MSG_11.033": CatalogueEntry(
        'the invoice is not at status "SUSPENDUE"',
        "Only a SUSPENDUE invoice can be completed: read its current status with "
        "consulterHistoriqueFacture first.",
        "GDP_MSG_11.033",
    ),
}

_UNPUBLISHED = "the official text of this code is not published; the libelle says what is wrong"

#: Entries by (operationId, codeRetour).
BY_OPERATION: Final[dict[tuple[str, int], CatalogueEntry]] = {
    ("rechercherFactureRecipiendaire", 20000): BY_KEY["TRA_MSG_00.015"],
    ("consulterCRDetaille", 20001): BY_KEY["POQ_MSG_01.003"],
    ("consulterCR", 20001): BY_KEY["POQ_MSG_01.003"],
    ("deposerFluxFacture", 20001): BY_KEY["GDP_MSG_11.022"],
    ("completerFacture", 20000): BY_KEY["GDP_MSG_11.008"],
    ("completerFacture", 20001): BY_KEY["GDP_MSG_11.005"],
    ("completerFacture", 20002): BY_KEY["GDP_MSG_11.033"],
    ("ajouterFichierDansSysteme", 20003): CatalogueEntry(
        "the attachment is larger than 10 MB",
        "Send attachments of at most 10 MB each (and at most 120 MB for an invoice with all "
        "its attachments).",
    ),
    **{
        ("soumettreFacture", code): CatalogueEntry(
            f"the invoice was refused ({_UNPUBLISHED})",
            "Correct the field the libelle names (recipient SIRET, service code, engagement "
            "number, amounts) and submit again; a duplicate invoice number needs a new number.",
        )
        for code in (20013, 20303, 20304, 20305)
    },
    **{
        ("recyclerFacture", code): CatalogueEntry(
            f"the recycling was refused ({_UNPUBLISHED})",
            "Only an A_RECYCLER invoice can be recycled, and only its recipient SIRET, service "
            "code or engagement number can change: check its status and the new routing.",
        )
        for code in range(20004, 20015)
    },
}

#: Entries by HTTP status, for refusals that carry no Chorus Pro envelope (API.md §1.4).
BY_HTTP_STATUS: Final[dict[int, CatalogueEntry]] = {
    400: CatalogueEntry(
        "the request is malformed (Requête mal formulée)",
        "This is a bug in the caller: the body does not match the operation's schema.",
    ),
    404: CatalogueEntry(
        "no such API at this address (API non trouvée)",
        "Check api_url: it must be the PISTE API host (e.g. https://api.piste.gouv.fr) "
        "without a path.",
    ),
    413: CatalogueEntry(
        "the request is too large",
        "deposerPDFFacture and ajouterFichierDansSysteme take 10 MB; a flow 10 MB a file and "
        "30 MB compressed; a download at most 120 MB: split the work.",
    ),
    415: CatalogueEntry(
        "the request's format is not supported",
        "Send JSON with Content-Type application/json;charset=utf-8.",
    ),
}

#: Technical errors of a flow report (``listeErreurTechnique.codeErreur``, API.md §4.2).
BY_TECHNICAL_CODE: Final[dict[str, CatalogueEntry]] = {
    "ERR_XSD_001": CatalogueEntry(
        "the file does not match its syntax's XSD: the flow is irrecevable",
        "Fix the element at the line and position given, or regenerate the file with "
        "chorusflow convert; check it first with chorusflow validate --official.",
    ),
}

#: Known texts of invoice rejections in a flow report (``listeErreurDP.libelleErreurDP``).
REJECTIONS: Final[tuple[tuple[re.Pattern[str], CatalogueEntry], ...]] = (
    (
        re.compile(r"identifiant fournisseur .*n'est pas reference", re.IGNORECASE),
        CatalogueEntry(
            "the seller's identifier is not a structure known to Chorus Pro",
            "Put the supplier structure's SIRET (scheme 0009) in the seller identifier, the "
            "same structure as the technical account's.",
        ),
    ),
    (
        re.compile(r"PaymentMeans\.TypeCode.* est obligatoire", re.IGNORECASE),
        CatalogueEntry(
            "the payment means code is missing",
            "Set the payment means type code (BT-81), e.g. 30 or 58 for a credit transfer.",
        ),
    ),
    (
        re.compile(r"est obligatoire", re.IGNORECASE),
        CatalogueEntry(
            "a mandatory element of the invoice is missing",
            "Fill the element the message names and send the invoice again under the same "
            "number only if it was rejected.",
        ),
    ),
)


def _fallback(code: int) -> CatalogueEntry:
    return CatalogueEntry(
        f"the refusal code {code} is not in chorusflow's catalogue",
        "Read the libelle: it names the message key; the Chorus Pro error message appendix "
        "gives its rule.",
    )


def message_key(libelle: str | None) -> str | None:
    """The ``XXX_MSG_nn.nnn`` key a libelle starts with, if any."""
    if not libelle:
        return None
    found = _MESSAGE_KEY.search(libelle)
    return found.group(1) if found else None


def lookup(operation: str, code: int, libelle: str | None = None) -> CatalogueEntry:
    """The entry for ``codeRetour`` ``code`` of ``operation`` (always an entry)."""
    key = message_key(libelle)
    if key is not None and key in BY_KEY:
        return BY_KEY[key]
    entry = BY_OPERATION.get((operation, code))
    if entry is not None:
        return entry
    return _fallback(code)


def http_entry(status: int) -> CatalogueEntry:
    """The entry for a bare HTTP refusal."""
    return BY_HTTP_STATUS.get(
        status,
        CatalogueEntry(
            f"the gateway refused the request with HTTP {status}",
            "Check api_url and the request; the answer carried no Chorus Pro return code.",
        ),
    )


def technical_entry(code: str | None) -> CatalogueEntry:
    """The entry for a technical error of a flow report."""
    return BY_TECHNICAL_CODE.get(
        code or "",
        CatalogueEntry(
            f"the flow was refused by a technical check ({code or 'no code'})",
            "Read libelleErreur; check the file with chorusflow validate --official.",
        ),
    )


def rejection_entry(libelle: str | None) -> CatalogueEntry:
    """The entry for one invoice's rejection text in a flow report."""
    for pattern, entry in REJECTIONS:
        if libelle and pattern.search(libelle):
            return entry
    return CatalogueEntry(
        "Chorus Pro rejected the invoice",
        "Read the rejection text, correct the invoice and send it again: an invoice rejected "
        "in a flow report got no Chorus Pro id (rechercherFactureParFournisseur does not list it).",
    )
