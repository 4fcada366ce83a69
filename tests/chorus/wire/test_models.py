"""The wire models against the official swaggers and API.md's permissiveness."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from chorusflow.chorus.wire import OPERATIONS, factures, structures, transverses
from chorusflow.chorus.wire.base import WireModel
from chorusflow.chorus.wire.enums import StatutFacture
from chorusflow.chorus.wire.operations import BY_PATH, Api
from tests.conftest import ROOT
from tests.swagger import FILES, operations, request_definition, response_definition, swagger

MODULES = {"factures": factures, "structures": structures}


def test_generated_modules_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_wire.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("api", sorted(FILES))
def test_every_swagger_definition_has_a_model_with_its_fields(api: str) -> None:
    base = {"ParametresRetour", "TriColonne", "WsRetour"}
    for name, definition in swagger(api)["definitions"].items():
        model = getattr(MODULES[api], name, None) if name not in base else WireModel
        if name in base:
            continue
        assert model is not None, name
        assert set(definition.get("properties", {})) <= set(model.model_fields), name


def test_no_swagger_operation_is_missing_from_the_catalogue() -> None:
    for api, path, operation_id, op in operations():
        ours = BY_PATH.get(path)
        assert ours is not None, f"{operation_id} {path} is missing"
        assert ours.operation_id == operation_id and ours.in_swagger and ours.method == "POST"
        assert ours.api.value == api
        assert ours.request is not None and ours.request.__name__ == request_definition(op)
        expected = response_definition(op)
        assert ours.response.__name__ == expected or (
            expected == "WsRetour" and ours.response.__name__ == "WsRetour"
        )
    in_swaggers = {path for _, path, _, _ in operations()}
    assert {op.path for op in OPERATIONS if op.in_swagger} == in_swaggers
    assert len(in_swaggers) == 28


def test_operations_outside_the_swaggers_use_their_documented_paths() -> None:
    paths = {op.path for op in OPERATIONS}
    for path in (
        "/cpro/transverses/v1/consulterCRDetaille",
        "/cpro/transverses/v1/consulterCR",
        "/cpro/transverses/v1/health-check",
        "/cpro/transverses/v1/ajouter/fichier",
        "/cpro/transverses/v1/recuperer/etats/traitement",
        "/cpro/transverses/v1/recuperer/typeidentifiant/structure",
        "/cpro/engagementsJuridiques/v1/rechercher",
        "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements",
    ):
        assert path in paths, path
    assert {op.api for op in OPERATIONS} == set(Api)
    assert len({op.operation_id for op in OPERATIONS}) == len(OPERATIONS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-03-18", dt.date(2016, 3, 18)),
        ("2016-05-24 15:02", dt.datetime(2016, 5, 24, 15, 2)),
        (
            "2018-02-16T15:10:25.536+01:00",
            dt.datetime(2018, 2, 16, 15, 10, 25, 536000, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        (1455631825536, dt.datetime(2016, 2, 16, 14, 10, 25, 536000, tzinfo=dt.UTC)),
    ],
)
def test_dates_are_read_in_every_format_the_platform_writes(text: object, expected: object) -> None:
    answer = transverses.WsRetourConsulterCRDetaille.model_validate(
        {"codeRetour": 0, "dateDepotFlux": text}
    )
    assert answer.dateDepotFlux == expected


def test_bad_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="not a date"):
        transverses.WsRetourConsulterCRDetaille.model_validate(
            {"codeRetour": 0, "dateDepotFlux": "18/03/2016"}
        )


def test_piece_jointe_principale_is_read_as_object_or_array_and_written_as_array() -> None:
    one = factures.SoumettreFactureParam.model_validate(
        {"pieceJointePrincipale": {"pieceJointePrincipaleId": 7}}
    )
    many = factures.SoumettreFactureParam.model_validate(
        {"pieceJointePrincipale": [{"pieceJointePrincipaleId": 7}]}
    )
    assert one == many
    assert one.to_wire() == {"pieceJointePrincipale": [{"pieceJointePrincipaleId": 7}]}


def test_answers_keep_unknown_statuses_and_requests_refuse_them() -> None:
    answer = factures.WsRetourConsulterHistoriqueFacture.model_validate(
        {"codeRetour": 0, "statutCourantCode": "NOUVEAU_STATUT"}
    )
    assert answer.statutCourantCode == "NOUVEAU_STATUT"
    known = factures.WsRetourConsulterHistoriqueFacture.model_validate(
        {"codeRetour": 0, "statutCourantCode": "DEPOSEE"}
    )
    assert known.statutCourantCode is StatutFacture.DEPOSEE
    with pytest.raises(ValueError):
        factures.TraiterUneFactureRecueParam.model_validate({"nouveauStatut": "NOUVEAU_STATUT"})


def test_amounts_stay_exact_and_are_written_as_numbers() -> None:
    total = factures.SoumettreFactureMontantTotal.model_validate_json(
        b'{"montantHtTotal": 1406.272, "montantTVA": 130}'
    )
    assert total.montantHtTotal == Decimal("1406.272")
    assert total.to_wire() == {"montantHtTotal": 1406.272, "montantTVA": 130}


def test_id_utilisateur_courant_may_be_absent_or_zero_and_unknown_fields_are_ignored() -> None:
    assert factures.DeposerFluxFactureParam.model_validate({}).idUtilisateurCourant is None
    assert factures.DeposerFluxFactureParam.model_validate(
        {"idUtilisateurCourant": 0, "nouveau": 1}
    ).to_wire() == {"idUtilisateurCourant": 0}


def test_swagger_required_answer_fields_are_written_even_when_null() -> None:
    answer = factures.WsRetourDeposerPdfFacture(
        codeRetour=0, libelle="CODE PAR DEFAUT", pieceJointeId=3
    )
    wire = answer.to_wire()
    assert wire["codeDestinataire"] is None and wire["pieceJointeId"] == 3
    assert set(swagger("factures")["definitions"]["WsRetourDeposerPdfFacture"]["required"]) <= set(
        wire
    )


def test_structures_parametres_map_to_the_buyer_requirement() -> None:
    parametres = structures.ParamModifierStructure.model_validate(
        {"gestionNumeroEJOuCodeService": True}
    )
    assert parametres.gestionNumeroEJOuCodeService is True
