"""Hostile and broken input gets the platform's answer, and the sandbox keeps serving."""

from __future__ import annotations

import base64
import io
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox.conftest import FAST, Api, launch
from tests.sandbox.invoices import SUPPLIER, Facture, tar_gz, ubl, zip_of

MB = 1024 * 1024
FLUX = "/cpro/factures/v1/deposer/flux"
SMALL = replace(
    FAST,
    max_flow_bytes=MB,
    max_archive_bytes=2 * MB,
    max_pdf_bytes=MB,
    max_attachment_bytes=MB,
    max_request_bytes=4 * MB,
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    sandbox, api = launch(tmp_path_factory.mktemp("small"), SMALL)
    yield api
    api.close()
    sandbox.stop()


def still_serving(api: Api) -> None:
    answer = api.http.get("/cpro/transverses/v1/health-check", headers=api.headers(SUPPLIER))
    assert answer.status_code == 200 and answer.json()["statusCode"] == "200"


def deposit_body(
    data: bytes, name: str = "f.xml", syntaxe: str = "IN_DP_E1_UBL_INVOICE"
) -> dict[str, Any]:
    return {
        "fichierFlux": base64.b64encode(data).decode(),
        "nomFichier": name,
        "syntaxeFlux": syntaxe,
    }


def test_malformed_json_and_wrong_types_are_400(small: Api) -> None:
    headers = small.headers(SUPPLIER)
    for raw in (
        b"{",
        b"[1, 2]",
        b'{"fichierFlux": 12, "nomFichier": "a", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"}',
        b'{"idUtilisateurCourant": "abc"}',
        b"\xff\xfe",
    ):
        answer = small.http.post(FLUX, content=raw, headers=headers)
        assert answer.status_code == 400, raw
        assert answer.json()["libelle"].startswith("Requête mal formulée")
    still_serving(small)


def test_unknown_syntax_is_refused_and_the_wrong_media_type_is_415(small: Api) -> None:
    answer = small.post(FLUX, deposit_body(b"<x/>", syntaxe="IN_DP_E9_INCONNU"), SUPPLIER)
    assert answer.status_code == 400 and "syntaxeFlux" in answer.json()["libelle"]
    text = small.http.post(
        FLUX, content=b"{}", headers={**small.headers(SUPPLIER), "Content-Type": "text/plain"}
    )
    assert text.status_code == 415 and text.json()["libelle"] == "Format de la requête non supporté"
    unknown = small.http.post(
        "/cpro/factures/v1/nexistepas", json={}, headers=small.headers(SUPPLIER)
    )
    assert unknown.status_code == 404 and unknown.json()["libelle"] == "API non trouvée"
    still_serving(small)


def test_bad_base64_with_or_without_line_breaks_is_refused(small: Api) -> None:
    data = base64.encodebytes(ubl(Facture("B64-1"))).decode()  # 76-column lines
    assert "\n" in data
    with_breaks = small.call(FLUX, {**deposit_body(b""), "fichierFlux": data}, SUPPLIER)
    assert with_breaks["codeRetour"] == 20002 and "retours à la ligne" in with_breaks["libelle"]
    garbage = small.call(FLUX, {**deposit_body(b""), "fichierFlux": "@@not base64@@"}, SUPPLIER)
    assert garbage["codeRetour"] == 20002
    missing = small.call(
        FLUX, {"nomFichier": "a.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"}, SUPPLIER
    )
    assert missing["codeRetour"] != 0
    still_serving(small)


def test_oversize_files_and_bodies(small: Api) -> None:
    big = small.post(FLUX, deposit_body(b"<a>" + b"x" * (MB + 10) + b"</a>"), SUPPLIER)
    assert big.status_code == 413
    assert big.json()["codeRetour"] == 20001 and "GDP_MSG_11.022" in big.json()["libelle"]
    pdf = small.post(
        "/cpro/factures/v1/deposer/pdf",
        {
            "fichierFacture": base64.b64encode(b"%PDF-1.4" + b"0" * (MB + 1)).decode(),
            "nomFichier": "f.pdf",
            "formatDepot": "PDF_NON_SIGNE",
        },
        SUPPLIER,
    )
    assert pdf.status_code == 413
    attachment = small.call(
        "/cpro/transverses/v1/ajouter/fichier",
        {
            "pieceJointeFichier": base64.b64encode(b"0" * (MB + 1)).decode(),
            "pieceJointeNom": "a.pdf",
            "pieceJointeExtension": "pdf",
        },
        SUPPLIER,
    )
    assert attachment["codeRetour"] == 20003
    declared = small.http.post(
        FLUX, content=b"{" + b" " * (5 * MB) + b"}", headers=small.headers(SUPPLIER)
    )
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield b'{"nomFichier": "'
        for _ in range(5):
            yield b"y" * MB
        yield b'"}'

    streamed = small.http.post(FLUX, content=chunks(), headers=small.headers(SUPPLIER))
    assert streamed.status_code == 413
    still_serving(small)


def report_of(api: Api, data: bytes, name: str) -> dict[str, Any]:
    return api.report(api.deposit(data, name, "IN_DP_E1_UBL_INVOICE", SUPPLIER), SUPPLIER)


def bomb_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"\0" * (40 * MB))
    return buffer.getvalue()


