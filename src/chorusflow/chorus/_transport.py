"""The one place where bytes leave: an httpx client with explicit timeouts, proxy, CA bundle
and client certificate, and the classification of what can go wrong on the way.

Everything above this module sees either an ``httpx.Response`` or a
:class:`~chorusflow.chorus.exceptions.TransportError` that says whether the request may have
reached Chorus Pro — the question the outbox must answer before sending a deposit again.
"""

from __future__ import annotations

import email.utils
import logging
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import certifi
import httpx

from chorusflow.chorus.exceptions import (
    AmbiguousError,
    NotSentError,
    RateLimitedError,
    TransportError,
    UnavailableError,
)
from chorusflow.errors import ChorusflowError

log = logging.getLogger("chorusflow.chorus")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed for each phase of a call (no call ever waits forever)."""

    connect: float = 10.0
    read: float = 60.0
    """Deposits of large flows are slow to answer; searches are quick."""
    write: float = 60.0
    pool: float = 10.0

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True, slots=True)
class HttpOptions:
    """How to reach PISTE: timeouts, proxy, trusted CAs and an optional client certificate."""

    timeouts: Timeouts = field(default_factory=Timeouts)
    proxy: str | None = None
    """``http://host:port`` (credentials may be in the URL); None uses HTTPS_PROXY & co. when
    ``trust_env`` is true."""
    ca_bundle: Path | None = None
    """PEM file of the CAs to trust instead of the bundled ones (a company's TLS proxy)."""
    client_cert: Path | None = None
    """PEM certificate (and key, unless ``client_key`` is given) presented to the server."""
    client_key: Path | None = None
    trust_env: bool = True
    """Read proxies and NO_PROXY from the environment, as curl does."""


def _ssl_context(options: HttpOptions) -> ssl.SSLContext:
    cafile = str(options.ca_bundle) if options.ca_bundle else certifi.where()
    try:
        context = ssl.create_default_context(cafile=cafile)
        if options.client_cert is not None:
            key = str(options.client_key) if options.client_key else None
            context.load_cert_chain(str(options.client_cert), key)
    except (OSError, ssl.SSLError) as error:
        which = (
            f"the client certificate {options.client_cert}"
            if options.client_cert is not None and options.ca_bundle is None
            else f"the CA bundle {options.ca_bundle} or the client certificate"
        )
        raise ChorusflowError(
            f"Cannot load {which}: {getattr(error, 'strerror', None) or error}.",
            "Give PEM files that exist and are readable (ca_bundle, client_cert, client_key).",
        ) from None
    return context


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _where(url: httpx.URL) -> str:
    return f"{url.host}:{url.port}" if url.port else str(url.host)


class Transport:
    """Sends requests and turns network trouble and 429/5xx into typed errors."""

    def __init__(self, options: HttpOptions, transport: httpx.BaseTransport | None = None) -> None:
        self.options = options
        kwargs: dict[str, Any] = {}
        if transport is not None:
            kwargs["transport"] = transport
        self.client = httpx.Client(
            timeout=options.timeouts.httpx(),
            verify=_ssl_context(options),
            proxy=options.proxy,
            trust_env=options.trust_env,
            follow_redirects=False,
            headers={"User-Agent": "chorusflow"},
            **kwargs,
        )

    def close(self) -> None:
        self.client.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        what: str,
    ) -> httpx.Response:
        """One exchange; ``what`` names it in errors (never a secret)."""
        start = time.monotonic()
        try:
            request = self.client.build_request(
                method, url, headers=headers, json=json_body, data=form
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise NotSentError(
                f"Cannot call {what}: the URL {url!r} is not valid ({error}).",
                "Check token_url and api_url in the configuration (chorusflow init).",
            ) from None
        try:
            response = self.client.send(request)
        except httpx.UnsupportedProtocol:
            raise NotSentError(
                f"Cannot call {what}: {url!r} is not an http(s) URL.",
                "Check token_url and api_url in the configuration (chorusflow init).",
            ) from None
        except (httpx.ConnectTimeout, httpx.PoolTimeout):
            raise NotSentError(
                f"{what}: no connection to {_where(request.url)} within "
                f"{self.options.timeouts.connect:g} s; nothing was sent.",
                "Check the network, the proxy setting and that the host is reachable.",
            ) from None
        except httpx.ProxyError as error:
            raise NotSentError(
                f"{what}: the proxy refused the connection ({error}); nothing was sent.",
                "Check the proxy URL and its credentials.",
            ) from None
        except httpx.ConnectError as error:
            raise NotSentError(
                f"{what}: cannot connect to {_where(request.url)} ({_reason(error)}); "
                "nothing was sent.",
                _connect_fix(error),
            ) from None
        except httpx.TimeoutException:
            raise AmbiguousError(
                f"{what}: no answer from {_where(request.url)} within the timeout; the request "
                "was sent and may have been processed.",
                "Check what Chorus Pro holds before sending again (chorusflow status).",
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
            raise AmbiguousError(
                f"{what}: the connection to {_where(request.url)} broke before the answer "
                f"arrived ({_reason(error)}); the request may have been processed.",
                "Check what Chorus Pro holds before sending again (chorusflow status).",
            ) from None
        except httpx.HTTPError as error:
            raise AmbiguousError(
                f"{what}: the exchange with {_where(request.url)} failed ({_reason(error)}).",
                "Check what Chorus Pro holds before sending again (chorusflow status).",
            ) from None
        elapsed = (time.monotonic() - start) * 1000
        log.debug("%s %s -> %s in %.0f ms", method, request.url.path, response.status_code, elapsed)
        _raise_for_availability(response, what)
        return response


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


def _connect_fix(error: httpx.ConnectError) -> str:
    text = str(error).lower()
    if "certificate" in text or "ssl" in text or "tls" in text:
        return (
            "The server's TLS certificate is not trusted: behind a company proxy that inspects "
            "TLS, set ca_bundle to its CA file (chorusflow init --ca-bundle)."
        )
    if "name" in text or "resolution" in text or "nodename" in text:
        return "The host name does not resolve: check the URL and the DNS or proxy settings."
    return "Check that the host is up and reachable (firewall, proxy, URL)."


def _raise_for_availability(response: httpx.Response, what: str) -> None:
    status = response.status_code
    delay = retry_after(response.headers.get("Retry-After"))
    if status == 429:
        raise RateLimitedError(
            f"{what}: PISTE limits the call rate (HTTP 429)"
            + (f"; retry after {delay:g} s." if delay is not None else "."),
            "Send more slowly; the outbox waits and retries by itself.",
            retry_after=delay,
        )
    if status >= 500:
        maintenance = status == 503
        raise UnavailableError(
            f"{what}: Chorus Pro is unavailable (HTTP {status}"
            + (", maintenance" if maintenance and _is_html(response) else "")
            + ")"
            + (f"; retry after {delay:g} s." if delay is not None else "."),
            "Wait and try again; the outbox queues and retries by itself.",
            status=status,
            retry_after=delay,
        )


def _is_html(response: httpx.Response) -> bool:
    return "html" in response.headers.get("content-type", "").lower()


__all__ = ["HttpOptions", "Timeouts", "Transport", "TransportError", "retry_after"]
