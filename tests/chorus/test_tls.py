"""TLS as PISTE serves it, with a CA the test makes: a custom CA bundle, a client certificate,
and a proxy that tunnels with CONNECT — all over loopback."""

from __future__ import annotations

import datetime as dt
import ipaddress
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from chorusflow.chorus import ChorusClient, Credentials, HttpOptions, NotSentError, Secret
from chorusflow.chorus.exceptions import TransportError
from chorusflow.sandbox.app import create_app
from chorusflow.sandbox.store import Store
from tests.chorus.conftest import SUPPLIER
from tests.sandbox.conftest import MANUAL

# --- a CA and its certificates ------------------------------------------------------


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@dataclass
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def make_pki(directory: Path) -> Pki:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("chorusflow test CA"))
        .issuer_name(_name("chorusflow test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(
        common: str, usage: x509.ObjectIdentifier, server: bool
    ) -> tuple[x509.Certificate, Any]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
        return builder.sign(ca_key, hashes.SHA256()), key

    pki = Pki(
        *(directory / n for n in ("ca.pem", "server.pem", "server.key", "client.pem", "client.key"))
    )
    pki.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    server, server_key = leaf("127.0.0.1", ExtendedKeyUsageOID.SERVER_AUTH, True)
    pki.server_cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    _write_key(server_key, pki.server_key)
    client, client_key = leaf("chorusflow client", ExtendedKeyUsageOID.CLIENT_AUTH, False)
    pki.client_cert.write_bytes(client.public_bytes(serialization.Encoding.PEM))
    _write_key(client_key, pki.client_key)
    return pki


# --- the sandbox over TLS -------------------------------------------------------------


@dataclass
class TlsSandbox:
    url: str
    data: dict[str, Any]
    server: uvicorn.Server
    thread: threading.Thread
    store: Store

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.store.close()

    def credentials(self) -> Credentials:
        app = next(a for a in self.data["applications"] if a["name"] == "APP_SANDBOX_chorusflow")
        tech = next(s for s in self.data["suppliers"] if s["siret"] == SUPPLIER)[
            "technical_account"
        ]
        return Credentials(
            app["client_id"], Secret(app["client_secret"]), tech["login"], Secret(tech["password"])
        )

    def client(self, http: HttpOptions) -> ChorusClient:
        return ChorusClient(
            token_url=self.data["token_url"],
            api_url=self.data["api_url"],
            credentials=self.credentials(),
            http=http,
        )


def serve_tls(directory: Path, pki: Pki, *, require_client_cert: bool) -> TlsSandbox:
    store = Store(directory / "tls.db")
    app = create_app(store, MANUAL)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
        ssl_certfile=str(pki.server_cert),
        ssl_keyfile=str(pki.server_key),
        ssl_ca_certs=str(pki.ca),
        ssl_cert_reqs=ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_NONE,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the TLS sandbox did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"https://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=str(pki.ca))
    context.load_cert_chain(str(pki.client_cert), str(pki.client_key))
    data = httpx.post(url + "/admin/dataset", verify=context, timeout=30).json()
    return TlsSandbox(url, data, server, thread, store)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[TlsSandbox]:
    sandbox = serve_tls(tmp_path_factory.mktemp("tls"), pki, require_client_cert=False)
    yield sandbox
    sandbox.stop()


def test_a_custom_ca_bundle_is_trusted(tls: TlsSandbox, pki: Pki) -> None:
    with tls.client(HttpOptions(ca_bundle=pki.ca, trust_env=False)) as client:
        assert client.rechercher_facture_par_fournisseur().codeRetour == 0


def test_an_unknown_ca_is_refused_before_sending(tls: TlsSandbox) -> None:
    with tls.client(HttpOptions(trust_env=False)) as client, pytest.raises(NotSentError) as caught:
        client.recuperer_devises()
    assert "ca_bundle" in (caught.value.fix or "")


def test_a_client_certificate_is_presented(tmp_path: Path, pki: Pki) -> None:
    strict = serve_tls(tmp_path, pki, require_client_cert=True)
    try:
        with_cert = HttpOptions(
            ca_bundle=pki.ca,
            client_cert=pki.client_cert,
            client_key=pki.client_key,
            trust_env=False,
        )
        with strict.client(with_cert) as client:
            assert client.recuperer_devises(codeLangue="FR").listeDevises
        without = HttpOptions(ca_bundle=pki.ca, trust_env=False)
        with strict.client(without) as client, pytest.raises(TransportError):
            client.recuperer_devises()
    finally:
        strict.stop()


# --- a proxy that tunnels with CONNECT ------------------------------------------------


class ConnectProxy:
    """A tiny HTTP proxy: CONNECT host:port, then bytes both ways. Counts its tunnels."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.tunnels: list[str] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while self.running:
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(conn,), daemon=True).start()

    def _tunnel(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
            if method != "CONNECT":
                conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            host, port = target.rsplit(":", 1)
            self.tunnels.append(target)
            with socket.create_connection((host, int(port)), timeout=10) as upstream:
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                sockets = [conn, upstream]
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    ready, _, _ = select.select(sockets, [], [], 0.5)
                    for s in ready:
                        data = s.recv(65536)
                        if not data:
                            return
                        (upstream if s is conn else conn).sendall(data)

    def close(self) -> None:
        self.running = False
        self.listener.close()
        self.thread.join(timeout=5)


def test_calls_go_through_the_configured_proxy(tls: TlsSandbox, pki: Pki) -> None:
    proxy = ConnectProxy()
    try:
        options = HttpOptions(
            ca_bundle=pki.ca, proxy=f"http://127.0.0.1:{proxy.port}", trust_env=False
        )
        with tls.client(options) as client:
            assert client.recuperer_devises(codeLangue="FR").listeDevises
        target = tls.url.removeprefix("https://")
        assert proxy.tunnels and set(proxy.tunnels) == {target}
    finally:
        proxy.close()
