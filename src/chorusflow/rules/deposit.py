"""Chorus Pro's deposit rules (layer ``chorus``): what the platform refuses before any buyer sees
the invoice.

Routing and the buyer's demands are :mod:`chorusflow.rules.chorus` (shared with the sandbox);
this module adds what Chorus Pro checks on every deposit: the supplier's SIRET, the invoice
number's characters and length, the attachments' names, types and sizes, the size of the flow
file, the original invoice of a credit note and the invoicing framework. Each limit names its
source in API.md; docs/decisions.md says how the uncertain ones were settled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from chorusflow.model import Invoice, routing
from chorusflow.model.routing import FRAMEWORKS, Routing, framework_of
from chorusflow.rules.chorus import (
    SIRET_SHAPE,
    buyer_siret_finding,
    chorus_finding,
    demand_findings,
    engagement_length_findings,
)
from chorusflow.rules.directory import Directory, DirectoryUnavailableError
from chorusflow.rules.findings import Finding, Severity

#: Characters of an invoice number (numeroFacture): alphanumeric plus - _ / + (API.md §8.4).
NUMBER_SHAPE: Final = re.compile(r"[A-Za-z0-9_/+-]+")
#: numeroFacture is varchar(20) in the API annex as copied by S8 (API.md §3.3) [C1].
MAX_NUMBER_LENGTH: Final = 20
#: pieceJointeNom, the attachment's file name, at most 50 characters (API.md §4.4, §13).
MAX_ATTACHMENT_NAME: Final = 50
#: Each attachment under 10 Mo (API.md §4.4, §13); read as 10^7 bytes, the stricter reading.
MAX_ATTACHMENT_BYTES: Final = 10_000_000
#: A deposited flow file at most 10 MB (API.md §13, deposerFluxFacture); 10^7 bytes.
MAX_FLOW_FILE_BYTES: Final = 10_000_000
#: Attachment extensions both sources of API.md §4.4 accept.
ATTACHMENT_EXTENSIONS: Final = frozenset(
    {
        "bmp", "bz2", "csv", "doc", "docx", "fax", "gif", "gz", "gzip", "htm", "html", "jpeg",
        "jpg", "odp", "ods", "odt", "p7s", "pdf", "png", "pps", "ppt", "pptx", "rtf", "svg",
        "tgz", "tif", "tiff", "txt", "xhtml", "xlc", "xlm", "xls", "xlsx", "xml", "zip",
    }
)  # fmt: skip
#: Extensions in one source's copy of the annex only (API.md §4.4): accepted with a warning.
DOUBTFUL_EXTENSIONS: Final = frozenset({"xsd", "xsl"})
#: Cadres a supplier deposits an invoice under (soumettreFacture accepts these, API.md §9.5);
#: the others belong to works, justice or project-management circuits.
SUPPLIER_FRAMEWORKS: Final = frozenset(FRAMEWORKS[code] for code in ("A1", "A2", "A9", "A12"))


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}"


def _buyer(invoice: Invoice, directory: Directory | None) -> list[Finding]:
    if (problem := buyer_siret_finding(invoice)) is not None:
        return [problem]
    route = routing(invoice)
    return directory_findings(route, directory) + engagement_length_findings(route)


def directory_findings(route: Routing, directory: Directory | None) -> list[Finding]:
    """What the directory says of the buyer's demands on ``route`` (none without a directory).

    Apart from the rest of the layer so that ``send`` can ask it once, in the process that
    holds the directory, for invoices prepared in other processes.
    """
    if directory is None or route.buyer_siret is None:
        return []
    try:
        entry = directory.lookup(route.buyer_siret)
    except DirectoryUnavailableError as error:
        why = error.message.rstrip(".")
        return [
            chorus_finding(
                "CPRO-BUYER-NOT-CHECKED",
                f"The Chorus Pro directory did not answer ({why}): the demands of "
                f"the buyer {route.buyer_siret} (service code, engagement number) were not "
                "checked; Chorus Pro's flow report will judge them.",
                f"L'annuaire Chorus Pro n'a pas répondu ({why}) : les exigences du "
                f"destinataire {route.buyer_siret} (code service, numéro d'engagement) n'ont pas "
                "été vérifiées ; le compte rendu du flux les jugera.",
                "/buyer/identifier",
                "Nothing to do now; if the flow is rejected, its report says what to change.",
                Severity.WARNING,
            )
        ]
    if entry is None and not directory.complete:
        return [
            chorus_finding(
                "CPRO-BUYER-NOT-IN-DIRECTORY",
                f"The buyer {route.buyer_siret} is not in the directory file: its demands "
                "(service code, engagement number) were not checked.",
                f"Le destinataire {route.buyer_siret} n'est pas dans le fichier annuaire : ses "
                "exigences (code service, numéro d'engagement) n'ont pas été vérifiées.",
                "/buyer/identifier",
                "Add the structure to the directory file, or check the buyer's SIRET.",
                Severity.WARNING,
            )
        ]
    return demand_findings(route, entry)


def _seller(invoice: Invoice) -> Iterator[Finding]:
    seller = invoice.seller
    if seller is None or seller.address is None or seller.address.country != "FR":
        return
    siret = routing(invoice).seller_siret
    if siret is None:
        yield chorus_finding(
            "CPRO-SELLER-SIRET",
            "A French supplier is identified in Chorus Pro by its SIRET, and the seller has none.",
            "Un fournisseur français est identifié dans Chorus Pro par son SIRET, et le vendeur "
            "n'en a pas.",
            "/seller/legal_registration",
            "Set seller.legal_registration (or seller.identifiers) to the SIRET with scheme 0009.",
        )
    elif not SIRET_SHAPE.fullmatch(siret):
        yield chorus_finding(
            "CPRO-SELLER-SIRET-FORMAT",
            f"The seller's SIRET '{siret}' is not 14 digits.",
            f"Le SIRET du vendeur « {siret} » ne compte pas 14 chiffres.",
            "/seller/legal_registration",
            "Write the seller's SIRET as 14 digits, without spaces or dots.",
        )


def _number(invoice: Invoice) -> Iterator[Finding]:
    number = invoice.number
    if not number:
        return  # BR-02 says it is missing
    if not NUMBER_SHAPE.fullmatch(number):
        odd = sorted({c for c in number if not NUMBER_SHAPE.fullmatch(c)})
        shown_en = ", ".join("a space" if c == " " else f"'{c}'" for c in odd)
        shown_fr = ", ".join("une espace" if c == " " else f"« {c} »" for c in odd)
        yield chorus_finding(
            "CPRO-NUMBER-CHARS",
            f"The invoice number '{number}' contains {shown_en}: Chorus Pro accepts letters, "
            "digits and - _ / + only.",
            f"Le numéro de facture « {number} » contient {shown_fr} : Chorus Pro n'accepte que "
            "lettres, chiffres et - _ / +.",
            "/number",
            "Number invoices with letters, digits and - _ / + only (no spaces or accents).",
        )
    if len(number) > MAX_NUMBER_LENGTH:
        yield chorus_finding(
            "CPRO-NUMBER-LENGTH",
            f"The invoice number '{number}' is {len(number)} characters long; Chorus Pro takes "
            f"at most {MAX_NUMBER_LENGTH}.",
            f"Le numéro de facture « {number} » fait {len(number)} caractères ; Chorus Pro en "
            f"accepte au plus {MAX_NUMBER_LENGTH}.",
            "/number",
            f"Use invoice numbers of at most {MAX_NUMBER_LENGTH} characters.",
        )


def _attachments(invoice: Invoice) -> Iterator[Finding]:
    for i, document in enumerate(invoice.supporting_documents):
        attachment = document.attachment
        if attachment is None:
            continue
        where = f"/supporting_documents/{i}/attachment"
        name = attachment.filename
        if not name or not name.strip():
            yield chorus_finding(
                "CPRO-ATTACHMENT-NAME",
                f"Attachment {i + 1} has no file name: Chorus Pro needs one, with its extension.",
                f"La pièce jointe {i + 1} n'a pas de nom de fichier : Chorus Pro en exige un, "
                "avec son extension.",
                f"{where}/filename",
                "Give the attachment a file name such as 'bon-de-livraison.pdf'.",
            )
            continue
        if len(name) > MAX_ATTACHMENT_NAME:
            yield chorus_finding(
                "CPRO-ATTACHMENT-NAME-LENGTH",
                f"The attachment name '{name}' is {len(name)} characters long; Chorus Pro takes "
                f"at most {MAX_ATTACHMENT_NAME}.",
                f"Le nom de la pièce jointe « {name} » fait {len(name)} caractères ; Chorus Pro "
                f"en accepte au plus {MAX_ATTACHMENT_NAME}.",
                f"{where}/filename",
                f"Shorten the file name to {MAX_ATTACHMENT_NAME} characters or fewer.",
            )
        extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
        if extension not in ATTACHMENT_EXTENSIONS:
            doubtful = extension in DOUBTFUL_EXTENSIONS
            shown = f".{extension}" if extension else "no extension"
            yield chorus_finding(
                "CPRO-ATTACHMENT-TYPE",
                f"The attachment '{name}' has {shown}, which Chorus Pro "
                + ("may refuse (the sources disagree)." if doubtful else "refuses."),
                f"La pièce jointe « {name} » a "
                + (f"l'extension {shown}" if extension else "aucune extension")
                + (", que Chorus Pro peut refuser." if doubtful else ", refusée par Chorus Pro."),
                f"{where}/filename",
                "Send the attachment as PDF (or another accepted type: docs/validation.md).",
                Severity.WARNING if doubtful else Severity.FATAL,
            )
        if len(attachment.content) >= MAX_ATTACHMENT_BYTES:
            yield chorus_finding(
                "CPRO-ATTACHMENT-SIZE",
                f"The attachment '{name}' is {_mb(len(attachment.content))} MB; Chorus Pro takes "
                "attachments under 10 MB.",
                f"La pièce jointe « {name} » fait {_mb(len(attachment.content))} Mo ; Chorus Pro "
                "n'accepte que des pièces jointes de moins de 10 Mo.",
                f"{where}/content",
                "Compress the attachment or split it into several files.",
            )


def _flow_size(invoice: Invoice, file_size: int | None) -> Iterator[Finding]:
    """The file deposited as a flow; for JSON input, its attachments alone bound it below."""
    size = file_size
    if size is None:
        size = sum(len(d.attachment.content) for d in invoice.supporting_documents if d.attachment)
    if size > MAX_FLOW_FILE_BYTES:
        yield chorus_finding(
            "CPRO-FLOW-SIZE",
            f"The invoice file is {_mb(size)} MB with its attachments; Chorus Pro takes flow "
            "files of at most 10 MB.",
            f"Le fichier de la facture fait {_mb(size)} Mo avec ses pièces jointes ; Chorus Pro "
            "n'accepte que des flux de 10 Mo au plus.",
            "/supporting_documents",
            "Make the attachments smaller (compressed PDF) or send fewer of them.",
        )


def _credit_note(invoice: Invoice) -> Iterator[Finding]:
    if invoice.is_credit_note and not any(p.reference for p in invoice.preceding_invoices):
        yield chorus_finding(
            "CPRO-CREDIT-NOTE-ORIGIN",
            "A credit note to a public buyer must name the invoice it corrects (BG-3).",
            "Un avoir adressé à un acheteur public doit citer la facture qu'il corrige (BG-3).",
            "/preceding_invoices",
            "Add preceding_invoices with the number (and date) of the original invoice.",
        )


def _framework(invoice: Invoice) -> Iterator[Finding]:
    framework = framework_of(invoice.business_process)
    if framework is None:
        yield chorus_finding(
            "CPRO-FRAMEWORK",
            f"The business process '{invoice.business_process}' (BT-23) names no Chorus Pro "
            "invoicing framework (cadre de facturation).",
            f"Le processus « {invoice.business_process} » (BT-23) ne désigne aucun cadre de "
            "facturation Chorus Pro.",
            "/business_process",
            "Set business_process to A1 (supplier invoice) or another cadre A1 ... A25.",
        )
    elif framework not in SUPPLIER_FRAMEWORKS:
        yield chorus_finding(
            "CPRO-FRAMEWORK-CIRCUIT",
            f"The framework {framework} belongs to a works, justice or project-management "
            "circuit, not to a plain supplier deposit.",
            f"Le cadre {framework} relève d'un circuit travaux, justice ou maîtrise d'œuvre, "
            "pas d'un dépôt fournisseur simple.",
            "/business_process",
            "Check with the buyer that this cadre is expected; A1 is the plain supplier invoice.",
            Severity.WARNING,
        )


def deposit_findings(
    invoice: Invoice, directory: Directory | None = None, *, file_size: int | None = None
) -> list[Finding]:
    """Every Chorus Pro deposit rule on ``invoice``.

    ``directory`` supplies the buyer's demands (none given: they are not checked);
    ``file_size`` is the size of the file to deposit, when there is one already.
    """
    return [
        *_buyer(invoice, directory),
        *_seller(invoice),
        *_number(invoice),
        *_attachments(invoice),
        *_flow_size(invoice, file_size),
        *_credit_note(invoice),
        *_framework(invoice),
    ]
