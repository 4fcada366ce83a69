"""The visual invoice: a PDF/A-3b a person reads, with the mentions French law requires.

Laid out on A4 with absolute positions (fpdf2's ``text``), which is several times faster than
its flowing ``cell``/``multi_cell`` and keeps a 1,000-line invoice linear in time: the lines
table breaks across pages and repeats its header, every page carries the seller's legal
identity and « Page n / N ». The page is drawn from the model alone; the structured data
travels in the embedded XML (see :mod:`chorusflow.formats.facturx.embed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from fpdf import FPDF
from fpdf.fonts import TTFFont

from chorusflow.formats.facturx import figures, labels
from chorusflow.formats.facturx.fonts import FontSet, add_prepared_font, drawable, fonts_for
from chorusflow.model import (
    Address,
    Contact,
    Invoice,
    InvoiceLine,
    PartyIdentifier,
    complete,
)
from chorusflow.model.codes import SIREN_SCHEME, SIRET_SCHEME
from chorusflow.model.routing import framework_of

PAGE_WIDTH: Final = 210.0
PAGE_HEIGHT: Final = 297.0
MARGIN: Final = 15.0
CONTENT_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN
BOTTOM: Final = PAGE_HEIGHT - 22.0  # room for the legal footer
FONT: Final = "SourceSans"
PRODUCER: Final = "chorusflow"

INK: Final = (20, 20, 20)
MUTED: Final = (95, 95, 95)
RULE: Final = (170, 170, 170)
SHADE: Final = (236, 239, 243)

SMALL: Final = 7.0
BODY: Final = 8.0
LEAD: Final = 3.6  # line height in mm at the body size


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the lines table: width in mm and alignment."""

    title: str
    width: float
    right: bool = True


COLUMNS: Final = (
    Column(labels.LINE, 12, right=False),
    Column(labels.DESCRIPTION, 62, right=False),
    Column(labels.QUANTITY, 16),
    Column(labels.UNIT, 14, right=False),
    Column(labels.UNIT_PRICE, 20),
    Column(labels.DISCOUNT, 18),
    Column(labels.VAT_RATE, 12),
    Column(labels.NET_AMOUNT, 26),
)
_PAD: Final = 1.2


