"""The client against a real sandbox: tokens, refusals, envelopes and pages."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from chorusflow.chorus import (
    ApiNotSubscribedError,
    BusinessError,
    ChorusClient,
    Credentials,
    IncompleteSearchError,
    InvalidClientError,
    NoResultError,
    RequestError,
    Secret,
    TechnicalAccountError,
    catalogue,
)
from chorusflow.chorus._auth import TokenSource
from chorusflow.chorus.wire import factures as fa
from chorusflow.chorus.wire.operations import operation
from tests.chorus.conftest import BUYER_EJ, SUPPLIER, Bench, start_bench
from tests.sandbox.invoices import Facture, tar_gz, ubl


def number() -> str:
    return f"T-{uuid.uuid4().hex[:10]}"


# --- PISTE token ------------------------------------------------------------------------


def test_token_is_fetched_once_and_reused(supplier: ChorusClient) -> None:
    supplier.recuperer_devises(codeLangue="FR")
    supplier.recuperer_pays(codeLangue="FR")
    supplier.health_check()
    assert supplier.tokens.fetched == 1


def test_token_is_renewed_before_it_expires(bench: Bench) -> None:
    client = bench.client()
    clock = [1000.0]
    client.tokens = TokenSource(
        client._transport,  # the same transport: only the clock differs
        client.token_url,
        client.credentials,
        margin=60,
        clock=lambda: clock[0],
    )
    client.recuperer_devises()
    first = client.tokens.expires_in
    assert first is not None and first == pytest.approx(3600)
    clock[0] += 3600 - 61  # one second before the margin: still the same token
    client.recuperer_devises()
    assert client.tokens.fetched == 1
    clock[0] += 2  # inside the margin: renewed before use
    client.recuperer_devises()
    assert client.tokens.fetched == 2


def test_a_revoked_token_is_renewed_once_on_401(bench: Bench) -> None:
    client = bench.client()
    client.recuperer_devises()
    assert bench.revoke_tokens() >= 1
    answer = client.rechercher_facture_par_fournisseur(
        rechercheFactureParFournisseur={"nbResultatsParPage": 1}
    )
    assert answer.codeRetour == 0
    assert client.tokens.fetched == 2


def test_wrong_client_secret_is_invalid_client(bench: Bench) -> None:
    good = bench.credentials()
    wrong = Credentials(good.client_id, Secret("not-the-secret"), good.login, good.password)
    with pytest.raises(InvalidClientError) as caught:
        bench.client(credentials=wrong).recuperer_devises()
    assert "not-the-secret" not in str(caught.value)
    assert "piste.gouv.fr" in (caught.value.fix or "")


def test_wrong_technical_password_is_a_technical_account_error(bench: Bench) -> None:
    good = bench.credentials()
    wrong = Credentials(good.client_id, good.client_secret, good.login, Secret("bad-password"))
    client = bench.client(credentials=wrong)
    with pytest.raises(TechnicalAccountError) as caught:
        client.rechercher_facture_par_fournisseur()
    assert client.tokens.fetched == 2, "a 401 first renews the token, then blames the account"
    assert good.login in caught.value.message
    assert "bad-password" not in str(caught.value) and "Compte technique" in str(caught.value)


def test_api_not_attached_is_403_with_the_api_named(bench: Bench) -> None:
    client = bench.client(full=False)
    assert client.recuperer_devises(codeLangue="FR").listeDevises
    with pytest.raises(ApiNotSubscribedError) as caught:
        client.rechercher_facture_par_fournisseur()
    assert caught.value.api == "factures"
    assert "Modifier l'application" in (caught.value.fix or "")


def test_secrets_never_appear_in_reprs(bench: Bench) -> None:
    credentials = bench.credentials()
    client = bench.client(credentials=credentials)
    token = client.tokens.token()
    for text in (repr(client), repr(credentials), str(credentials), repr(client.tokens)):
        assert credentials.client_secret.reveal() not in text
        assert credentials.password.reveal() not in text
        assert token not in text
        assert credentials.cpro_account() not in text


# --- business errors --------------------------------------------------------------------


def test_business_error_in_a_200_carries_code_libelle_and_catalogue_entry(
    supplier: ChorusClient,
) -> None:
    with pytest.raises(BusinessError) as caught:
        supplier.flow_report("CPP0011100000000000000000")
    error = caught.value
    assert (error.status, error.code) == (200, 20001)
    assert error.libelle.startswith("POQ_MSG_01.003")
    assert error.entry is catalogue.BY_KEY["POQ_MSG_01.003"]
    assert "numeroFluxDepot" in error.message and error.fix


def test_business_error_in_a_400_body_is_the_same_error(tmp_path: Path) -> None:
    stop, strict = start_bench(tmp_path, business_error_status=400)
    try:
        with pytest.raises(BusinessError) as caught:
            strict.client().flow_report("CPP0011100000000000000000")
        assert (caught.value.status, caught.value.code) == (400, 20001)
        assert caught.value.entry.key == "POQ_MSG_01.003"
    finally:
        stop()


def test_per_operation_codes_without_a_key_use_the_operation_entry(bench: Bench) -> None:
    body = {
        "modeDepot": "SAISIE_API",
        "numeroFactureSaisi": number(),
        "destinataire": {"codeDestinataire": "12345678200051"},
        "fournisseur": {"idFournisseur": bench.api.party(SUPPLIER)["id_structure"]},
        "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
        "references": {"deviseFacture": "EUR", "typeFacture": "FACTURE", "typeTva": "SANS_TVA"},
        "lignePoste": [
            {
                "lignePosteNumero": 1,
                "lignePosteDenomination": "Conseil",
                "lignePosteQuantite": 1,
                "lignePosteMontantUnitaireHT": 100,
                "lignePosteTauxTvaManuel": 0,
            }
        ],
        "montantTotal": {
            "montantHtTotal": 100,
            "montantTVA": 0,
            "montantTtcTotal": 100,
            "montantAPayer": 100,
        },
    }
    client = bench.client()
    first = client.soumettre_facture(body)
    assert first.identifiantFactureCPP and first.statutFacture == "DEPOSEE"
    with pytest.raises(BusinessError) as caught:
        client.soumettre_facture(body)
    assert caught.value.code == 20013
    assert caught.value.entry is catalogue.BY_OPERATION[("soumettreFacture", 20013)]
    assert "new number" in (caught.value.fix or "")


def test_unknown_codes_still_get_an_entry() -> None:
    entry = catalogue.lookup("rechercherStructure", 99999, "XYZ quelque chose")
    assert "99999" in entry.meaning and entry.fix


def test_no_result_is_its_own_error_and_an_empty_search(bench: Bench) -> None:
    buyer = bench.client(BUYER_EJ)
    criteria = {"numeroFacture": "NOTHING-" + number()}
    with pytest.raises(NoResultError):
        buyer.rechercher_facture_recipiendaire(criteria)
    assert list(buyer.rechercher_facture_recipiendaire.all(criteria)) == []


def test_a_malformed_request_is_a_request_error(supplier: ChorusClient) -> None:
    op = operation("consulterHistoriqueFacture")
    with pytest.raises(RequestError) as caught:
        supplier.call(op, {"idFacture": "not a number"}, fa.WsRetourConsulterHistoriqueFacture)
    assert caught.value.status == 400


def test_a_wrong_api_url_is_said_so(bench: Bench) -> None:
    client = bench.client(api_url=bench.url + "/wrong")
    with pytest.raises(RequestError) as caught:
        client.recuperer_devises()
    assert caught.value.status == 404 and "api_url" in (caught.value.fix or "")


def test_request_models_are_checked_before_sending(supplier: ChorusClient) -> None:
    with pytest.raises(ValueError, match="syntaxeFlux"):
        supplier.deposer_flux_facture(fichierFlux="AA==", nomFichier="x", syntaxeFlux="NOPE")


# --- pages ------------------------------------------------------------------------------


def _deposit_batch(client: ChorusClient, count: int, seller: str) -> str:
    numbers = [number() for _ in range(count)]
    files = {f"{n}.xml": ubl(Facture(n, seller=seller)) for n in numbers}
    deposit = client.deposit_flow(tar_gz(files), "lot.tar.gz", "IN_DP_E1_UBL_INVOICE")
    assert deposit.numeroFluxDepot
    return deposit.numeroFluxDepot


def _integrated(client: ChorusClient, numero: str) -> str:
    for _ in range(600):
        state = client.flow_report(numero).etatCourantDepotFlux
        if state in ("IN_INTEGRE", "IN_INTEGRE_PARTIEL", "IN_REJETE"):
            return str(state)
        time.sleep(0.02)
    raise AssertionError("the flow was not processed")


def test_a_search_walks_every_page_and_misses_nothing(bench: Bench) -> None:
    client = bench.client("85412369200006")
    numero = _deposit_batch(client, 23, "85412369200006")
    assert _integrated(client, numero) == "IN_INTEGRE"
    one_page = client.rechercher_facture_par_fournisseur(numeroFluxDepot=numero)
    assert len(one_page.listeFactures or []) == 10, "the platform's default page is 10"
    assert one_page.parametresRetour and one_page.parametresRetour.total == 23
    every = list(client.rechercher_facture_par_fournisseur.all(numeroFluxDepot=numero, page_size=4))
    ids = [f.identifiantFactureCPP for f in every]
    assert len(ids) == 23 and len(set(ids)) == 23
    assert {f.identifiantFactureCPP for f in client.invoices_of_flow(numero)} == set(ids)


def test_results_arriving_during_a_walk_do_not_hide_earlier_ones(bench: Bench) -> None:
    client = bench.client(SUPPLIER)
    before = {f.identifiantFactureCPP for f in client.rechercher_facture_par_fournisseur.all()}
    assert len(before) > 5
    seen = []
    walk = client.rechercher_facture_par_fournisseur.all(page_size=3)
    seen.append(next(walk).identifiantFactureCPP)
    numero = _deposit_batch(client, 4, SUPPLIER)  # new invoices land while the walk is on page 1
    _integrated(client, numero)
    seen += [f.identifiantFactureCPP for f in walk]
    assert before <= set(seen)
    assert len(seen) == len(set(seen)), "no result twice"


def test_a_search_that_hits_its_cap_says_so(supplier: ChorusClient) -> None:
    walk = supplier.rechercher_facture_par_fournisseur.all(page_size=2, max_results=5)
    with pytest.raises(IncompleteSearchError, match="max_results=5"):
        list(walk)


def test_pages_yield_typed_answers(supplier: ChorusClient) -> None:
    pages = list(supplier.rechercher_facture_par_fournisseur.pages(page_size=5))
    assert all(isinstance(p, fa.WsRetourRechercherFactureParFournisseur) for p in pages)
    assert [p.parametresRetour.pageCourante for p in pages if p.parametresRetour] == list(
        range(1, len(pages) + 1)
    )
