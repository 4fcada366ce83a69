"""What a public buyer demands, read from the Chorus Pro directory and kept for a while.

The nominal sequence of the swaggers (API.md §5.6): rechercherStructure (SIRET →
idStructureCPP) → consulterStructure (does the structure require a service code, an
engagement number, either?) → rechercherServicesStructure (its services) →
consulterServiceStructure (does this service require an engagement number?). The answer is a
:class:`~chorusflow.rules.chorus.BuyerDirectoryEntry`, which the pre-flight checks read
through the rules layer's ``Directory`` protocol (``lookup(siret)`` and ``complete``).

Answers are cached per SIRET (``ttl`` seconds, unknown SIRETs included): a batch of invoices
to one buyer costs one walk of the directory, not one per invoice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from chorusflow.chorus.client import ChorusClient
from chorusflow.chorus.exceptions import BusinessError
from chorusflow.rules.chorus import BuyerDirectoryEntry, ServiceEntry

#: A directory's answers are kept this long (buyers change their settings rarely).
DEFAULT_TTL = 3600.0


class ChorusDirectory:
    """The live Chorus Pro directory, as the rules layer's ``Directory``."""

    def __init__(
        self,
        client: ChorusClient,
        *,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[BuyerDirectoryEntry | None, float]] = {}
        self._lock = threading.Lock()
        #: Directory walks done (each costs 3 calls + one per active service).
        self.walks = 0

    @property
    def complete(self) -> bool:
        """Chorus Pro's directory lists every public structure: unknown means unknown."""
        return True

    def lookup(self, siret: str) -> BuyerDirectoryEntry | None:
        """The public structure with this SIRET, or None when Chorus Pro has none."""
        siret = siret.strip()
        now = self._clock()
        with self._lock:
            cached = self._cache.get(siret)
            if cached is not None and cached[1] > now:
                return cached[0]
        entry = self._walk(siret)
        with self._lock:
            self._cache[siret] = (entry, now + self.ttl)
        return entry

    def forget(self, siret: str | None = None) -> None:
        """Drop one SIRET (or everything) from the cache."""
        with self._lock:
            if siret is None:
                self._cache.clear()
            else:
                self._cache.pop(siret.strip(), None)

    def _walk(self, siret: str) -> BuyerDirectoryEntry | None:
        self.walks += 1
        client = self.client
        found = [
            s
            for s in client.rechercher_structure.all(
                structure={"identifiantStructure": siret, "typeIdentifiantStructure": "SIRET"},
                restreindreStructuresPrivees=True,
            )
            if s.identifiantStructure == siret and s.idStructureCPP is not None
        ]
        if len(found) != 1:
            return None
        summary = found[0]
        assert summary.idStructureCPP is not None
        structure_id = summary.idStructureCPP
        active = str(summary.statut or "ACTIVE").upper().startswith("ACTI")
        try:
            detail = client.consulter_structure(idStructureCPP=structure_id, codeLangue="FR")
        except BusinessError:
            if not active:
                return BuyerDirectoryEntry(siret=siret, active=False)
            raise
        general = detail.informationGenerales
        if general is not None and str(general.structurePriveePublique or "") == "PRIVEE":
            return None
        params = detail.parametres
        services: list[ServiceEntry] = []
        for service in client.rechercher_services_structure.all(idStructure=structure_id):
            if not service.codeService:
                continue
            service_active = service.estActif is not False
            engagement = False
            if service_active and service.idService is not None:
                consulted = client.consulter_service_structure(
                    idStructure=structure_id, idService=service.idService, codeLangue="FR"
                )
                engagement = bool(consulted.parametres and consulted.parametres.numeroEngagement)
            services.append(
                ServiceEntry(
                    code=service.codeService,
                    active=service_active,
                    engagement_required=engagement,
                )
            )
        return BuyerDirectoryEntry(
            siret=siret,
            active=active,
            service_code_required=bool(params and params.codeServiceDoitEtreRenseigne),
            engagement_required=bool(params and params.numeroEJDoitEtreRenseigne),
            service_or_engagement=bool(params and params.gestionNumeroEJOuCodeService),
            services=tuple(services),
        )
