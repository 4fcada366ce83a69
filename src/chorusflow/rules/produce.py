"""Writing an invoice only when it passes the rules: what ``convert`` and ``send`` call.

Writers refuse an invoice with fatal findings unless told otherwise (DESIGN.md): a file that
Chorus Pro or the buyer will reject is better not made. :func:`produce` checks, then writes;
``force=True`` writes anyway (the findings are still returned to the caller by
:func:`check_before_writing`, for it to show).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from chorusflow.errors import InvalidInvoiceError
from chorusflow.formats.cii import write_cii
from chorusflow.formats.facturx import write_facturx
from chorusflow.formats.model_json import write_json
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.formats.ubl import write_ubl
from chorusflow.model import Invoice
from chorusflow.rules.findings import Finding, Layer
from chorusflow.rules.validate import Checks, invoice_findings

#: What a writer holds an invoice to: EN 16931 (the file is a valid e-invoice). Chorus Pro's
#: deposit rules and duplicates belong to sending, which passes its own checks.
WRITE_CHECKS: Final = Checks(layers=frozenset({Layer.EN16931}))
#: How many rule ids the refusal names before "and N more".
NAMED_IN_REFUSAL: Final = 5


class FatalFindingsError(InvalidInvoiceError):
    """The invoice breaks rules that forbid writing it (exit 1); ``findings`` says which."""

    def __init__(self, findings: list[Finding]) -> None:
        rules = list(dict.fromkeys(f.rule for f in findings))
        named = ", ".join(rules[:NAMED_IN_REFUSAL])
        more = f" and {len(rules) - NAMED_IN_REFUSAL} more" if len(rules) > NAMED_IN_REFUSAL else ""
        super().__init__(
            f"The invoice breaks {len(findings)} rule{'s' if len(findings) > 1 else ''} that "
            f"forbid writing it ({named}{more}).",
            "Run `chorusflow validate` on it to see each one and its fix, or write it anyway "
            "with --force.",
        )
        self.findings = tuple(findings)


def as_written(invoice: Invoice, profile: Profile | None = None) -> Invoice:
    """The invoice as a writer states it: BT-24 is the profile's identifier (CII, Factur-X),
    or EN 16931 when the invoice names none (UBL), so BR-01 judges what will be written."""
    if profile is not None:
        return invoice.model_copy(update={"specification_identifier": profile.urn})
    if invoice.specification_identifier:
        return invoice
    return invoice.model_copy(update={"specification_identifier": Profile.EN16931.urn})


def check_before_writing(
    invoice: Invoice, checks: Checks = WRITE_CHECKS, profile: Profile | None = None
) -> list[Finding]:
    """The findings a writer weighs on the invoice as it will write it: all, fatal or not."""
    return invoice_findings(invoice, checks, profile=profile)


@dataclass(frozen=True, slots=True)
class Produced:
    """A written file, with every finding weighed before writing it (warnings, forced ones)."""

    data: bytes
    findings: tuple[Finding, ...]


def write_checked(
    invoice: Invoice,
    syntax: Syntax,
    profile: Profile | None = None,
    *,
    force: bool = False,
    checks: Checks = WRITE_CHECKS,
    pdf: bytes | None = None,
) -> Produced:
    """:func:`produce`, also returning the findings weighed (for the caller to show)."""
    level = profile or Profile.EN16931
    stated = level if syntax in (Syntax.CII, Syntax.FACTURX) else None
    findings = check_before_writing(as_written(invoice, stated), checks, stated)
    fatal = [f for f in findings if f.fatal]
    if fatal and not force:
        raise FatalFindingsError(fatal)
    if syntax is Syntax.CII:
        data = write_cii(invoice, level)
    elif syntax is Syntax.FACTURX:
        data = write_facturx(invoice, level, pdf)
    elif syntax is Syntax.UBL:
        data = write_ubl(invoice)
    else:
        data = write_json(invoice)
    return Produced(data, tuple(findings))


def produce(
    invoice: Invoice,
    syntax: Syntax,
    profile: Profile | None = None,
    *,
    force: bool = False,
    checks: Checks = WRITE_CHECKS,
    pdf: bytes | None = None,
) -> bytes:
    """The file of ``invoice`` in ``syntax`` (``profile`` is for CII and Factur-X).

    Raises :class:`FatalFindingsError` when the invoice has fatal findings, unless ``force``.
    ``pdf`` is the user's own visual PDF for a Factur-X (rendered when None).
    """
    return write_checked(invoice, syntax, profile, force=force, checks=checks, pdf=pdf).data
