"""The platform's back office: processes due flows and moves invoices along their life.

A thread wakes every ``tick`` seconds; everything it does is read from and written to the
database, so after a restart it takes up where it stopped.
"""

from __future__ import annotations

import json
import logging
import threading

from chorusflow.chorus.wire.enums import EtatFlux
from chorusflow.chorus.wire.transverses import ErreurTechnique
from chorusflow.sandbox.flows import due_flows, judge, record
from chorusflow.sandbox.lifecycle import advance_due, now
from chorusflow.sandbox.settings import SandboxSettings
from chorusflow.sandbox.store import Flux, Store

log = logging.getLogger("chorusflow.sandbox")


class Processor:
    """Runs :meth:`step` in a background thread until stopped."""

    def __init__(self, store: Store, settings: SandboxSettings) -> None:
        self.store = store
        self.settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> int:
        """Process what is due now; the number of flows and invoices handled."""
        done = 0
        with self.store.session() as session:
            ids = [f.id for f in due_flows(session)]
        for flux_id in ids:
            done += 1
            try:
                with self.store.session() as session:  # seen by consulterCR while judged
                    flux = session.get(Flux, flux_id)
                    if flux is None or flux.traiter_a is None:
                        continue
                    flux.etat = EtatFlux.IN_EN_COURS_TRAITEMENT_CPP.value
                    flux.date_etat = now()
                with self.store.session() as session:
                    flux = session.get(Flux, flux_id)
                    assert flux is not None
                    verdict = judge(session, flux, self.settings)
                with self.store.writing(), self.store.session() as session:
                    flux = session.get(Flux, flux_id)
                    if flux is not None and flux.traiter_a is not None:
                        record(session, flux, verdict, self.settings)
            except Exception:  # a bug must not leave a flow waiting for ever
                log.exception("processing flow %s failed", flux_id)
                self._fail(flux_id)
        with self.store.session() as session:
            done += advance_due(session, self.settings.policy)
        return done

    def _fail(self, flux_id: int) -> None:
        error = ErreurTechnique(
            codeErreur="ERR_INTERNE",
            libelleErreur="Erreur interne lors du traitement du flux",
            natureErreur="TECHNIQUE",
        )
        with self.store.session() as session:
            flux = session.get(Flux, flux_id)
            if flux is not None:
                flux.etat = EtatFlux.IN_REJETE.value
                flux.date_etat = now()
                flux.traiter_a = None
                flux.erreurs_techniques = json.dumps([error.to_wire()], ensure_ascii=False)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.step()
            except Exception:
                log.exception("sandbox processor step failed")
                busy = 0
            if not busy:
                self._stop.wait(self.settings.tick)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sandbox-processor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
