"""What can be tuned in the sandbox: delays, the buyer's behaviour, limits and answers.

Defaults follow the real platform where the sources say how it behaves (API.md) and are
plausible choices where they are silent; docs/sandbox.md lists each choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Self

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class BuyerPolicy:
    """How simulated public buyers treat the invoices made available to them.

    Shares are fractions of invoices (decided per invoice from ``seed`` and its id, so a run
    is reproducible); the rest is accepted and paid. ``automatic=False`` leaves every
    invoice at MISE_A_DISPOSITION for the buyer side of the API to process.
    """

    automatic: bool = True
    share_a_recycler: float = 0.0
    share_suspendue: float = 0.0
    share_rejetee: float = 0.0
    seed: int = 0
    routing_delay: float = 1.0
    """Seconds from DEPOSEE to EN_COURS_ACHEMINEMENT, and again to MISE_A_DISPOSITION."""
    decision_delay: float = 2.0
    """Seconds a buyer takes to decide on an invoice made available (or completed)."""
    payment_delay: float = 2.0
    """Seconds between SERVICE_FAIT, MANDATEE and MISE_EN_PAIEMENT."""


@dataclass(frozen=True, slots=True)
class SandboxSettings:
    """Everything the sandbox can be told at start-up (``chorusflow sandbox serve``)."""

    flow_delay: float = 2.0
    """Seconds a deposited flow waits in IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP."""
    tick: float = 0.2
    """How often the background processor looks for due flows and lifecycle steps."""
    token_lifetime: int = 3600
    """PISTE access tokens live this many seconds (``expires_in``)."""
    policy: BuyerPolicy = field(default_factory=BuyerPolicy)
    business_error_status: int = 200
    """HTTP status of functional errors (codeRetour ≠ 0): 200 as most sources saw, or 400."""
    accept_base64_line_breaks: bool = False
    """The platform misreads base64 with line breaks (seeds/000, WINDEV): refuse by default."""
    max_flow_bytes: int = 10 * MB
    """Largest decoded flow file, and largest file inside an archive (API.md §13)."""
    max_archive_bytes: int = 30 * MB
    """Largest total of the files unpacked from an archive."""
    max_archive_files: int = 500
    """Most invoices in one archive (the EDI limit of a flow, API.md §13)."""
    max_pdf_bytes: int = 10 * MB
    """deposerPdfFacture refuses larger PDFs with HTTP 413."""
    max_attachment_bytes: int = 10 * MB
    """ajouterFichierDansSysteme refuses larger files with codeRetour 20003."""
    max_request_bytes: int = 44 * MB
    """Larger HTTP bodies are refused with 413 before being read: the largest file taken
    (a 30 MB archive) is 40 MB in base64; a larger body is only memory spent (the hostile
    corpus measured 574 MB for one 53 MB body decoded in the sandbox's process)."""
    en16931: str = "native"
    """EN 16931 check (after the XSD): ``native`` (the engine ``validate`` uses), ``official``
    (the official schematron) or ``xsd`` (none beyond the XSD)."""
    public_url: str | None = None
    """Base URL written in the data set (defaults to the address the server listens on)."""

    def with_(self, **changes: object) -> Self:
        return replace(self, **changes)  # type: ignore[arg-type]


#: Delays small enough for tests and demos that still go through every state.
FAST = SandboxSettings(
    flow_delay=0.05,
    tick=0.02,
    policy=BuyerPolicy(routing_delay=0.02, decision_delay=0.05, payment_delay=0.02),
)
