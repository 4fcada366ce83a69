"""`chorusflow inspect FILE`: what a file is and what its invoice says, at a glance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from chorusflow.cli.output import out, print_json
from chorusflow.formats.document import Document, read_path
from chorusflow.formats.profiles import Syntax
from chorusflow.model import Invoice, routing

_SYNTAX_NAMES = {
    Syntax.JSON: "JSON (chorusflow model)",
    Syntax.CII: "UN/CEFACT CII D16B",
    Syntax.UBL: "UBL 2.1",
    Syntax.FACTURX: "Factur-X (PDF/A-3 with CII)",
}


def _party(name: str | None, siret: str | None, vat: str | None) -> dict[str, str | None]:
    return {"name": name, "siret": siret, "vat_id": vat}


def summary(document: Document) -> dict[str, Any]:
    """The key facts of a document, as ``inspect --json`` prints them."""
    invoice: Invoice = document.invoice
    route = routing(invoice)
    totals = invoice.totals
    return {
        "file": document.name,
        "syntax": document.syntax.value,
        "profile": document.profile.value if document.profile else None,
        "number": invoice.number,
        "type_code": invoice.type_code,
        "credit_note": invoice.is_credit_note,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "currency": invoice.currency,
        "seller": _party(
            invoice.seller.name if invoice.seller else None,
            route.seller_siret,
            invoice.seller.vat_id if invoice.seller else None,
        ),
        "buyer": _party(
            invoice.buyer.name if invoice.buyer else None,
            route.buyer_siret,
            invoice.buyer.vat_id if invoice.buyer else None,
        ),
        "chorus_pro": {
            "service_code": route.service_code,
            "engagement_number": route.engagement_number,
            "contract_number": route.contract_number,
            "framework": route.framework,
        },
        "lines": len(invoice.lines),
        "attachments": sum(1 for d in invoice.supporting_documents if d.attachment),
        "totals": totals.model_dump(mode="json", exclude_none=True) if totals else None,
        "vat_breakdown": [
            v.model_dump(mode="json", exclude_none=True) for v in invoice.vat_breakdown
        ],
    }


def _money(value: Decimal | None, currency: str | None) -> str:
    return "—" if value is None else f"{value} {currency or ''}".strip()


def _show(document: Document) -> None:
    facts = summary(document)
    invoice = document.invoice
    syntax = _SYNTAX_NAMES[document.syntax]
    if document.profile:
        syntax += f", profile {document.profile.xmp_level}"
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    kind = "credit note" if invoice.is_credit_note else "invoice"
    table.add_row("file", document.name)
    table.add_row("syntax", syntax)
    table.add_row("number", f"{invoice.number or '—'} ({kind}, type {invoice.type_code or '—'})")
    table.add_row("dates", f"issued {invoice.issue_date or '—'}, due {invoice.due_date or '—'}")
    for role in ("seller", "buyer"):
        party = facts[role]
        detail = ", ".join(
            f"{label} {party[key]}"
            for key, label in (("siret", "SIRET"), ("vat_id", "VAT"))
            if party[key]
        )
        table.add_row(role, f"{party['name'] or '—'}" + (f" — {detail}" if detail else ""))
    chorus = facts["chorus_pro"]
    table.add_row(
        "chorus pro",
        f"service {chorus['service_code'] or '—'}, engagement "
        f"{chorus['engagement_number'] or '—'}, contract {chorus['contract_number'] or '—'}, "
        f"cadre {chorus['framework'] or '?'}",
    )
    table.add_row("content", f"{facts['lines']} line(s), {facts['attachments']} attachment(s)")
    totals, currency = invoice.totals, invoice.currency
    if totals:
        table.add_row(
            "totals",
            f"net {_money(totals.tax_exclusive, currency)}, VAT "
            f"{_money(totals.tax_total, currency)}, total {_money(totals.tax_inclusive, currency)}"
            f", due {_money(totals.payable, currency)}",
        )
    for vat in invoice.vat_breakdown:
        rate = f"{vat.rate}%" if vat.rate is not None else "no rate"
        table.add_row(
            "VAT",
            f"{vat.category or '?'} {rate} on {_money(vat.taxable_amount, currency)} = "
            f"{_money(vat.tax_amount, currency)}"
            + (f" ({vat.exemption_reason})" if vat.exemption_reason else ""),
        )
    out.print(table)


def inspect(
    file: Annotated[Path, typer.Argument(help="A JSON, CII, UBL or Factur-X invoice file.")],
    json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object for programs.")
    ] = False,
) -> None:
    """Say what an invoice file is (syntax, profile) and its key fields.

    Example: chorusflow inspect facture.pdf --json
    """
    document = read_path(file)
    if json:
        print_json(summary(document))
    else:
        _show(document)


def register(app: typer.Typer) -> None:
    app.command("inspect")(inspect)