def bomb_tar() -> bytes:
    return tar_gz({f"part{i}.xml": b"\0" * (MB // 2 + 1) for i in range(8)})


def test_archive_bombs_stop_at_the_limit(small: Api) -> None:
    archive = bomb_zip()
    assert len(archive) < MB // 4
    for data, name in ((archive, "bomb.zip"), (bomb_tar(), "bomb.tar.gz")):
        cr = report_of(small, data, name)
        assert cr["etatCourantDepotFlux"] == "IN_REJETE"
        assert cr["listeErreurTechnique"][0]["codeErreur"] == "ERR_ARCHIVE_001"
        assert "taille" in cr["listeErreurTechnique"][0]["libelleErreur"]
    still_serving(small)


def traversal_tar(kind: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("../../evil.xml" if kind == "dotdot" else "link.xml")
        if kind == "link":
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            archive.addfile(info)
        else:
            data = ubl(Facture("EVIL-1"))
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_path_traversal_and_links_in_archives_are_refused(small: Api, tmp_path: Path) -> None:
    cases = [
        (zip_of({"../../evil.xml": ubl(Facture("EVIL-2"))}), "t.zip"),
        (zip_of({"/abs/evil.xml": ubl(Facture("EVIL-3"))}), "t2.zip"),
        (traversal_tar("dotdot"), "t.tar.gz"),
        (traversal_tar("link"), "l.tar.gz"),
    ]
    for data, name in cases:
        cr = report_of(small, data, name)
        assert cr["etatCourantDepotFlux"] == "IN_REJETE", name
        assert cr["listeErreurTechnique"][0]["codeErreur"] == "ERR_ARCHIVE_001", name
    assert not (tmp_path.parent / "evil.xml").exists()
    still_serving(small)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol3;</ID></Invoice>"""


def test_xxe_entity_expansion_and_garbage_files_are_irrecevable(small: Api) -> None:
    for data in (XXE, LAUGHS, b"<Invoice", b"%PDF-1.4 not really a pdf", b"\x00\x01\x02"):
        cr = report_of(small, data, "x.xml")
        assert cr["etatCourantDepotFlux"] == "IN_REJETE"
        (error,) = cr["listeErreurTechnique"]
        assert error["codeErreur"] == "ERR_FICHIER_001"
        assert "root:" not in error["libelleErreur"]
    still_serving(small)


def test_line_breaks_in_base64_can_be_accepted_by_configuration(tmp_path: Path) -> None:
    sandbox, api = launch(tmp_path, replace(FAST, accept_base64_line_breaks=True))
    try:
        body = {
            **deposit_body(b""),
            "fichierFlux": base64.encodebytes(ubl(Facture("B64-OK"))).decode(),
        }
        answer = api.call(FLUX, body, SUPPLIER)
        assert answer["codeRetour"] == 0
        assert (
            api.report(answer["numeroFluxDepot"], SUPPLIER)["etatCourantDepotFlux"] == "IN_INTEGRE"
        )
    finally:
        api.close()
        sandbox.stop()
