"""Deposited flows: taken at once, processed later, reported in detail.

``deposerFluxFacture`` only stores the file and answers a ``numeroFluxDepot``; the flow waits
in IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP for the configured delay, then the processor
unpacks it, judges each invoice and ends the flow IN_INTEGRE, IN_INTEGRE_PARTIEL or IN_REJETE
(API.md §3.1, §4.2). Integrated invoices start their life at DEPOSEE.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from chorusflow.chorus.wire.enums import EtatFlux, ModeDepot, StatutFacture, SyntaxeFlux
from chorusflow.chorus.wire.transverses import ErreurDP, ErreurTechnique
from chorusflow.errors import InputError
from chorusflow.formats.profiles import Syntax
from chorusflow.model import routing
from chorusflow.rules.chorus import BuyerDirectoryEntry
from chorusflow.sandbox import errors
from chorusflow.sandbox.archive import ArchiveError, Member, is_gzip, is_zip, unpack
from chorusflow.sandbox.auth import Caller
from chorusflow.sandbox.checks import MAX_TECHNICAL, business_findings, libelle, syntax_findings
from chorusflow.sandbox.directory import buyer_entry
from chorusflow.sandbox.lifecycle import now, set_status
from chorusflow.sandbox.reading import ReadInvoice, read_invoice_file, schema_errors
from chorusflow.sandbox.referentials import CODE_INTERFACE_AUTRE, CODES_INTERFACE
from chorusflow.sandbox.settings import SandboxSettings
from chorusflow.sandbox.store import Facture, Flux, Service, Structure

#: The file syntax each syntaxeFlux stands for; the others are accepted but not read.
SYNTAXES: dict[str, Syntax] = {
    SyntaxeFlux.IN_DP_E1_UBL_INVOICE: Syntax.UBL,
    SyntaxeFlux.IN_DP_E1_CII_16B: Syntax.CII,
    SyntaxeFlux.IN_DP_E1_CII: Syntax.CII,
    SyntaxeFlux.IN_DP_E2_CII_FACTURX: Syntax.FACTURX,
}
MODES_DEPOT = {Syntax.FACTURX: ModeDepot.EDI_MIXTE, Syntax.CII: ModeDepot.EDI_XML_STRUCT}


def decode_base64(text: str, settings: SandboxSettings) -> bytes:
    """The bytes of a base64 file field; CproError when it is not clean base64."""
    if ("\n" in text or "\r" in text) and not settings.accept_base64_line_breaks:
        raise errors.FICHIER_ILLISIBLE.error(
            "le base64 contient des retours à la ligne, qu'il faut retirer"
        )
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise errors.FICHIER_ILLISIBLE.error("le fichier n'est pas encodé en base 64") from None


def numero_flux(flux_id: int, code_interface: str) -> str:
    """``CPP001`` + the interface's 4 digits + a 15-digit sequence (API.md §2.3)."""
    return f"CPP001{code_interface[3:7]}{flux_id:015d}"


def deposit(
    session: Session,
    caller: Caller,
    settings: SandboxSettings,
    fichier: str | None,
    nom_fichier: str | None,
    syntaxe: SyntaxeFlux | None,
) -> Flux:
    """Store a flow for later processing; CproError when it cannot even be taken."""
    if not fichier:
        raise errors.DONNEE_INVALIDE.error("fichierFlux est obligatoire")
    if not nom_fichier:
        raise errors.DONNEE_INVALIDE.error("nomFichier est obligatoire")
    if syntaxe is None:
        raise errors.DONNEE_INVALIDE.error("syntaxeFlux est obligatoire")
    if len(nom_fichier) > 200:
        raise errors.DONNEE_INVALIDE.error("nomFichier dépasse 200 caractères")
    data = decode_base64(fichier, settings)
    archive = is_zip(data) or is_gzip(data)
    limit = settings.max_archive_bytes if archive else settings.max_flow_bytes
    if len(data) > limit:
        # the documented code, with the HTTP status the API gives oversize files (413)
        raise errors.FICHIER_TROP_GROS.error(f"{len(data)} octets pour {limit} au plus", 413)
    moment = now()
    code = CODES_INTERFACE.get(syntaxe, CODE_INTERFACE_AUTRE)
    flux = Flux(
        numero=f"pending-{time.time_ns()}",
        syntaxe=syntaxe.value,
        code_interface=code,
        nom_fichier=nom_fichier,
        utilisateur_id=caller.user_id,
        structure_id=caller.structure_id,
        date_depot=moment,
        etat=EtatFlux.IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP.value,
        date_etat=moment,
        traiter_a=time.time() + settings.flow_delay,
        fichier=data,
    )
    session.add(flux)
    session.flush()
    flux.numero = numero_flux(flux.id, code)
    return flux


