"""Chorus Pro's routing demands: the buyer, its service code and engagement number.

What a public buyer demands is published in the Chorus Pro directory (API.md §5.6):
``consulterStructure.parametres`` for the structure and ``consulterServiceStructure.parametres``
for each service. :class:`BuyerDirectoryEntry` holds that, whoever read it: the client from
the real directory, the sandbox from its own data set, a user from a file. The same
:func:`routing_findings` then serves the pre-flight check and the sandbox's integration, so
both sides judge an invoice by one piece of code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import ConfigDict

from chorusflow.model import Invoice, Routing, routing
from chorusflow.rules.findings import Finding, Layer, Severity

#: Longest engagement number Chorus Pro accepts (API.md §8.3).
MAX_ENGAGEMENT_LENGTH = 50
#: A SIRET is 14 digits: the SIREN (9) and the establishment number (5).
SIRET_SHAPE = re.compile(r"[0-9]{14}")


#: Directory files (rules.directory) are read into these dataclasses: unknown keys are refused.
_FILE_CONFIG = ConfigDict(extra="forbid")


class Requirement(StrEnum):
    """What a buyer structure requires on its invoices."""

    NONE = "none"
    SERVICE = "service"
    ENGAGEMENT = "engagement"
    SERVICE_AND_ENGAGEMENT = "service_and_engagement"
    SERVICE_OR_ENGAGEMENT = "service_or_engagement"


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """One service of a buyer structure (consulterServiceStructure)."""

    __pydantic_config__ = _FILE_CONFIG

    code: str
    active: bool = True
    engagement_required: bool = False
    """``parametres.numeroEngagement``: an engagement number is needed for this service."""


@dataclass(frozen=True, slots=True)
class BuyerDirectoryEntry:
    """A public buyer as the Chorus Pro directory describes it (consulterStructure)."""

    __pydantic_config__ = _FILE_CONFIG

    siret: str
    name: str | None = None
    active: bool = True
    service_code_required: bool = False
    """``parametres.codeServiceDoitEtreRenseigne``."""
    engagement_required: bool = False
    """``parametres.numeroEJDoitEtreRenseigne``."""
    service_or_engagement: bool = False
    """``parametres.gestionNumeroEJOuCodeService``."""
    services: tuple[ServiceEntry, ...] = field(default=())

    @property
    def requirement(self) -> Requirement:
        """The structure's demand, evaluated in the order of API.md §5.6."""
        if self.service_or_engagement:
            return Requirement.SERVICE_OR_ENGAGEMENT
        if self.service_code_required and self.engagement_required:
            return Requirement.SERVICE_AND_ENGAGEMENT
        if self.service_code_required:
            return Requirement.SERVICE
        if self.engagement_required:
            return Requirement.ENGAGEMENT
        return Requirement.NONE

    def service(self, code: str) -> ServiceEntry | None:
        return next((s for s in self.services if s.code == code), None)


def chorus_finding(
    rule: str, en: str, fr: str, location: str, fix: str, severity: Severity = Severity.FATAL
) -> Finding:
    """A finding of the Chorus Pro layer."""
    return Finding(
        rule=rule,
        severity=severity,
        layer=Layer.CHORUS,
        message_en=en,
        message_fr=fr,
        location=location,
        fix=fix,
    )


def buyer_siret_finding(invoice: Invoice) -> Finding | None:
    """The buyer's SIRET, which Chorus Pro routes on, absent or not 14 digits."""
    route = routing(invoice)
    if route.buyer_siret is None:
        other = invoice.buyer.identifier if invoice.buyer else None
        return chorus_finding(
            "CPRO-BUYER-SIRET",
            "The buyer's SIRET is missing: Chorus Pro routes an invoice on it.",
            "Le SIRET du destinataire est absent : Chorus Pro achemine la facture grâce à lui.",
            "/buyer/identifier",
            "Set buyer.identifier to the buyer's 14-digit SIRET with scheme 0009."
            if other is None
            else f"If '{other.value}' is the buyer's SIRET, give it the scheme 0009 "
            f"(it has {other.scheme or 'none'}); otherwise add the SIRET with scheme 0009.",
        )
    if not SIRET_SHAPE.fullmatch(route.buyer_siret):
        return chorus_finding(
            "CPRO-BUYER-SIRET-FORMAT",
            f"The buyer's SIRET '{route.buyer_siret}' is not 14 digits: Chorus Pro cannot route "
            "the invoice.",
            f"Le SIRET du destinataire « {route.buyer_siret} » ne compte pas 14 chiffres : "
            "Chorus Pro ne peut pas acheminer la facture.",
            "/buyer/identifier",
            "Write the buyer's SIRET as 14 digits, without spaces or dots.",
        )
    return None


