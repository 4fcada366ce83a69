"""Generate the hostile input corpus: files that must be refused clearly, never crash anything.

    python tools/gen_hostile.py OUT_DIR        # writes the files and OUT_DIR/manifest.json

Deterministic (one seeded generator, fixed templates) and idempotent (OUT_DIR is emptied of
what a previous run wrote before writing). The test suite generates the corpus into a
temporary directory at test time (tests/hostile/), beside the hand-made set committed under
tests/hostile/handmade/; nothing generated is committed, so nothing can drift.

Each case records its expected outcome class:

- ``valid``: a control that must pass (the harness proves it can see success);
- ``invalid``: well-formed but wrong arithmetic (EN 16931): `validate` exits 1 with the
  listed rule ids, `convert` exits 1 and writes nothing, `inspect` exits 0;
- ``flagged``: well-formed, wrong identifiers or schema: `validate` exits 1 with the listed
  rule ids; `convert` writes it (writers weigh EN 16931 only, docs/decisions.md), `inspect`
  exits 0;
- ``unreadable``: every command exits 2 with one sentence on stderr.

and what the sandbox must answer when the file is deposited as a flow in the syntax it claims:
``integrated``, ``rejected`` (listeErreurDP), a technical code (``ERR_...``: the flow is
IN_REJETE, irrecevable) or ``refused`` (the deposit itself is refused: codeRetour ≠ 0).
"""

from __future__ import annotations

import copy
import io
import json
import random
import shutil
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from chorusflow.formats.cii import write_cii
from chorusflow.formats.facturx import render_pdf, write_facturx
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import Profile
from chorusflow.formats.ubl import write_ubl

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "simple-invoice.json"
SEED = 6
MB = 1024 * 1024

#: The syntaxeFlux a file claiming each syntax is deposited with.
FLOW_SYNTAX = {
    "json": "IN_DP_E1_UBL_INVOICE",
    "ubl": "IN_DP_E1_UBL_INVOICE",
    "cii": "IN_DP_E1_CII_16B",
    "facturx": "IN_DP_E2_CII_FACTURX",
    "archive": "IN_DP_E1_UBL_INVOICE",
    "other": "IN_DP_E1_UBL_INVOICE",
}
#: Technical (irrecevability) codes the sandbox may give a file it cannot read.
UNREADABLE_CODES = ("ERR_FICHIER_001", "ERR_XSD_001", "ERR_SYNTAXE_002")


@dataclass(frozen=True)
class Case:
    """One corpus file and what it must produce."""

    name: str
    data: bytes = field(repr=False)
    kind: str
    claims: str
    rules: tuple[str, ...] = ()
    sandbox: tuple[str, ...] = UNREADABLE_CODES

    def entry(self) -> dict[str, Any]:
        entry = asdict(self)
        del entry["data"], entry["name"]
        entry["rules"] = list(self.rules)
        entry["sandbox"] = list(self.sandbox)
        entry["flow_syntax"] = FLOW_SYNTAX[self.claims]
        return entry


# --- the well-formed bases -------------------------------------------------------------------


def base_dict(number: str) -> dict[str, Any]:
    """The bundled simple invoice, totals computed, under its own number."""
    invoice = read_json(EXAMPLE.read_bytes())
    data: dict[str, Any] = json.loads(invoice.model_dump_json(exclude_none=True))
    data["number"] = number
    data["payment"]["remittance_information"] = number
    return data


def render(data: dict[str, Any], syntax: str) -> bytes:
    """``data`` written in ``syntax`` by the project's writers, wrong or not (no checks)."""
    invoice = read_json(json.dumps(data).encode())
    if syntax == "json":
        return json.dumps(data, ensure_ascii=False, indent=1).encode()
    if syntax == "cii":
        return write_cii(invoice, Profile.EN16931)
    if syntax == "ubl":
        return write_ubl(invoice)
    return write_facturx(invoice, Profile.EN16931)