def _members(flux: Flux, settings: SandboxSettings) -> list[Member]:
    data = flux.fichier or b""
    if is_zip(data) or is_gzip(data):
        return unpack(
            data,
            max_file=settings.max_flow_bytes,
            max_total=settings.max_archive_bytes,
            max_files=settings.max_archive_files,
        )
    return [Member(flux.nom_fichier, data)]


def _technical(code: str, text: str) -> ErreurTechnique:
    return ErreurTechnique(
        codeErreur=code, libelleErreur=f"IRRECEVABILITE: {text}", natureErreur="TECHNIQUE"
    )


@dataclass
class Verdict:
    """What the checks said about each file of a flow, before anything is written."""

    technical: list[ErreurTechnique] = field(default_factory=list)
    rejected: list[ErreurDP] = field(default_factory=list)
    accepted: list[tuple[ReadInvoice, Member]] = field(default_factory=list)


def _rejection(read: ReadInvoice, text: str) -> ErreurDP:
    route = routing(read.invoice)
    return ErreurDP(
        identifiantDestinataire=route.buyer_siret,
        identifiantFournisseur=route.seller_siret,
        libelleErreurDP=text,
        numeroDP=read.invoice.number,
    )


def judge(session: Session, flux: Flux, settings: SandboxSettings) -> Verdict:
    """Read and check every invoice of ``flux``; only reads the database.

    This is the slow part (schemas, schematron), so it runs outside any write transaction:
    deposits and buyer actions go on while a large flow is judged.
    """
    verdict = Verdict()
    expected = SYNTAXES.get(flux.syntaxe)
    supplier = session.get(Structure, flux.structure_id)
    assert supplier is not None
    if expected is None:
        verdict.technical.append(
            _technical(
                "ERR_SYNTAXE_001",
                f"la syntaxe {flux.syntaxe} n'est pas prise en charge par le bac à sable "
                "(UBL, CII 16B et Factur-X le sont)",
            )
        )
        return verdict
    try:
        members = _members(flux, settings)
    except ArchiveError as exc:
        verdict.technical.append(_technical("ERR_ARCHIVE_001", str(exc)))
        return verdict
    seen: set[str] = set()
    held = _Held(session, supplier.id)
    buyers: dict[str | None, BuyerDirectoryEntry | None] = {}
    candidates: list[tuple[ReadInvoice, Member]] = []
    for member in members:
        try:
            read = read_invoice_file(member.data)
        except InputError as exc:
            schema = schema_errors(member.data)[:MAX_TECHNICAL]
            verdict.technical.extend(
                _technical("ERR_XSD_001", f"{f.message_fr} - fichier : {member.name}")
                for f in schema
            )
            if not schema:
                verdict.technical.append(
                    _technical("ERR_FICHIER_001", f"{member.name} : {exc.message}")
                )
            continue
        if read.syntax is not expected:
            verdict.technical.append(
                _technical(
                    "ERR_SYNTAXE_002",
                    f"{member.name} est un fichier {read.syntax.value.upper()} alors que la "
                    f"syntaxe déclarée est {flux.syntaxe}",
                )
            )
            continue
        xsd = [f for f in syntax_findings(read) if f.fatal]
        if xsd:
            verdict.technical.extend(
                _technical("ERR_XSD_001", f"{f.message_fr} - fichier : {member.name}") for f in xsd
            )
            continue
        candidates.append((read, member))
    held.load(read.invoice.number or "" for read, _member in candidates)
    for read, member in candidates:
        error = _judge(session, read, supplier, settings, seen, held, buyers)
        if error:
            verdict.rejected.append(_rejection(read, error))
        else:
            verdict.accepted.append((read, member))
    return verdict


def record(session: Session, flux: Flux, verdict: Verdict, settings: SandboxSettings) -> None:
    """Integrate the accepted invoices and write the flow report (hold ``Store.writing``).

    The duplicate check is made again here, where no other write can slip in between.
    """
    supplier = session.get(Structure, flux.structure_id)
    assert supplier is not None
    rejected = list(verdict.rejected)
    integrated = 0
    held = _Held(session, supplier.id)
    held.load(read.invoice.number or "" for read, _member in verdict.accepted)
    for read, member in verdict.accepted:
        number = read.invoice.number or ""
        if held.holds(number):
            rejected.append(_rejection(read, errors.DOUBLON.libelle))
            continue
        _integrate(session, flux, read, supplier, member, settings)
        held.numbers.add(number)
        integrated += 1
    if integrated and not rejected and not verdict.technical:
        etat = EtatFlux.IN_INTEGRE
    elif integrated:
        etat = EtatFlux.IN_INTEGRE_PARTIEL
    else:
        etat = EtatFlux.IN_REJETE
    flux.etat = etat.value
    flux.date_etat = now()
    flux.traiter_a = None
    flux.fichier = None
    flux.erreurs_dp = json.dumps([e.to_wire() for e in rejected], ensure_ascii=False)
    flux.erreurs_techniques = json.dumps(
        [e.to_wire() for e in verdict.technical], ensure_ascii=False
    )


