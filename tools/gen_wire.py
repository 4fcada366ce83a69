"""Generate the wire models of the Factures and Structures APIs from the official swaggers.

    python tools/gen_wire.py           # rewrite chorus/wire/factures.py and structures.py
    python tools/gen_wire.py --check    # exit 1 when the committed modules differ

Every definition of each swagger becomes a pydantic model with the swagger's own field names;
enums map onto chorusflow.chorus.wire.enums (a subset maps to the concept's full enum and the
field description names the subset); dates take the platform's three formats; amounts are
decimals written as JSON numbers; enum values in answers are lenient (an unknown value is kept
as a string). The few places where the platform is known to differ from the 2020 swagger are
listed in OVERRIDES with their source in API.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from enum import StrEnum
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "chorus-pro"
if not SHARED.is_dir():  # a worktree under /work/wt/<name>
    SHARED = ROOT.parent.parent / "shared" / "chorus-pro"
OUT = ROOT / "src" / "chorusflow" / "chorus" / "wire"
sys.path.insert(0, str(ROOT / "src"))

from chorusflow.chorus.wire import enums as enums_module  # noqa: E402

SWAGGERS = {
    "factures": "swagger-factures-v1-betagouv-2020.json",
    "structures": "swagger-structures-v1-piste-sandbox.json",
}
#: Definitions that live in base.py, identical in both swaggers.
BASE = {"ParametresRetour", "TriColonne", "WsRetour"}
ENVELOPE = ("codeRetour", "libelle")

#: Field notes from API.md where the swagger says nothing that a client needs to know.
NOTES: dict[tuple[str, str], str] = {
    ("DeposerFluxFactureParam", "fichierFlux"): (
        "Le fichier du flux encodé en base 64: XML (UBL, CII), PDF/A-3 Factur-X, ou une "
        "archive (tar.gz, zip) de plusieurs fichiers."
    ),
    ("DeposerFluxFactureParam", "nomFichier"): "Nom du fichier avec son extension (200 car.).",
    ("DeposerFluxFactureParam", "idUtilisateurCourant"): "Facultatif en pratique (absent ou 0).",
    ("DeposerPdfFactureParam", "fichierFacture"): "Le PDF encodé en base 64 (10 Mo au plus).",
    ("SoumettreFactureParam", "pieceJointePrincipale"): (
        "Objet unique dans le swagger de 2020, tableau chez tous les clients et sur PISTE "
        "(API.md §3.3): les deux formes sont lues, un tableau est écrit."
    ),
    ("SoumettreFactureParam", "numeroFactureSaisi"): (
        "Numéro de facture; obligatoire en DEPOT_PDF_*, ignoré en SAISIE_API."
    ),
    ("SoumettreFactureReferences", "numeroBonCommande"): (
        "Numéro d'engagement juridique (bon de commande), 50 caractères au plus."
    ),
    ("SoumettreFactureDestinataire", "codeServiceExecutant"): (
        "Code du service exécutant; obligatoire si la structure l'exige."
    ),
    ("SoumettreFactureFournisseur", "idFournisseur"): "idStructureCPP du fournisseur.",
    ("RechercherFactureParFournisseurParam", "statutCourant"): "Statuts (StatutFacture).",
    ("ConsulterHistoriqueFactureParam", "idFacture"): "Égal à identifiantFactureCPP.",
    ("TraiterUneFactureRecueParam", "motif"): "Obligatoire pour REJETEE et SUSPENDUE.",
    ("TelechargerGroupeFactureParam", "format"): "PDF ou PIVOT.",
    ("TelechargerGroupeFactureParam", "avecPiecesJointesComplementaires"): "OUI ou NON.",
    ("WsRetourDeposerFluxFacture", "numeroFluxDepot"): (
        "Numéro du flux, ex. CPP0011110000000000001557 : à donner à consulterCRDetaille."
    ),
    ("RechercherFactureParFournisseurParam", "numeroFluxDepot"): (
        "Les factures intégrées d'un flux (paginer : un flux peut en compter plus de 10)."
    ),
    ("RetourRechercherFactureParFournisseur", "identifiantFactureCPP"): (
        "Identifiant de la facture, égal à idFacture des autres opérations."
    ),
    ("RecyclerFactureParam", "reference"): (
        "Au singulier : numéro d'engagement (numeroBonCommande) ou de marché à corriger."
    ),
    ("CompleterFactureParam", "commentaire"): "2000 caractères au plus.",
    ("TraiterUneFactureRecueParam", "numeroDPMandat"): "Numéro de mandat, avec MANDATEE.",
    ("ConsulterStructureAvecTVAIntraComParam", "idStructureCPP"): (
        "Identifiant interne de la structure (rechercherStructure)."
    ),
    ("RechercherServicesStructureParam", "idStructure"): "idStructureCPP de la structure.",
    ("RechercherStructureParam", "restreindreStructuresPrivees"): (
        "Absent ou vrai : structures publiques et structures privées de l'utilisateur ; "
        "faux : toutes."
    ),
    ("ParamModifierStructure", "codeServiceDoitEtreRenseigne"): (
        "Le code service est obligatoire sur les factures adressées à cette structure."
    ),
    ("ParamModifierStructure", "numeroEJDoitEtreRenseigne"): (
        "Le numéro d'engagement juridique est obligatoire."
    ),
    ("ParamModifierStructure", "gestionNumeroEJOuCodeService"): (
        "Le code service ou le numéro d'engagement est obligatoire (prime sur les deux autres)."
    ),
    ("InformationsGeneralesStructureCompleteTVAIntraCom", "dateExpirationMotPasseCompteTech"): (
        "Date d'expiration du mot de passe du compte technique."
    ),
    ("ParamParametre", "numeroEngagement"): (
        "Un numéro d'engagement est exigé pour les factures adressées à ce service."
    ),
}

#: Fields the swagger types as plain strings although API.md gives their values (§9).
ENUM_FIELDS: dict[tuple[str, str], str] = {
    ("RetourRechercherFactureParFournisseur", "statut"): "StatutFacture",
    ("RetourRechercherFactureParFournisseur", "modeDepot"): "ModeDepot",
    ("RetourRechercherFactureParFournisseur", "typeDemandePaiement"): "TypeDemandePaiement",
    ("FactureRechercherATraiterFournisseur", "statut"): "StatutFacture",
    ("FactureRechercherATraiterFournisseur", "typeDemandePaiement"): "TypeDemandePaiement",
    ("RecupererStatutsFactureVisiblesParValideurOutput", "codeStatutFacture"): "StatutFacture",
    ("WsRetourTraiterFactureAValider", "statutFacture"): "StatutFacture",
    ("RechercherFactureParFournisseurParam", "statutCourant"): "StatutFacture",
}

#: Fields whose real shape differs from the 2020 swagger: (definition, field) → type, imports.
OVERRIDES: dict[tuple[str, str], str] = {
    ("SoumettreFactureParam", "pieceJointePrincipale"): (
        "Annotated[list[SoumettreFacturePieceJointePrincipale], BeforeValidator(one_or_many)]"
        " | None"
    ),
}


def load(name: str) -> dict[str, Any]:
    return dict(json.loads((SHARED / SWAGGERS[name]).read_text(encoding="utf-8")))


def known_enums() -> list[type[StrEnum]]:
    found = [
        value
        for value in vars(enums_module).values()
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
    ]
    return sorted(found, key=lambda e: (len(e), e.__name__))


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def refs_of(schema: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    if "$ref" in schema:
        out.add(ref_name(schema["$ref"]))
    for prop in schema.get("properties", {}).values():
        out |= refs_of(prop)
    if "items" in schema:
        out |= refs_of(schema["items"])
    return out


def reachable(defs: dict[str, Any], roots: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        todo.extend(refs_of(defs[name]))
    return seen


class Generator:
    def __init__(self, api: str) -> None:
        self.api = api
        self.swagger = load(api)
        self.defs: dict[str, Any] = self.swagger["definitions"]
        self.enums = known_enums()
        self.used_enums: set[str] = set()
        self.literals: dict[str, list[str]] = {}
        self.operations: dict[str, tuple[str, str, str]] = {}
        responses: set[str] = set()
        for path, methods in self.swagger["paths"].items():
            for op in methods.values():
                full = self.swagger["basePath"] + path
                text = op.get("description", "")
                for param in op.get("parameters", []):
                    if param.get("in") == "body":
                        self.operations[ref_name(param["schema"]["$ref"])] = (
                            op["operationId"],
                            full,
                            text,
                        )
                ok = op["responses"]["200"]["schema"]["$ref"]
                self.operations.setdefault(ref_name(ok), (op["operationId"], full, text))
                responses.add(ref_name(ok))
        self.in_responses = reachable(self.defs, responses)
        self.swagger_values = {
            value
            for definition in self.defs.values()
            for prop in definition.get("properties", {}).values()
            for value in prop.get("enum", prop.get("items", {}).get("enum", []))
        }

    def enum_type(self, values: list[str], owner: str, field: str) -> tuple[str, str | None]:
        wanted = set(values)
        for enum in self.enums:
            names = {member.value for member in enum}
            if names == wanted:
                self.used_enums.add(enum.__name__)
                return enum.__name__, None
        for enum in self.enums:
            names = {member.value for member in enum}
            if wanted <= names:
                self.used_enums.add(enum.__name__)
                # values of the concept the swagger knows elsewhere but refuses here
                absent = [m.value for m in enum if m.value not in wanted]
                absent = [v for v in absent if v in self.swagger_values]
                if not absent:
                    return enum.__name__, None
                if len(absent) < len(values):
                    return enum.__name__, "Absent ici du swagger : " + ", ".join(absent) + "."
                return enum.__name__, "Le swagger n'admet ici que : " + ", ".join(values) + "."
        alias = field[0].upper() + field[1:] + owner
        self.literals[alias] = values
        return alias, None

    def field_type(self, prop: dict[str, Any], owner: str, field: str) -> tuple[str, str | None]:
        named = ENUM_FIELDS.get((owner, field))
        if named:
            self.used_enums.add(named)
            inner = named if prop.get("type") != "array" else f"list[{named}]"
            return inner, "Valeurs de l'énumération (API.md §9), non déclarée par le swagger."
        if "$ref" in prop:
            return ref_name(prop["$ref"]), None
        kind = prop.get("type")
        if kind == "array":
            inner, note = self.field_type(prop["items"], owner, field)
            return f"list[{inner}]", note
        if "enum" in prop:
            return self.enum_type(prop["enum"], owner, field)
        if kind == "string":
            if prop.get("format") in ("date-time", "date"):
                return "Horodatage", None
            return "str", None
        if kind == "integer":
            return "int", None
        if kind == "number":
            return "Nombre", None
        if kind == "boolean":
            return "bool", None
        return "dict[str, Any]", None

    def order(self) -> list[str]:
        done: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen or name in BASE or name not in self.defs:
                return
            seen.add(name)
            for dep in sorted(refs_of(self.defs[name])):
                visit(dep)
            done.append(name)

        for name in sorted(self.defs):
            visit(name)
        return done

    def docstring(self, name: str) -> str:
        if name in self.operations:
            op_id, path, text = self.operations[name]
            role = "Réponse" if name.startswith("WsRetour") else "Requête"
            first = text.strip().split("\n")[0].strip()
            head = f"{role} de ``{op_id}`` (POST ``{path}``)."
            return head + (f"\n\n{first}" if first else "")
        return f"Définition ``{name}`` du swagger {self.api.capitalize()}."

    def model(self, name: str) -> str:
        schema = self.defs[name]
        props: dict[str, Any] = schema.get("properties", {})
        answers = {n for n, op in self.operations.items() if n.startswith("WsRetour")}
        envelope = name.startswith("WsRetour") and (
            name in answers or all(f in props for f in ENVELOPE)
        )
        base = "WsRetour" if envelope else "WireModel"
        lines = [f"class {name}({base}):"]
        doc = self.docstring(name)
        wrapped = "\n\n    ".join(
            textwrap.fill(part, 92, subsequent_indent="    ") for part in doc.split("\n\n")
        )
        lines.append(f'    """{wrapped}"""')
        lines.append("")
        required = [r for r in schema.get("required", []) if r not in ENVELOPE]
        if required:
            lines.append(f"    swagger_required: ClassVar[tuple[str, ...]] = {tuple(required)!r}")
        lenient_here = name in self.in_responses
        for field, prop in props.items():
            if envelope and field in ENVELOPE:
                continue
            type_, note = self.field_type(prop, name, field)
            enum_field = type_ in self.used_enums or type_.removeprefix("list[")[:-1] in (
                self.used_enums
            )
            if (name, field) in OVERRIDES:
                annotation = OVERRIDES[(name, field)]
            elif lenient_here and enum_field:
                annotation = (
                    f"{type_} | str | None"
                    if not type_.startswith("list[")
                    else f"list[{type_[5:-1]} | str] | None"
                )
            else:
                annotation = f"{type_} | None"
            description = " ".join(
                part for part in (prop.get("description"), NOTES.get((name, field)), note) if part
            )
            args = []
            if lenient_here and enum_field and (name, field) not in OVERRIDES:
                call = "lenient"
            else:
                call = "Field"
                args.append("default=None")
            if description:
                chunks = textwrap.wrap(description, 78, drop_whitespace=False) or [description]
                if len(chunks) == 1:
                    args.append(f"description={description!r}")
                else:
                    joined = "\n".join(f"            {c!r}" for c in chunks)
                    args.append(f"description=(\n{joined}\n        )")
            value = f"{call}({', '.join(args)})" if args or call == "lenient" else "None"
            if call == "Field" and args == ["default=None"]:
                value = "None"
            line = f"    {field}: {annotation} = {value}"
            if len(line) > 100:
                line = f"    {field}: {annotation} = (\n        {value}\n    )"
                if len(value) > 90 and description:
                    line = (
                        f"    {field}: {annotation} = {call}(\n"
                        + "".join(f"        {a},\n" for a in args)
                        + "    )"
                    )
            lines.append(line)
        if len(lines) == 3:
            lines.append("    pass")
        return "\n".join(lines)

    def render(self) -> str:
        order = self.order()
        body = "\n\n\n".join(self.model(name) for name in order)
        info = self.swagger.get("info", {})
        head = [
            f'"""Wire models of the Chorus Pro {self.api.capitalize()} API, from its official '
            "swagger.",
            "",
            f"Generated by tools/gen_wire.py from shared/chorus-pro/{SWAGGERS[self.api]}",
            f"({info.get('title', '')} {info.get('version', '')}, basePath "
            f"{self.swagger['basePath']}). Do not edit: change the generator.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from typing import Annotated, Any, ClassVar, Literal",
            "",
            "from pydantic import BeforeValidator, Field",
            "",
            "from chorusflow.chorus.wire.base import (",
            "    Horodatage,",
            "    Nombre,",
            "    ParametresRetour,",
            "    TriColonne,",
            "    WireModel,",
            "    WsRetour,",
            "    lenient,",
            "    one_or_many,",
            ")",
        ]
        if self.used_enums:
            head.append("from chorusflow.chorus.wire.enums import (")
            head.extend(f"    {e}," for e in sorted(self.used_enums))
            head.append(")")
        literals = [
            f"{alias} = Literal[\n" + "".join(f"    {v!r},\n" for v in values) + "]"
            for alias, values in sorted(self.literals.items())
        ]
        all_names = sorted(order) + sorted(self.literals)
        exports = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in all_names) + "]"
        text = "\n".join(head) + "\n\n" + "\n\n".join(literals) + "\n\n\n" + body + "\n\n\n"
        text += exports + "\n"
        return text


def ruff(args: list[str], path: Path, text: str) -> str:
    """Run ruff on ``text`` as if it were ``path`` (sorted __all__, project formatting)."""
    command = [sys.executable, "-m", "ruff", *args, "--stdin-filename", str(path), "-"]
    return subprocess.run(command, input=text, capture_output=True, text=True, check=True).stdout


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for api in SWAGGERS:
        path = OUT / f"{api}.py"
        text = Generator(api).render()
        fixed = ruff(["check", "--fix-only", "--exit-zero"], path, text)
        formatted = ruff(["format"], path, fixed)
        if check:
            if path.read_text(encoding="utf-8") != formatted:
                stale.append(str(path))
        else:
            path.write_text(formatted, encoding="utf-8")
    if stale:
        print("out of date, run tools/gen_wire.py:", *stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