def demand_findings(route: Routing, buyer: BuyerDirectoryEntry | None) -> list[Finding]:
    """What ``buyer`` (None: not in the directory) demands that the invoice lacks."""
    if buyer is None:
        return [
            chorus_finding(
                "CPRO-BUYER-UNKNOWN",
                f"No public structure with SIRET {route.buyer_siret} is known to Chorus Pro.",
                f"Aucune structure publique de SIRET {route.buyer_siret} n'existe dans Chorus Pro.",
                "/buyer/identifier",
                "Check the buyer's SIRET in the Chorus Pro directory (annuaire).",
            )
        ]
    if not buyer.active:
        return [
            chorus_finding(
                "CPRO-BUYER-INACTIVE",
                f"The public structure {route.buyer_siret} is inactive in Chorus Pro.",
                f"La structure publique {route.buyer_siret} est inactive dans Chorus Pro.",
                "/buyer/identifier",
                "Ask the buyer which structure now receives its invoices.",
            )
        ]
    findings: list[Finding] = []
    service = buyer.service(route.service_code) if route.service_code else None
    if route.service_code and service is None:
        findings.append(
            chorus_finding(
                "CPRO-SERVICE-UNKNOWN",
                f"The structure {route.buyer_siret} has no service '{route.service_code}'.",
                f"La structure {route.buyer_siret} n'a pas de service « {route.service_code} ».",
                "/buyer_reference",
                "Use a service code from the buyer's order form or the Chorus Pro directory.",
            )
        )
    elif service is not None and not service.active:
        findings.append(
            chorus_finding(
                "CPRO-SERVICE-INACTIVE",
                f"The service '{service.code}' of {route.buyer_siret} is inactive.",
                f"Le service « {service.code} » de {route.buyer_siret} est inactif.",
                "/buyer_reference",
                "Ask the buyer for its current service code.",
            )
        )
    needs = buyer.requirement
    has_service, has_engagement = bool(route.service_code), bool(route.engagement_number)
    if needs in (Requirement.SERVICE, Requirement.SERVICE_AND_ENGAGEMENT) and not has_service:
        findings.append(
            chorus_finding(
                "CPRO-SERVICE-REQUIRED",
                f"The buyer {route.buyer_siret} requires a service code (buyer reference, BT-10).",
                f"Le destinataire {route.buyer_siret} exige un code service (référence "
                "acheteur, BT-10).",
                "/buyer_reference",
                "Set buyer_reference to the service code given on the buyer's order.",
            )
        )
    engagement_needed = needs in (Requirement.ENGAGEMENT, Requirement.SERVICE_AND_ENGAGEMENT) or (
        service is not None and service.engagement_required
    )
    if engagement_needed and not has_engagement:
        findings.append(
            chorus_finding(
                "CPRO-ENGAGEMENT-REQUIRED",
                f"The buyer {route.buyer_siret} requires an engagement number (purchase order "
                "reference, BT-13).",
                f"Le destinataire {route.buyer_siret} exige un numéro d'engagement juridique "
                "(référence de commande, BT-13).",
                "/purchase_order_reference",
                "Set purchase_order_reference to the engagement number on the buyer's order.",
            )
        )
    if needs is Requirement.SERVICE_OR_ENGAGEMENT and not (has_service or has_engagement):
        findings.append(
            chorus_finding(
                "CPRO-SERVICE-OR-ENGAGEMENT",
                f"The buyer {route.buyer_siret} requires a service code or an engagement number.",
                f"Le destinataire {route.buyer_siret} exige un code service ou un numéro "
                "d'engagement.",
                "/buyer_reference",
                "Set buyer_reference (service code) or purchase_order_reference (engagement).",
            )
        )
    return findings


def engagement_length_findings(route: Routing) -> list[Finding]:
    """An engagement number longer than Chorus Pro stores."""
    findings: list[Finding] = []
    if route.engagement_number and len(route.engagement_number) > MAX_ENGAGEMENT_LENGTH:
        findings.append(
            chorus_finding(
                "CPRO-ENGAGEMENT-LENGTH",
                f"The engagement number is {len(route.engagement_number)} characters long; "
                f"Chorus Pro takes at most {MAX_ENGAGEMENT_LENGTH}.",
                f"Le numéro d'engagement fait {len(route.engagement_number)} caractères ; "
                f"Chorus Pro en accepte au plus {MAX_ENGAGEMENT_LENGTH}.",
                "/purchase_order_reference",
                "Use the engagement number exactly as the buyer gave it.",
            )
        )
    return findings


def routing_findings(invoice: Invoice, buyer: BuyerDirectoryEntry | None) -> list[Finding]:
    """Findings on the routing of ``invoice`` to ``buyer`` (None: not in the directory)."""
    if (problem := buyer_siret_finding(invoice)) is not None:
        return [problem]
    route = routing(invoice)
    return demand_findings(route, buyer) + engagement_length_findings(route)