def duplicate(session: Session, supplier_id: int, numero: str) -> bool:
    """True when the supplier already has a non-rejected invoice with this number."""
    found = session.scalar(
        select(Facture.id).where(
            Facture.fournisseur_id == supplier_id,
            Facture.numero == numero,
            Facture.statut != StatutFacture.REJETEE.value,
        )
    )
    return found is not None


class _Held:
    """The numbers a supplier already holds (not rejected), asked for a whole flow at once
    rather than one query per invoice (each of which would also flush the session)."""

    def __init__(self, session: Session, supplier_id: int) -> None:
        self.session = session
        self.supplier_id = supplier_id
        self.numbers: set[str] = set()
        self.asked: set[str] = set()

    def load(self, numbers: Iterable[str]) -> None:
        wanted = sorted({n for n in numbers if n} - self.asked)
        for first in range(0, len(wanted), 500):
            part = wanted[first : first + 500]
            self.numbers.update(
                self.session.scalars(
                    select(Facture.numero).where(
                        Facture.fournisseur_id == self.supplier_id,
                        Facture.numero.in_(part),
                        Facture.statut != StatutFacture.REJETEE.value,
                    )
                )
            )
            self.asked.update(part)

    def holds(self, number: str) -> bool:
        if number not in self.asked:
            self.load([number])
        return number in self.numbers


def _judge(
    session: Session,
    read: ReadInvoice,
    supplier: Structure,
    settings: SandboxSettings,
    seen: set[str],
    held: _Held,
    buyers: dict[str | None, BuyerDirectoryEntry | None],
) -> str | None:
    """The ``libelleErreurDP`` of an invoice, or None when it is integrated (``buyers``: the
    directory entries already read for this flow)."""
    route = routing(read.invoice)
    if route.buyer_siret not in buyers:
        buyers[route.buyer_siret] = buyer_entry(session, route.buyer_siret)
    entry = buyers[route.buyer_siret]
    messages = []
    findings = business_findings(read, entry, settings.en16931)
    if findings:
        messages.append(libelle(findings))
    if route.seller_siret != supplier.identifiant:
        messages.append(
            f"L'identifiant fournisseur de la demande de paiement ({route.seller_siret}) "
            f"n'est pas celui de la structure du compte qui dépose ({supplier.identifiant})."
        )
    number = read.invoice.number or ""
    if number and (number in seen or held.holds(number)):
        messages.append(errors.DOUBLON.libelle)
    seen.add(number)
    return " | ".join(messages) or None


def _integrate(
    session: Session,
    flux: Flux,
    read: ReadInvoice,
    supplier: Structure,
    member: Member,
    settings: SandboxSettings,
) -> Facture:
    invoice = read.invoice
    route = routing(invoice)
    buyer = session.scalar(select(Structure).where(Structure.identifiant == route.buyer_siret))
    assert buyer is not None
    service = None
    if route.service_code:
        service = session.scalar(
            select(Service).where(
                Service.structure_id == buyer.id, Service.code == route.service_code
            )
        )
    totals = invoice.totals
    facture = Facture(
        numero=invoice.number or "",
        fournisseur_id=supplier.id,
        destinataire_id=buyer.id,
        service_id=service.id if service else None,
        utilisateur_id=flux.utilisateur_id,
        statut=StatutFacture.DEPOSEE.value,
        date_statut=now(),
        mode_depot=MODES_DEPOT.get(read.syntax, ModeDepot.EDI_XML_STRUCT).value,
        numero_flux=flux.numero,
        syntaxe=read.syntax.value,
        type_facture="AVOIR" if invoice.is_credit_note else "FACTURE",
        cadre=route.framework or "A1_FACTURE_FOURNISSEUR",
        devise=str(invoice.currency or "EUR"),
        date_facture=invoice.issue_date,
        date_depot=flux.date_depot,
        montant_ht=totals.tax_exclusive if totals else None,
        montant_tva=totals.tax_total if totals else None,
        montant_ttc=totals.tax_inclusive if totals else None,
        montant_a_payer=totals.payable if totals else None,
        numero_marche=route.contract_number,
        numero_bon_commande=route.engagement_number,
        fichier=member.data,
        taille=len(member.data),
        nom_fichier=member.name,
    )
    session.add(facture)
    session.flush()
    later = time.time() + settings.policy.routing_delay
    set_status(session, facture, StatutFacture.DEPOSEE.value, suite_a=later)
    return facture


def due_flows(session: Session, limit: int = 20) -> list[Flux]:
    """Flows whose waiting time is over."""
    return list(
        session.scalars(
            select(Flux).where(Flux.traiter_a <= time.time()).order_by(Flux.id).limit(limit)
        ).all()
    )