class Numbers:
    """A fresh invoice number per case, so that no rejection is a duplicate's."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"HOST-{self.count:05d}"


SYNTAXES = ("json", "cii", "ubl", "facturx")
SUFFIX = {"json": ".json", "cii": ".xml", "ubl": ".xml", "facturx": ".pdf"}


# --- invalid: well-formed, wrong identifiers or arithmetic -----------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for step in parents:
            node = node[int(step)] if step.isdigit() else node[step]
        node[int(last) if last.isdigit() else last] = value

    return mutate


def _seller_siret(value: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        seller = data["seller"]
        for key in ("legal_registration", "electronic_address"):
            seller[key]["value"] = value
        seller["identifiers"][0]["value"] = value

    return mutate


def _buyer_siret(value: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for key in ("identifier", "legal_registration", "electronic_address"):
            data["buyer"][key]["value"] = value

    return mutate


#: name, mutation, rule ids `validate` must report, what the sandbox does with it.
INVALID: tuple[tuple[str, Mutation, tuple[str, ...], tuple[str, ...]], ...] = (
    ("seller-siret-luhn", _seller_siret("90123456700006"), ("ID-SIRET-LUHN",), ("rejected",)),
    ("seller-siret-short", _seller_siret("9012345670000"), ("ID-SIRET-FORMAT",), ("rejected",)),
    ("buyer-siret-luhn", _buyer_siret("12345678200052"), ("ID-SIRET-LUHN",), ("rejected",)),
    ("buyer-siret-letters", _buyer_siret("1234567820005A"), ("ID-SIRET-FORMAT",), ("rejected",)),
    ("seller-vat-key", _set("seller.vat_id", "FR16901234567"), ("ID-VAT-KEY",), ("integrated",)),
    ("seller-vat-format", _set("seller.vat_id", "FRXX9012"), ("ID-VAT-FORMAT",), ("integrated",)),
    (
        "iban-key",
        _set("payment.credit_transfers.0.account_id", "FR7630006000011234567890188"),
        ("ID-IBAN-KEY",),
        ("integrated",),
    ),
    ("payable-off", _set("totals.payable", "901.00"), ("BR-CO-16",), ("rejected",)),
    ("tax-total-off", _set("totals.tax_total", "151.00"), ("BR-CO-15",), ("rejected",)),
    ("line-total-off", _set("totals.line_total", "751.00"), ("BR-CO-10",), ("rejected",)),
    (
        "vat-breakdown-tax-off",
        _set("vat_breakdown.0.tax_amount", "149.00"),
        ("BR-CO-14",),
        ("rejected",),
    ),
    (
        "vat-breakdown-base-off",
        _set("vat_breakdown.0.taxable_amount", "700.00"),
        ("BR-S-08",),
        ("rejected",),
    ),
    ("line-net-off", _set("lines.0.net_amount", "541.00"), ("BR-CO-10",), ("rejected",)),
)


def invalid_cases(number: Numbers) -> Iterator[Case]:
    for syntax in SYNTAXES:
        for name, mutate, rules, sandbox in INVALID:
            data = base_dict(number())
            mutate(data)
            # a sandbox verdict is for deposited syntaxes only: JSON is never taken
            verdict = ("ERR_FICHIER_001",) if syntax == "json" else sandbox
            yield Case(
                f"invalid/{name}-{syntax}{SUFFIX[syntax]}",
                render(data, syntax),
                "flagged" if rules[0].startswith("ID-") else "invalid",
                syntax,
                rules,
                verdict,
            )


def valid_cases(number: Numbers) -> Iterator[Case]:
    for syntax in SYNTAXES:
        data = render(base_dict(number()), syntax)
        verdict = ("ERR_FICHIER_001",) if syntax == "json" else ("integrated",)
        yield Case(f"valid/control-{syntax}{SUFFIX[syntax]}", data, "valid", syntax, (), verdict)
    for kind in ("zip", "tar.gz"):
        files = {f"f{i}.xml": render(base_dict(number()), "ubl") for i in range(2)}
        data = zip_of(files) if kind == "zip" else tar_gz(files)
        yield Case(f"valid/batch.{kind}", data, "unreadable", "archive", (), ("integrated",))


# --- truncated and malformed -----------------------------------------------------------------

CUTS = (0.0005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)


def truncated_cases(number: Numbers) -> Iterator[Case]:
    for syntax in SYNTAXES:
        data = render(base_dict(number()), syntax)
        for cut in CUTS:
            size = min(int(len(data) * cut), len(data) - 40)
            if syntax == "facturx":
                size = max(size, 16)  # keep %PDF- in the head, so it is read as a PDF
            yield Case(
                f"truncated/{syntax}-{cut:.4f}{SUFFIX[syntax]}", data[:size], "unreadable", syntax
            )


#: (name, old, new): one textual change that breaks well-formedness, applied to CII and UBL.
XML_BREAKS: tuple[tuple[str, bytes, bytes], ...] = (
    ("unclosed-root", b"", b"<extra>"),
    ("garbage-after-root", b"", b"<second/>"),
    ("text-after-root", b"", b"trailing text"),
    ("undefined-entity", b"</", b"&undefined;</"),
    ("bare-ampersand", b"</", b"AT&T </"),
    ("lt-in-text", b"</", b"a < b</"),
    ("nul-char-ref", b"</", b"&#0;</"),
    ("bad-char-ref", b"</", b"&#xFFFFFFFF;</"),
    ("control-char", b"</", b"\x01</"),
    ("undeclared-prefix", b"</", b"<nope:x/></"),
    ("duplicate-attribute", b"?>", b"?><!-- --><x a='1' a='2'/>"),
    ("unterminated-comment", b"?>", b"?><!-- never closed"),
    ("unterminated-cdata", b"</", b"<![CDATA[ never closed"),
    ("double-hyphen-comment", b"?>", b"?><!-- a -- b -->"),
    ("decl-not-first", b"<?xml", b"\n<?xml"),
    ("pi-before-decl", b"<?xml", b"<?pi x?><?xml"),
    ("bad-version", b"version='1.0'", b"version='9.9'"),
    ("unknown-encoding", b"encoding='UTF-8'", b"encoding='X-NOPE-42'"),
    ("ebcdic-declared", b"encoding='UTF-8'", b"encoding='EBCDIC-CP-US'"),
    ("mismatched-close", b"</", b"</wrong></"),
)
XML_REPLACE_LAST = {"unclosed-root", "garbage-after-root", "text-after-root"}


def _break(data: bytes, name: str, old: bytes, new: bytes) -> bytes:
    if name in XML_REPLACE_LAST:
        return data.rstrip() + new
    if old == b"</":  # inside the last element of the document
        at = data.rfind(b"</")
        at = data.rfind(b"</", 0, at)
        return data[:at] + new + data[at + 2 :]
    assert old in data, (name, old)
    return data.replace(old, new, 1)


def malformed_xml_cases(number: Numbers) -> Iterator[Case]:
    for syntax in ("cii", "ubl"):
        data = render(base_dict(number()), syntax)
        for name, old, new in XML_BREAKS:
            yield Case(
                f"malformed/{syntax}-{name}.xml", _break(data, name, old, new), "unreadable", syntax
            )
        root = b"<rsm:CrossIndustryInvoice" if syntax == "cii" else b"<Invoice"
        wrong = (
            ("html-root", b"<html><body>facture</body></html>"),
            (
                "wrong-namespace",
                data.replace(
                    b"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
                    b"urn:example:nope",
                ).replace(
                    b"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", b"urn:example:nope"
                ),
            ),
            (
                "empty-root",
                data[: data.index(root)] + root.replace(b"<rsm:", b"<") + b' xmlns="urn:example"/>',
            ),
            ("only-declaration", b'<?xml version="1.0" encoding="UTF-8"?>\n'),
            ("deep-nesting", b"<a>" * 20000 + b"</a>" * 20000),
            ("wide-attributes", b"<a " + b" ".join(b"a%d='x'" % i for i in range(20000)) + b"/>"),
            ("long-name", b"<" + b"n" * 200000 + b"/>"),
        )
        for name, payload in wrong:
            yield Case(f"malformed/{syntax}-{name}.xml", payload, "unreadable", syntax)


JSON_BREAKS: tuple[tuple[str, bytes], ...] = (
    ("trailing-comma", b'{"number": "X",}'),
    ("single-quotes", b"{'number': 'X'}"),
    ("nan", b'{"number": "X", "lines": [{"quantity": NaN}]}'),
    ("infinity", b'{"number": "X", "totals": {"payable": Infinity}}'),
    ("unterminated-string", b'{"number": "X'),
    ("comment", b'{"number": "X" /* comment */}'),
    ("top-level-array", b'[{"number": "X"}]'),
    ("top-level-string", b'"an invoice"'),
    ("top-level-number", b"42"),
    ("top-level-null", b"null"),
    ("lone-surrogate", b'{"number": "\\ud800"}'),
    ("invalid-utf8", b'{"number": "\xff\xfe\xfd"}'),
    ("deep-nesting", b'{"notes": ' + b"[" * 100000 + b"]" * 100000 + b"}"),
    ("huge-exponent", b'{"number": "X", "totals": {"payable": 1e999999999}}'),
    ("long-integer", b'{"number": "X", "lines": [{"quantity": ' + b"9" * 5000 + b"}]}"),
    ("wrong-type-object", b'{"number": {"x": 1}}'),
    ("wrong-type-lines", b'{"number": "X", "lines": "many"}'),
    ("unknown-field", b'{"number": "X", "not_a_field": 1}'),
    ("bad-date", b'{"number": "X", "issue_date": "2026-13-45"}'),
    ("bad-decimal", b'{"number": "X", "lines": [{"quantity": "12,5"}]}'),
    ("unknown-currency", b'{"number": "X", "currency": "ZZZ"}'),
    ("empty-object-deep", b'{"seller": {"address": {"country": 12}}}'),
    ("duplicate-keys-types", b'{"number": "X", "number": ["Y"]}'),
)


def malformed_json_cases() -> Iterator[Case]:
    for name, payload in JSON_BREAKS:
        yield Case(f"malformed/json-{name}.json", payload, "unreadable", "json")


def other_cases() -> Iterator[Case]:
    """Files that are no invoice syntax at all."""
    rng = random.Random(SEED)
    yield Case("other/empty.bin", b"", "unreadable", "other", (), ("refused",))
    yield Case("other/whitespace.txt", b" \n\t\r\n" * 100, "unreadable", "other")
    yield Case("other/only-bom.txt", b"\xef\xbb\xbf", "unreadable", "other")
    yield Case("other/nul-bytes.bin", b"\0" * 4096, "unreadable", "other")
    yield Case("other/png.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "unreadable", "other")
    yield Case("other/elf.bin", b"\x7fELF\x02\x01\x01" + b"\0" * 64, "unreadable", "other")
    yield Case("other/text.txt", "Facture n° 1\n".encode(), "unreadable", "other")
    yield Case("other/csv.csv", b"number;total\nX;12\n", "unreadable", "other")
    for i in range(8):
        noise = rng.randbytes(rng.choice((16, 512, 4096, 65536)))
        yield Case(f"other/random-{i}.bin", b"\x02" + noise, "unreadable", "other")


# --- encodings ---------------------------------------------------------------------------------


def encoding_cases(number: Numbers) -> Iterator[Case]:
    for syntax in ("cii", "ubl", "json"):
        text = render(base_dict(number()), syntax).decode()
        suffix = SUFFIX[syntax]
        variants: list[tuple[str, bytes]] = [
            ("utf16le-no-bom", text.encode("utf-16-le")),
            ("utf16be-no-bom", text.encode("utf-16-be")),
            ("utf32-no-bom", text.encode("utf-32-le")),
            ("latin1-declared-utf8", text.encode("latin-1", "replace")),
            ("cp1252-declared-utf8", text.replace("€", "EUR").encode("cp1252", "replace")),
            ("nul-in-middle", _nul_inside(text.encode())),
            ("nul-every-other", b"\0".join(bytes([c]) for c in text.encode()[:4000])),
            ("utf8-bom-then-utf16", b"\xef\xbb\xbf" + text.encode("utf-16-le")),
            ("utf16-bom-utf8-body", b"\xff\xfe" + text.encode()),
            ("overlong-utf8", text.encode().replace("é".encode(), b"\xc0\xa9", 1)),
            ("utf8-surrogate", text.encode().replace("é".encode(), b"\xed\xa0\x80", 1)),
        ]
        if syntax != "json":
            variants.append(
                (
                    "declared-utf16-is-utf8",
                    text.encode().replace(b"encoding='UTF-8'", b"encoding='UTF-16'"),
                )
            )
        for name, data in variants:
            if syntax != "json" and name in AUTODETECTED:
                # XML 1.0 Appendix F: "<?xml" in UTF-16LE or UTF-32LE is recognised without a
                # BOM, and libxml2 decodes it rightly: the invoice is read as it is
                text = render(base_dict(number()), syntax).decode()  # a number of its own
                data = text.encode("utf-16-le" if name.startswith("utf16") else "utf-32-le")
                yield Case(
                    f"encoding/{syntax}-{name}{suffix}", data, "valid", syntax, (), ("integrated",)
                )
                continue
            yield Case(f"encoding/{syntax}-{name}{suffix}", data, "unreadable", syntax)


AUTODETECTED = frozenset({"utf16le-no-bom", "utf32-no-bom"})


def _nul_inside(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + b"\0" + data[middle:]


# --- XXE, entities and DTDs --------------------------------------------------------------------

DTDS: tuple[tuple[str, bytes], ...] = (
    ("xxe-file", b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
    ("xxe-http", b'<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'),
    ("xxe-parameter", b'<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'),
    ("external-dtd", b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/invoice.dtd">'),
    ("public-dtd", b'<!DOCTYPE r PUBLIC "-//X//DTD X//EN" "file:///etc/hostname">'),
    ("internal-dtd", b"<!DOCTYPE r [<!ELEMENT r ANY>]>"),
    (
        "billion-laughs",
        b"<!DOCTYPE r ["
        + b"".join(
            b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10 if i else b"lol") for i in range(10)
        )
        + b"]>",
    ),
    ("quadratic", b'<!DOCTYPE r [<!ENTITY a "' + b"a" * 50000 + b'">]>'),
)


def _with_dtd(data: bytes, dtd: bytes, entity: bytes, pad: int = 0) -> bytes:
    """``dtd`` after the XML declaration (behind ``pad`` bytes of comment), ``entity`` used."""
    end = data.index(b"?>") + 2
    padding = b"<!--" + b" " * pad + b"-->" if pad else b""
    body = data[end:]
    at = body.rfind(b"</")
    at = body.rfind(b"</", 0, at)
    body = body[:at] + entity + body[at:]
    return data[:end] + padding + b"\n" + dtd + body


def entity_cases(number: Numbers) -> Iterator[Case]:
    for syntax in ("cii", "ubl", "facturx"):
        xml = render(base_dict(number()), "cii" if syntax == "facturx" else syntax)
        for name, dtd in DTDS:
            uses = {"billion-laughs": b"&l9;", "quadratic": b"&a;" * 2000}.get(name, b"&x;")
            if name in ("external-dtd", "public-dtd", "internal-dtd", "xxe-parameter"):
                uses = b""
            for pad in (0, 5000):
                hostile = _with_dtd(xml, dtd, uses, pad)
                label = f"{name}-after-5k" if pad else name
                if syntax == "facturx":
                    yield Case(
                        f"entities/facturx-{label}.pdf", _pdf_with(hostile), "unreadable", syntax
                    )
                else:
                    yield Case(f"entities/{syntax}-{label}.xml", hostile, "unreadable", syntax)
        if syntax != "facturx":
            xinclude = xml.replace(
                b"</ram:Name>" if syntax == "cii" else b"</cbc:Name>",
                b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                b'href="file:///etc/passwd" parse="text"/>'
                + (b"</ram:Name>" if syntax == "cii" else b"</cbc:Name>"),
                1,
            )
            # never resolved: the element stays where it is, and the schema refuses it there
            yield Case(
                f"entities/{syntax}-xinclude.xml",
                xinclude,
                "flagged",
                syntax,
                ("XSD",),
                ("ERR_XSD_001",),
            )


# --- Factur-X PDFs ------------------------------------------------------------------------------


def _save(pdf: pikepdf.Pdf, **options: Any) -> bytes:
    out = io.BytesIO()
    # an encrypted file has a random ID (qpdf derives its key from it): the only variance
    pdf.save(out, deterministic_id="encryption" not in options, **options)
    return out.getvalue()


def _pdf_with(xml: bytes, name: str = "factur-x.xml", *, base: bytes | None = None) -> bytes:
    """A PDF with ``xml`` embedded under ``name`` (no check of what it is)."""
    with pikepdf.open(io.BytesIO(base or _visual())) as pdf:
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, xml, mime_type="text/xml")
        return _save(pdf)


_VISUAL: list[bytes] = []


def _visual() -> bytes:
    if not _VISUAL:
        _VISUAL.append(render_pdf(read_json(EXAMPLE.read_bytes())))
    return _VISUAL[0]


def _edit(data: bytes, change: Callable[[pikepdf.Pdf], None], **options: Any) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        return _save(pdf, **options)


def _embedded(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    spec = pdf.attachments["factur-x.xml"].obj
    stream: pikepdf.Stream = spec.EF.F
    return stream


def _corrupt_stream(pdf: pikepdf.Pdf) -> None:
    _embedded(pdf).write(b"\x78\x9c this is not deflate data" * 20, filter=pikepdf.Name.FlateDecode)


def _bomb_stream(pdf: pikepdf.Pdf) -> None:
    bomb = zlib.compress(b"<a>" + b" " * (80 * MB) + b"</a>", 9)
    _embedded(pdf).write(bomb, filter=pikepdf.Name.FlateDecode)


def _lzw_stream(pdf: pikepdf.Pdf) -> None:
    _embedded(pdf).write(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", filter=pikepdf.Name.LZWDecode)


def _af_loop(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.Names
    af = pdf.make_indirect(pikepdf.Array())
    af.append(af)
    pdf.Root.AF = af


def _names_loop(pdf: pikepdf.Pdf) -> None:
    node = pdf.make_indirect(pikepdf.Dictionary())
    node.Kids = pikepdf.Array([node])
    pdf.Root.Names.EmbeddedFiles = node


def _pages_loop(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Pages.Kids.append(pdf.Root.Pages)


def _second_facturx(pdf: pikepdf.Pdf, xml: bytes) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, xml, mime_type="text/xml").obj
    spec.F = pikepdf.String("factur-x.xml")
    spec.UF = pikepdf.String("factur-x.xml")
    pdf.Root.AF.append(pdf.make_indirect(spec))


def facturx_cases(number: Numbers) -> Iterator[Case]:
    good = render(base_dict(number()), "facturx")
    cii = render(base_dict(number()), "cii")
    ubl = render(base_dict(number()), "ubl")
    other = render(base_dict(number()) | {"number": "OTHER-1"}, "cii")
    cases: list[tuple[str, bytes]] = [
        ("no-xml", _visual()),
        ("wrong-name", _pdf_with(cii, "invoice.xml")),
        ("xml-named-pdf", _pdf_with(cii, "factur-x.pdf")),
        ("ubl-inside", _pdf_with(ubl)),
        ("json-inside", _pdf_with(render(base_dict(number()), "json"))),
        ("empty-xml", _pdf_with(b"")),
        ("garbage-xml", _pdf_with(b"\0\1\2 not xml")),
        ("two-facturx-xml", _edit(good, lambda pdf: _second_facturx(pdf, other))),
        ("corrupt-stream", _edit(good, _corrupt_stream)),
        ("flate-bomb", _edit(good, _bomb_stream)),
        ("lzw-stream", _edit(good, _lzw_stream)),
        ("af-loop", _edit(good, _af_loop)),
        ("pages-loop", _edit(good, _pages_loop)),
        (
            "encrypted",
            _edit(good, lambda pdf: None, encryption=pikepdf.Encryption(owner="o", user="u")),
        ),
        (
            "encrypted-empty-user",
            _edit(good, lambda pdf: None, encryption=pikepdf.Encryption(owner="o", user="")),
        ),
        ("header-only", b"%PDF-1.7\n"),
        ("header-then-json", b"%PDF-1.7\n" + render(base_dict(number()), "json")),
        ("header-late", b"\x02" * 2000 + good),
        ("xref-garbage", good[: good.rfind(b"startxref")] + b"startxref\n999999999\n%%EOF\n"),
        (
            "no-trailer",
            good[: good.rfind(b"trailer") if b"trailer" in good else good.rfind(b"startxref")],
        ),
        (
            "zeroed-middle",
            good[: len(good) // 3] + b"\0" * (len(good) // 3) + good[2 * len(good) // 3 :],
        ),
    ]
    for name, data in cases:
        yield Case(f"facturx/{name}.pdf", data, "unreadable", "facturx")
    # a name tree that loops is skipped; the catalog's /AF still names the invoice
    yield Case(
        "facturx/names-loop.pdf", _edit(good, _names_loop), "valid", "facturx", (), ("integrated",)
    )


# --- archives ---------------------------------------------------------------------------------


def zip_of(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def tar_gz(
    files: dict[str, bytes], extra: Callable[[tarfile.TarFile], None] | None = None
) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=9) as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1767225600
            archive.addfile(info, io.BytesIO(data))
        if extra:
            extra(archive)
    out = buffer.getvalue()
    return out[:4] + b"\0\0\0\0" + out[8:]  # no gzip timestamp: deterministic


def _link(name: str, kind: bytes, target: str) -> Callable[[tarfile.TarFile], None]:
    def add(archive: tarfile.TarFile) -> None:
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = target
        archive.addfile(info)

    return add


def _dirs(count: int) -> Callable[[tarfile.TarFile], None]:
    def add(archive: tarfile.TarFile) -> None:
        for i in range(count):
            info = tarfile.TarInfo(f"d{i}")
            info.type = tarfile.DIRTYPE
            archive.addfile(info)

    return add


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    import gzip

    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


def archive_cases(number: Numbers) -> Iterator[Case]:
    ubl = render(base_dict(number()), "ubl")
    zeros = b"\0" * (40 * MB)
    refused = ("ERR_ARCHIVE_001",)
    cases: list[tuple[str, bytes, tuple[str, ...]]] = [
        ("zip-bomb.zip", zip_of({"bomb.xml": zeros}), refused),
        (
            "zip-bomb-stored-ratio.zip",
            zip_of({f"b{i}.xml": b"\0" * (4 * MB) for i in range(12)}),
            refused,
        ),
        ("zip-many-members.zip", zip_of({f"m{i}.xml": b"<a/>" for i in range(600)}), refused),
        (
            "zip-nested.zip",
            zip_of({"inner.zip": zip_of({"bomb.xml": zeros})}),
            (*refused, "ERR_FICHIER_001"),
        ),
        ("zip-nested-deep.zip", _nested_zip(ubl, 20), (*refused, "ERR_FICHIER_001")),
        ("zip-dotdot.zip", zip_of({"../../evil.xml": ubl}), refused),
        ("zip-absolute.zip", zip_of({"/tmp/evil.xml": ubl}), refused),
        ("zip-backslash.zip", zip_of({"..\\..\\evil.xml": ubl}), refused),
        ("zip-drive.zip", zip_of({"C:/evil.xml": ubl}), refused),
        ("zip-empty.zip", zip_of({}), refused),
        ("zip-only-dirs.zip", zip_of({"a/": b"", "b/": b""}), refused),
        ("zip-truncated.zip", zip_of({"f.xml": ubl})[:200], refused),
        ("zip-corrupt-data.zip", _corrupt_zip(ubl), refused),
        ("tar-bomb.tar.gz", tar_gz({"bomb.xml": zeros}), refused),
        ("tar-many-members.tar.gz", tar_gz({f"m{i}.xml": b"<a/>" for i in range(600)}), refused),
        ("tar-many-directories.tar.gz", tar_gz({}, _dirs(20000)), refused),
        ("tar-dotdot.tar.gz", tar_gz({"../../evil.xml": ubl}), refused),
        ("tar-absolute.tar.gz", tar_gz({"/tmp/evil.xml": ubl}), refused),
        (
            "tar-symlink.tar.gz",
            tar_gz({}, _link("link.xml", tarfile.SYMTYPE, "/etc/passwd")),
            refused,
        ),
        ("tar-symlink-then-file.tar.gz", _symlink_then_file(ubl), refused),
        (
            "tar-hardlink.tar.gz",
            tar_gz({}, _link("hard.xml", tarfile.LNKTYPE, "/etc/passwd")),
            refused,
        ),
        ("tar-device.tar.gz", tar_gz({}, _link("dev.xml", tarfile.CHRTYPE, "")), refused),
        ("tar-fifo.tar.gz", tar_gz({}, _link("fifo.xml", tarfile.FIFOTYPE, "")), refused),
        ("tar-empty.tar.gz", tar_gz({}), refused),
        ("tar-truncated.tar.gz", tar_gz({"f.xml": ubl})[:100], refused),
        ("gzip-not-tar.gz", _gzip(ubl), refused),
        ("gzip-bomb-not-tar.gz", _gzip(zeros), refused),
        (
            "tar-nested-bomb.tar.gz",
            tar_gz({"inner.tar.gz": tar_gz({"bomb.xml": zeros})}),
            ("ERR_FICHIER_001",),
        ),
    ]
    for name, data, codes in cases:
        yield Case(f"archives/{name}", data, "unreadable", "archive", (), codes)


def _nested_zip(payload: bytes, depth: int) -> bytes:
    data = payload
    for _ in range(depth):
        data = zip_of({"inner.zip" if data[:2] == b"PK" else "f.xml": data})
    return data


def _corrupt_zip(payload: bytes) -> bytes:
    data = bytearray(zip_of({"f.xml": payload}))
    start = 30 + len("f.xml")
    for i in range(start, start + 64):
        data[i] ^= 0x5A
    return bytes(data)


def _symlink_then_file(payload: bytes) -> bytes:
    def add(archive: tarfile.TarFile) -> None:
        link = tarfile.TarInfo("link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/tmp"
        archive.addfile(link)
        info = tarfile.TarInfo("link/evil.xml")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))

    return tar_gz({}, add)


# --- the corpus -----------------------------------------------------------------------------------


def corpus() -> list[Case]:
    """Every generated case, in a fixed order."""
    number = Numbers()
    cases = [
        *valid_cases(number),
        *invalid_cases(number),
        *truncated_cases(number),
        *malformed_xml_cases(number),
        *malformed_json_cases(),
        *other_cases(),
        *encoding_cases(number),
        *entity_cases(number),
        *facturx_cases(number),
        *archive_cases(number),
    ]
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), "two cases share a name"
    return cases


def write_corpus(out: Path) -> dict[str, dict[str, Any]]:
    """Write every case under ``out`` and ``out/manifest.json``; the manifest."""
    cases = corpus()
    for sub in {case.name.split("/")[0] for case in cases}:
        shutil.rmtree(out / sub, ignore_errors=True)
    manifest: dict[str, dict[str, Any]] = {}
    for case in cases:
        path = out / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data)
        manifest[case.name] = case.entry()
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return copy.deepcopy(manifest)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/gen_hostile.py OUT_DIR")
    written = write_corpus(Path(sys.argv[1]))
    print(f"{len(written)} files written to {sys.argv[1]}")
