"""The rendered invoice: PDF/A-3b by pikepdf's validator, with the mentions a reader needs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings

from chorusflow.formats.facturx import render_pdf
from chorusflow.formats.facturx.fonts import full_fonts, reduced_fonts
from chorusflow.formats.model_json import read_json
from chorusflow.model import (
    Invoice,
    InvoiceLine,
    Item,
    LineVat,
    Price,
    Seller,
    VatBreakdown,
    complete,
)
from chorusflow.rules.facturx import visual_report
from tests.conftest import EXAMPLES, example_paths
from tests.formats.facturx.conftest import page_count, page_text, rendered
from tests.strategies import invoices


def visual_verdict(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        report = visual_report(document)
    return f"{report.verdict}: {report.summary()}"


def text_of(pdf: bytes) -> str:
    """Page text with every run of whitespace (no-break spaces included) as one space."""
    return " ".join(page_text(pdf).split())


@pytest.mark.parametrize("name", [p.stem for p in example_paths()])
def test_every_example_renders_as_pdfa_3b(name: str) -> None:
    pdf = rendered(name)
    assert pdf.startswith(b"%PDF-")
    assert visual_verdict(pdf).startswith("pass"), visual_verdict(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        meta = document.open_metadata()
        assert meta.pdfa_status == "3B"


def test_the_french_mentions_are_on_the_page() -> None:
    text = text_of(rendered("with-attachments"))
    for mention in (
        "Facture / Invoice",
        "FA-2026-0003",
        "Date d'émission / Issue date 06/11/2026",
        "Date d'échéance / Due date 02/12/2026",
        "Date de livraison / Delivery date 28/10/2026",
        "Atelier Lumière SARL",
        "12 rue des Artisans",
        "SIRET 90123456700005",
        "SIREN 901234567",
        "TVA intracommunautaire / VAT ID : FR15901234567",
        "SARL au capital de 20 000 € — RCS Lyon 901 234 567",  # BT-33
        "Commune de Saint-Exemple",
        "SIRET 12345678200051",
        "Lampe de bureau LED",
        "3,5 heure 60,00",  # quantity, unit, unit price
        "Total HT / Total without VAT 750,00 €",
        "Total TVA / Total VAT 150,00 €",
        "Total TTC / Total with VAT 900,00 €",
        "Net à payer / Amount due 900,00 €",
        "Pénalités de retard : 3 fois le taux d'intérêt légal",  # BT-20
        "Indemnité forfaitaire pour frais de recouvrement : 40 €",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPPXXX",
        "Marché / Contract MARCHE-2026-014",
        "PV-2026-031 – Procès-verbal de réception – pv-reception.pdf",
        "Page 1 / 1",
    ):
        assert mention in text, mention


def test_a_credit_note_says_avoir_and_the_invoice_it_corrects() -> None:
    text = text_of(rendered("credit-note"))
    assert "Avoir / Credit note" in text
    assert "Facture d'origine / Corrected invoice FA-2026-0001 (02/11/2026)" in text


def test_the_chorus_pro_references_are_on_the_page() -> None:
    assert "Code service / Service code SERVICE_DEST_SERV_OBL" in text_of(rendered("service-code"))
    assert "N° d'engagement / Purchase order EJ-2026-000451" in text_of(rendered("engagement"))


def test_an_exempt_invoice_states_its_exemption() -> None:
    text = text_of(rendered("exempt"))
    assert "Exonération de TVA / VAT exemption : TVA non applicable, art. 293 B du CGI" in text


def test_several_rates_each_get_their_vat_line() -> None:
    invoice = read_json((EXAMPLES / "several-rates.json").read_bytes())
    text = text_of(rendered("several-rates"))
    for entry in invoice.vat_breakdown:
        assert entry.tax_amount is not None
        assert f"{entry.tax_amount:.2f}".replace(".", ",") in text


def _line(number: int, category: str = "S", rate: str = "20") -> InvoiceLine:
    return InvoiceLine(
        id=str(number),
        quantity=Decimal("1"),
        unit="C62",
        price=Price(net=Decimal("10.00")),
        vat=LineVat(category=category, rate=Decimal(rate)),
        item=Item(name=f"Article numéro {number}"),
    )


def _invoice(**changes: object) -> Invoice:
    base = read_json((EXAMPLES / "simple-invoice.json").read_bytes())
    return complete(base.model_copy(update={"totals": None, "vat_breakdown": (), **changes}))


def test_reverse_charge_says_autoliquidation() -> None:
    invoice = _invoice(
        lines=(_line(1, "AE", "0"),),
        vat_breakdown=(VatBreakdown(category="AE", rate=Decimal(0)),),
    )
    assert "Autoliquidation" in text_of(render_pdf(invoice))


def test_a_thousand_lines_break_across_pages_with_every_line_and_page_number() -> None:
    invoice = _invoice(lines=tuple(_line(n) for n in range(1, 1001)))
    pdf = render_pdf(invoice)
    pages = page_count(pdf)
    assert pages > 15
    text = text_of(pdf)
    assert "Article numéro 1000" in text
    assert f"Page {pages} / {pages}" in text
    assert text.count("Désignation") == pages  # the table header repeats on every page
    assert "Net à payer / Amount due 12 000,00 €" in text
    assert visual_verdict(pdf).startswith("pass")


def test_characters_beyond_the_reduced_fonts_use_the_full_ones() -> None:
    assert ord("Ω") not in reduced_fonts().charset
    assert ord("Ω") in full_fonts().charset
    invoice = _invoice(lines=(_line(1).model_copy(update={"item": Item(name="Résistance 10 Ω")}),))
    pdf = render_pdf(invoice)
    assert "Résistance 10 Ω" in text_of(pdf)
    assert visual_verdict(pdf).startswith("pass")


def test_characters_no_font_has_are_drawn_as_question_marks() -> None:
    name = "Fournitures 文具 😀"
    invoice = _invoice(lines=(_line(1).model_copy(update={"item": Item(name=name)}),))
    pdf = render_pdf(invoice)
    assert "Fournitures ?? ?" in text_of(pdf)
    assert visual_verdict(pdf).startswith("pass")  # no .notdef glyph


def test_an_empty_invoice_still_renders() -> None:
    pdf = render_pdf(Invoice())
    assert "Facture / Invoice" in text_of(pdf)
    assert visual_verdict(pdf).startswith("pass")


def test_an_invoice_with_partial_data_renders() -> None:
    invoice = Invoice(
        number="X",
        issue_date=dt.date(2026, 1, 1),
        seller=Seller(name="Solo"),
        lines=(InvoiceLine(item=Item(description="sans nom ni prix")),),
    )
    assert "sans nom ni prix" in text_of(render_pdf(invoice))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice=invoices())
def test_random_invoices_render_as_pdfa_3b(invoice: Invoice) -> None:
    pdf = render_pdf(invoice)
    assert visual_verdict(pdf).startswith("pass")
    text = text_of(pdf)
    assert invoice.totals is not None and invoice.totals.payable is not None
    assert f"{invoice.totals.payable:,.2f}".replace(",", " ").replace(".", ",") in text


def test_control_characters_in_data_do_not_reach_the_page() -> None:
    invoice = _invoice(number="FA\t2026\n0001", lines=(_line(1),))
    pdf = render_pdf(invoice)
    assert visual_verdict(pdf).startswith("pass")
    assert "FA 2026 0001" in text_of(pdf)  # a tab is a space, a newline a new line