def render_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF/A-3b document for people to read (no XML embedded yet)."""
    return _Renderer(complete(invoice)).render()


def _ttf_fonts(pdf: FPDF) -> list[TTFFont]:
    return [font for font in pdf.fonts.values() if isinstance(font, TTFFont)]


def _texts(invoice: Invoice) -> set[str]:
    """Every character the page may draw, to choose the fonts once.

    A backslash stands for any JSON escape (control characters among them): it is not in
    the fonts' character maps, so such an invoice takes the path that checks every text.
    """
    return set(invoice.model_dump_json())


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap of ``text`` to ``width`` mm at the current font; keeps line breaks."""
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if pdf.get_string_width(paragraph) <= width:
            out.append(paragraph)
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if pdf.get_string_width(candidate) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            while pdf.get_string_width(word) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                    cut = max(1, cut * 2 // 3) if cut > 12 else cut - 1
                out.append(word[:cut])
                word = word[cut:]
            line = word
        out.append(line)
    return out


def _siret_siren(
    identifiers: Iterable[PartyIdentifier | None],
) -> tuple[str | None, str | None]:
    siret = siren = None
    for identifier in identifiers:
        if identifier is None:
            continue
        value = "".join(identifier.value.split())
        if identifier.scheme == SIRET_SCHEME and siret is None:
            siret = value
        elif identifier.scheme == SIREN_SCHEME and siren is None:
            siren = value
    if siren is None and siret is not None and len(siret) == 14 and siret.isdigit():
        siren = siret[:9]
    return siret, siren


def _address_lines(address: Address | None) -> list[str]:
    if address is None:
        return []
    lines = [line for line in (address.line1, address.line2, address.line3) if line]
    city = " ".join(part for part in (address.post_code, address.city) if part)
    if address.subdivision:
        city = f"{city}, {address.subdivision}" if city else address.subdivision
    if city:
        lines.append(city)
    if address.country and address.country != "FR":
        lines.append(address.country)
    return lines


def _contact_lines(contact: Contact | None) -> list[str]:
    if contact is None:
        return []
    parts = [part for part in (contact.name, contact.phone, contact.email) if part]
    return [f"{labels.CONTACT} : {' · '.join(parts)}"] if parts else []


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{figures.date(start)} – {figures.date(end)}"
    return figures.date(start or end)


class _Renderer:
    """Draws one invoice; holds the cursor and the document while it does."""

    def __init__(self, invoice: Invoice, fonts: FontSet | None = None) -> None:
        """``fonts`` forces a font set (the benchmark's plain-fpdf2 side uses the full fonts)."""
        self.invoice = invoice
        self.currency = invoice.currency
        characters = _texts(invoice)
        self.fonts = fonts or fonts_for(characters)
        # every character the fonts can draw: text goes to the page as it is
        self.covered = all(ord(c) in self.fonts.charset for c in characters)
        tuned = fonts is None
        pdf = FPDF(orientation="P", unit="mm", format="A4", enforce_compliance="PDF/A-3B")
        if tuned:
            add_prepared_font(pdf, FONT, "", self.fonts.regular)
            add_prepared_font(pdf, FONT, "B", self.fonts.bold)
        else:
            pdf.add_font(FONT, "", str(self.fonts.regular))
            pdf.add_font(FONT, "B", str(self.fonts.bold))
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf = pdf
        self.y = MARGIN

    # -- primitives ------------------------------------------------------------------------

    def font(self, size: float = BODY, bold: bool = False, muted: bool = False) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(*(MUTED if muted else INK))

    def put(self, x: float, y: float, text: str, width: float = 0, right: bool = False) -> None:
        """Text with its top-left corner (or top-right with ``right``) at (x, y)."""
        if not self.covered:
            text = drawable(text, self.fonts)
        if not text:
            return
        if right:
            x = x + width - self.pdf.get_string_width(text)
        self.pdf.text(x, y + 2.6 * self.pdf.font_size_pt / BODY, text)

    def wrap(self, text: str, width: float) -> list[str]:
        if not self.covered:
            text = drawable(text, self.fonts)
        return _wrap(self.pdf, text.replace("\t", " "), width)

    def rule(self, y: float, x0: float = MARGIN, x1: float = PAGE_WIDTH - MARGIN) -> None:
        self.pdf.set_draw_color(*RULE)
        self.pdf.line(x0, y, x1, y)

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.y + height > BOTTOM:
            self.new_page()

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = MARGIN

    def heading(self, text: str) -> None:
        self.ensure(12)
        self.y += 3
        self.font(BODY + 1, bold=True)
        self.put(MARGIN, self.y, text)
        self.y += 5
        self.rule(self.y - 0.8)

    def paragraph(self, text: str, x: float = MARGIN, width: float = CONTENT_WIDTH) -> None:
        for line in self.wrap(text, width):
            self.ensure(LEAD)
            self.put(x, self.y, line)
            self.y += LEAD

    def pairs(self, rows: Sequence[tuple[str, str]], x: float, width: float, y: float) -> float:
        """Label/value rows in a column; returns the y below them."""
        shown = [(label, value) for label, value in rows if value]
        self.font(BODY, muted=True)
        widest = max((self.pdf.get_string_width(label) for label, _ in shown), default=0.0)
        label_width = min(widest + 3, width * 0.55)
        for label, value in shown:
            self.font(BODY, muted=True)
            label_lines = self.wrap(label, label_width - 2)
            for index, line in enumerate(label_lines):
                self.put(x, y + index * LEAD, line)
            self.font(BODY)
            value_lines = self.wrap(value, width - label_width)
            for index, line in enumerate(value_lines):
                self.put(x + label_width, y + index * LEAD, line)
            y += max(len(label_lines), len(value_lines)) * LEAD
        return y

    # -- the document ----------------------------------------------------------------------

    def render(self) -> bytes:
        invoice = self.invoice
        pdf = self.pdf
        seller = invoice.seller
        title = labels.document_title(invoice.type_code)
        pdf.set_title(f"{title} {invoice.number or ''}".strip())
        pdf.set_author(seller.name if seller and seller.name else "")
        pdf.set_subject(title)
        pdf.set_creator(PRODUCER)
        pdf.set_producer(PRODUCER)
        pdf.set_lang("fr-FR")
        pdf.set_creation_date(dt.datetime.now(dt.UTC).replace(microsecond=0))
        self.new_page()
        self.header(title)
        self.parties()
        self.references()
        self.lines_table()
        self.totals()
        self.vat_breakdown()
        self.payment()
        self.notes()
        self.attachments()
        self.footers()
        try:
            return bytes(pdf.output())
        finally:
            for font in _ttf_fonts(pdf):
                font.ttfont.close()

    def footer_text(self) -> str:
        seller = self.invoice.seller
        if seller is None:
            return ""
        siret, siren = _siret_siren((*seller.identifiers, seller.legal_registration))
        parts = [seller.name or ""]
        if siret:
            parts.append(f"SIRET {siret}")
        elif siren:
            parts.append(f"SIREN {siren}")
        if seller.vat_id:
            parts.append(f"TVA {seller.vat_id}")
        if seller.additional_legal_info:
            parts.append(seller.additional_legal_info)
        return drawable(" · ".join(p for p in parts if p), self.fonts)

    def footers(self) -> None:
        """The seller's legal identity and « Page n / N » at the foot of every page."""
        pdf = self.pdf
        identity = self.wrap(self.footer_text(), CONTENT_WIDTH - 28)[:2]
        count = pdf.page
        for number in range(1, count + 1):
            pdf.page = number
            # fpdf2 writes a font or colour change only when it differs from the last one it
            # set, wherever that was: back on an earlier page, make sure it is written here.
            pdf.set_font(FONT, "B", SMALL + 1)
            pdf.set_text_color(*INK)
            self.rule(PAGE_HEIGHT - 17)
            self.font(SMALL, muted=True)
            y = PAGE_HEIGHT - 15.5
            for line in identity:
                self.put(MARGIN, y, line)
                y += 3.2
            self.put(
                MARGIN,
                PAGE_HEIGHT - 15.5,
                f"{labels.PAGE} {number} / {count}",
                CONTENT_WIDTH,
                right=True,
            )
        pdf.page = count

    def header(self, title: str) -> None:
        invoice = self.invoice
        seller = invoice.seller
        self.font(15, bold=True)
        self.put(MARGIN, self.y, (seller.name if seller and seller.name else "") or "")
        self.font(15, bold=True)
        self.put(PAGE_WIDTH / 2, self.y, title, CONTENT_WIDTH / 2, right=True)
        top = self.y + 8
        left = top
        if seller and seller.trading_name:
            self.font(BODY, muted=True)
            self.put(MARGIN, left, seller.trading_name)
            left += LEAD
        delivery = invoice.delivery
        period = invoice.invoicing_period
        rows = [
            (labels.NUMBER, invoice.number or ""),
            (labels.ISSUE_DATE, figures.date(invoice.issue_date)),
            (labels.DUE_DATE, figures.date(invoice.due_date)),
            (labels.DELIVERY_DATE, figures.date(delivery.date if delivery else None)),
            (labels.TAX_POINT_DATE, figures.date(invoice.tax_point_date)),
            (labels.PERIOD, _period(period.start, period.end) if period else ""),
            (labels.CURRENCY, invoice.currency or ""),
        ]
        right = self.pairs(rows, PAGE_WIDTH / 2 + 8, CONTENT_WIDTH / 2 - 8, top)
        self.y = max(left, right) + 3

    def party(self, heading: str, x: float, width: float, y: float, body: list[str]) -> float:
        self.pdf.set_fill_color(*SHADE)
        self.pdf.rect(x, y, width, 5.2, style="F")
        self.font(BODY, bold=True)
        self.put(x + _PAD, y + 0.9, heading)
        y += 6.5
        for index, text in enumerate(body):
            self.font(BODY, bold=index == 0)
            for line in self.wrap(text, width - 2 * _PAD):
                self.put(x + _PAD, y, line)
                y += LEAD
        return y

    def parties(self) -> None:
        invoice = self.invoice
        half = CONTENT_WIDTH / 2 - 3
        seller, buyer = invoice.seller, invoice.buyer
        seller_lines: list[str] = []
        if seller:
            siret, siren = _siret_siren((*seller.identifiers, seller.legal_registration))
            seller_lines = [seller.name or "", *_address_lines(seller.address)]
            seller_lines += [f"{labels.SIRET} {siret}"] if siret else []
            seller_lines += [f"{labels.SIREN} {siren}"] if siren else []
            seller_lines += [f"{labels.VAT_ID} : {seller.vat_id}"] if seller.vat_id else []
            if seller.tax_registration_id:
                seller_lines.append(f"{labels.TAX_REGISTRATION} : {seller.tax_registration_id}")
            seller_lines += _contact_lines(seller.contact)
            seller_lines += [seller.additional_legal_info] if seller.additional_legal_info else []
        buyer_lines: list[str] = []
        if buyer:
            siret, siren = _siret_siren((buyer.identifier, buyer.legal_registration))
            buyer_lines = [buyer.name or "", *_address_lines(buyer.address)]
            buyer_lines += [buyer.trading_name] if buyer.trading_name else []
            buyer_lines += [f"{labels.SIRET} {siret}"] if siret else []
            buyer_lines += [f"{labels.SIREN} {siren}"] if siren else []
            buyer_lines += [f"{labels.VAT_ID} : {buyer.vat_id}"] if buyer.vat_id else []
            buyer_lines += _contact_lines(buyer.contact)
        self.ensure(30)
        bottom = max(
            self.party(labels.SELLER, MARGIN, half, self.y, seller_lines),
            self.party(labels.BUYER, PAGE_WIDTH - MARGIN - half, half, self.y, buyer_lines),
        )
        self.y = bottom + 2
        extra: list[tuple[str, list[str]]] = []
        if invoice.payee and invoice.payee.name:
            payee = invoice.payee
            siret, siren = _siret_siren((payee.identifier, payee.legal_registration))
            body = [payee.name or ""]
            body += [f"{labels.SIRET} {siret}"] if siret else []
            body += [f"{labels.SIREN} {siren}"] if siren and not siret else []
            extra.append((labels.PAYEE, body))
        if invoice.tax_representative:
            representative = invoice.tax_representative
            body = [representative.name or "", *_address_lines(representative.address)]
            body += [f"{labels.VAT_ID} : {representative.vat_id}"] if representative.vat_id else []
            extra.append((labels.TAX_REPRESENTATIVE, body))
        delivery = invoice.delivery
        if delivery and (delivery.party_name or delivery.address or delivery.location_id):
            body = [delivery.party_name or "", *_address_lines(delivery.address)]
            if delivery.location_id:
                body.append(f"{labels.REFERENCE} {delivery.location_id.value}")
            extra.append((labels.DELIVER_TO, body))
        for index in range(0, len(extra), 2):
            self.ensure(20)
            pair = extra[index : index + 2]
            bottoms = [
                self.party(heading, MARGIN + side * (half + 6), half, self.y, body)
                for side, (heading, body) in enumerate(pair)
            ]
            self.y = max(bottoms) + 2

    def references(self) -> None:
        invoice = self.invoice
        framework = framework_of(invoice.business_process)
        rows = [
            (labels.SERVICE_CODE, invoice.buyer_reference or ""),
            (labels.ENGAGEMENT, invoice.purchase_order_reference or ""),
            (labels.CONTRACT, invoice.contract_reference or ""),
            (labels.FRAMEWORK, framework or (invoice.business_process or "")),
            (labels.PROJECT, invoice.project_reference or ""),
            (labels.SALES_ORDER, invoice.sales_order_reference or ""),
            (labels.TENDER, invoice.tender_or_lot_reference or ""),
            (labels.RECEIVING_ADVICE, invoice.receiving_advice_reference or ""),
            (labels.DESPATCH_ADVICE, invoice.despatch_advice_reference or ""),
            (labels.BUYER_ACCOUNTING, invoice.buyer_accounting_reference or ""),
        ]
        if invoice.invoiced_object_identifier:
            rows.append((labels.REFERENCE, invoice.invoiced_object_identifier.value))
        for preceding in invoice.preceding_invoices:
            corrected = preceding.reference or ""
            if preceding.issue_date:
                corrected += f" ({figures.date(preceding.issue_date)})"
            rows.append((labels.CORRECTS, corrected))
        rows = [row for row in rows if row[1]]
        if not rows:
            return
        self.ensure(LEAD * 3)
        half = (len(rows) + 1) // 2
        width = CONTENT_WIDTH / 2 - 3
        left = self.pairs(rows[:half], MARGIN, width, self.y + 1)
        right = self.pairs(rows[half:], PAGE_WIDTH / 2 + 3, width, self.y + 1)
        self.y = max(left, right) + 2

    # -- lines -----------------------------------------------------------------------------

    def table_header(self) -> None:
        pdf = self.pdf
        pdf.set_fill_color(*SHADE)
        pdf.rect(MARGIN, self.y, CONTENT_WIDTH, 8.4, style="F")
        self.font(SMALL, bold=True)
        x = MARGIN
        for column in COLUMNS:
            french, _, english = column.title.partition(" / ")
            inner = column.width - 2 * _PAD
            self.put(x + _PAD, self.y + 0.6, french, inner, right=column.right)
            if english:
                self.font(SMALL, muted=True)
                self.put(x + _PAD, self.y + 4.1, english, inner, right=column.right)
                self.font(SMALL, bold=True)
            x += column.width
        self.y += 9.6

    def line_texts(self, line: InvoiceLine) -> list[str]:
        """What the description column says about a line, first its item name."""
        item = line.item
        texts = [item.name if item and item.name else ""]
        if item:
            refs = [ref for ref in (item.seller_id, item.buyer_id) if ref]
            if item.standard_id:
                refs.append(item.standard_id.value)
            if refs:
                texts.append(f"{labels.REFERENCE} {' · '.join(refs)}")
            if item.description:
                texts.append(item.description)
            texts += [f"{a.name} : {a.value}" for a in item.attributes if a.name or a.value]
        if line.note:
            texts.append(line.note)
        if line.period and (line.period.start or line.period.end):
            texts.append(f"{labels.PERIOD} : {_period(line.period.start, line.period.end)}")
        if line.price and line.price.gross is not None and line.price.discount:
            gross = figures.amount(line.price.gross, self.currency)
            texts.append(f"{labels.GROSS_PRICE} : {gross}")
        for allowance in line.allowances:
            reason = allowance.reason or allowance.reason_code or ""
            value = figures.amount(allowance.amount, self.currency)
            texts.append(f"{labels.ALLOWANCE} {reason} : −{value}".replace("  ", " "))
        for charge in line.charges:
            reason = charge.reason or charge.reason_code or ""
            value = figures.amount(charge.amount, self.currency)
            texts.append(f"{labels.CHARGE} {reason} : +{value}".replace("  ", " "))
        return texts

    def line_cells(self, line: InvoiceLine) -> list[str]:
        price = line.price
        discount = sum((a.amount or Decimal(0) for a in line.allowances), Decimal(0)) - sum(
            (c.amount or Decimal(0) for c in line.charges), Decimal(0)
        )
        rate = ""
        if line.vat:
            rate = figures.percent(line.vat.rate) if line.vat.category in {"S", "L", "M"} else ""
            rate = rate or (line.vat.category or "")
        unit = labels.UNITS.get(line.unit or "", line.unit or "")
        if price and price.base_quantity not in (None, Decimal(1)):
            base = figures.number(price.base_quantity or Decimal(1))
            unit = f"{base} {unit}".strip()
        return [
            line.id or "",
            "",
            figures.number(line.quantity) if line.quantity is not None else "",
            unit,
            figures.amount(price.net if price else None),
            figures.amount(-discount) if discount else "",
            rate,
            figures.amount(line.net_amount),
        ]

    def lines_table(self) -> None:
        self.ensure(9.6 + 2 * LEAD)
        self.y += 2
        self.table_header()
        description = COLUMNS[1].width - 2 * _PAD
        for line in self.invoice.lines:
            self.font(BODY)
            cells = self.line_cells(line)
            texts = self.line_texts(line)
            wrapped: list[tuple[bool, str]] = []
            for index, text in enumerate(texts):
                self.font(BODY if index == 0 else SMALL, bold=index == 0)
                wrapped += [(index == 0, part) for part in self.wrap(text, description)]
            height = max(len(wrapped), 1) * LEAD + 1.4
            if self.y + height > BOTTOM:
                self.new_page()
                self.table_header()
            self.font(BODY)
            x = MARGIN
            for column, text in zip(COLUMNS, cells, strict=True):
                if text:
                    self.put(x + _PAD, self.y, text, column.width - 2 * _PAD, right=column.right)
                x += column.width
            y = self.y
            for first, text in wrapped:
                self.font(BODY if first else SMALL, bold=first, muted=not first)
                self.put(MARGIN + COLUMNS[0].width + _PAD, y, text)
                y += LEAD
            self.y += height
            self.rule(self.y - 0.7)

    # -- totals, VAT, payment -------------------------------------------------------------

    def totals(self) -> None:
        invoice = self.invoice
        totals = invoice.totals
        if totals is None:
            return
        currency = self.currency
        rows: list[tuple[str, str, bool]] = []
        adjusted = bool(invoice.allowances or invoice.charges)
        if adjusted:
            rows.append((labels.LINES_TOTAL, figures.amount(totals.line_total, currency), False))
        for allowance in invoice.allowances:
            reason = allowance.reason or allowance.reason_code or ""
            label = f"{labels.ALLOWANCE} {reason}".strip()
            rows.append((label, "−" + figures.amount(allowance.amount, currency), False))
        for charge in invoice.charges:
            reason = charge.reason or charge.reason_code or ""
            label = f"{labels.CHARGE} {reason}".strip()
            rows.append((label, "+" + figures.amount(charge.amount, currency), False))
        rows.append((labels.TOTAL_NET, figures.amount(totals.tax_exclusive, currency), True))
        rows.append((labels.TOTAL_VAT, figures.amount(totals.tax_total, currency), False))
        if totals.tax_total_accounting is not None and invoice.vat_accounting_currency:
            accounting = figures.amount(
                totals.tax_total_accounting, invoice.vat_accounting_currency
            )
            rows.append((labels.TOTAL_VAT, accounting, False))
        rows.append((labels.TOTAL_GROSS, figures.amount(totals.tax_inclusive, currency), True))
        if totals.prepaid:
            rows.append((labels.PREPAID, "−" + figures.amount(totals.prepaid, currency), False))
        if totals.rounding:
            rows.append((labels.ROUNDING, figures.amount(totals.rounding, currency), False))
        rows.append((labels.PAYABLE, figures.amount(totals.payable, currency), True))
        x = PAGE_WIDTH - MARGIN - 92
        self.ensure(len(rows) * (LEAD + 0.6) + 4)
        self.y += 2
        for label, value, strong in rows:
            if label == labels.PAYABLE:
                self.pdf.set_fill_color(*SHADE)
                self.pdf.rect(x, self.y - 0.6, 92, LEAD + 1.6, style="F")
            self.font(BODY, bold=strong)
            self.put(x + _PAD, self.y, self.wrap(label, 62)[0])
            self.put(x, self.y, value, 92 - _PAD, right=True)
            self.y += LEAD + 0.6
        self.y += 1

    def vat_breakdown(self) -> None:
        breakdown = self.invoice.vat_breakdown
        if not breakdown:
            return
        self.heading(labels.VAT_BREAKDOWN)
        widths = (70.0, 25.0, 40.0, 45.0)
        titles = (labels.VAT_CATEGORY, labels.VAT_RATE, labels.TAXABLE, labels.VAT_AMOUNT)
        self.font(SMALL, bold=True)
        x = MARGIN
        for index, (title, width) in enumerate(zip(titles, widths, strict=True)):
            self.put(x + _PAD, self.y, title, width - 2 * _PAD, right=index > 0)
            x += width
        self.y += LEAD + 0.6
        for entry in breakdown:
            category = entry.category or ""
            cells = (
                f"{category} – {labels.VAT_CATEGORIES.get(category, category)}".strip(" –"),
                figures.percent(entry.rate),
                figures.amount(entry.taxable_amount, self.currency),
                figures.amount(entry.tax_amount, self.currency),
            )
            self.ensure(LEAD * 2)
            self.font(BODY)
            x = MARGIN
            for index, (text, width) in enumerate(zip(cells, widths, strict=True)):
                self.put(x + _PAD, self.y, text, width - 2 * _PAD, right=index > 0)
                x += width
            self.y += LEAD + 0.4
            mention = self.vat_mention(
                category, entry.exemption_reason, entry.exemption_reason_code
            )
            if mention:
                self.font(BODY, bold=True)
                self.paragraph(mention, MARGIN + _PAD, CONTENT_WIDTH - 2 * _PAD)
        self.y += 1

    @staticmethod
    def vat_mention(category: str, reason: str | None, code: str | None) -> str:
        """« Autoliquidation » for AE; the exemption reason (BT-120/121) for the others."""
        if category == "AE":
            detail = reason if reason and reason.strip().lower() != "autoliquidation" else ""
            return f"{labels.REVERSE_CHARGE}{' – ' + detail if detail else ''}"
        if reason or code:
            return f"{labels.EXEMPTION} : {reason or code}"
        return ""

    def payment(self) -> None:
        invoice = self.invoice
        payment = invoice.payment
        if not (payment or invoice.payment_terms):
            return
        self.heading(labels.PAYMENT)
        if invoice.payment_terms:
            self.font(BODY, muted=True)
            self.ensure(LEAD)
            self.put(MARGIN, self.y, labels.PAYMENT_TERMS)
            self.y += LEAD
            self.font(BODY)
            self.paragraph(invoice.payment_terms)
            self.y += 0.8
        if payment is None:
            return
        rows: list[tuple[str, str]] = []
        means = payment.means_text or labels.PAYMENT_MEANS.get(payment.means_code or "", "")
        rows.append((labels.PAYMENT_MEANS_LABEL, means or (payment.means_code or "")))
        for transfer in payment.credit_transfers:
            rows.append((labels.IBAN, figures.grouped(transfer.account_id or "")))
            rows.append((labels.BIC, transfer.provider_id or ""))
            rows.append((labels.ACCOUNT_NAME, transfer.account_name or ""))
        if payment.card:
            card = payment.card
            rows.append(
                (labels.CARD, f"{card.primary_account_number or ''} {card.holder_name or ''}")
            )
        if payment.direct_debit:
            debit = payment.direct_debit
            rows.append((labels.MANDATE, debit.mandate_reference or ""))
            rows.append((labels.CREDITOR_ID, debit.creditor_id or ""))
            rows.append((labels.DEBITED_ACCOUNT, figures.grouped(debit.debited_account_id or "")))
        rows.append((labels.REMITTANCE, payment.remittance_information or ""))
        rows = [(label, value.strip()) for label, value in rows if value.strip()]
        self.ensure(LEAD * min(len(rows), 6))
        self.y = self.pairs(rows, MARGIN, CONTENT_WIDTH, self.y) + 1

    def notes(self) -> None:
        notes = [note for note in self.invoice.notes if note.text]
        if not notes:
            return
        self.heading(labels.NOTES)
        for note in notes:
            subject = labels.NOTE_SUBJECTS.get(note.subject_code or "", note.subject_code or "")
            self.font(BODY)
            self.paragraph(f"{subject} : {note.text}" if subject else note.text or "")
            self.y += 0.6

    def attachments(self) -> None:
        documents = self.invoice.supporting_documents
        if not documents:
            return
        self.heading(labels.ATTACHMENTS)
        for document in documents:
            parts = [document.reference or "", document.description or ""]
            if document.attachment and document.attachment.filename:
                parts.append(document.attachment.filename)
            if document.uri:
                parts.append(document.uri)
            self.font(BODY)
            self.paragraph(" – ".join(part for part in parts if part))
