"""The answers the sandbox gives when something is refused, as Chorus Pro and PISTE give them.

Functional errors are the envelope with a non-zero ``codeRetour`` and a message-key
``libelle`` (API.md §2.2, §11). Codes documented by the sources are used as they are; where
the sources give no code (duplicates, rights), the sandbox uses the code the same operation
uses for the nearest documented case, and docs/sandbox.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass


class CproError(Exception):
    """A functional refusal: HTTP status (None = the configured one), codeRetour, libelle."""

    def __init__(self, code: int, libelle: str, status: int | None = None) -> None:
        super().__init__(libelle)
        self.code = code
        self.libelle = libelle
        self.status = status


class GatewayError(Exception):
    """A refusal by the PISTE gateway (token, subscription) or the cpro-account check."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclass(frozen=True, slots=True)
class Message:
    """A documented return: code and libelle."""

    code: int
    libelle: str

    def error(self, detail: str | None = None, status: int | None = None) -> CproError:
        text = f"{self.libelle} - {detail}" if detail else self.libelle
        return CproError(self.code, text, status)


OK = Message(0, "TRA_MSG_00.000")
OK_GCU = Message(0, "GCU_MSG_01_000")
AUCUN_RESULTAT = Message(20000, "TRA_MSG_00.015 La recherche n'a retourné aucun résultat")
FLUX_INTROUVABLE = Message(20001, "POQ_MSG_01.003 - Flux introuvable.")
FICHIER_TROP_GROS = Message(20001, "GDP_MSG_11.022 Le fichier dépasse la taille autorisée")
FICHIER_ILLISIBLE = Message(20002, "GDP_MSG_11.023 Le fichier n'est pas correctement encodé")
PJ_TROP_GROSSE = Message(20003, "La pièce jointe ne doit pas dépasser 10 Mo")
DP_INEXISTANTE = Message(20000, "GDP_MSG_11.008 La demande de paiement n'existe pas.")
HABILITATION = Message(
    20001,
    "GDP_MSG_11.005 L'utilisateur n'a pas les habilitations nécessaires pour soumettre la demande.",
)
PAS_SUSPENDUE = Message(
    20002, 'GDP_MSG_11.033 Le statut de la demande de paiement n\'est pas défini à "Suspendue".'
)
PAS_A_RECYCLER = Message(
    20004, 'GDP_MSG_11.034 Le statut de la demande de paiement n\'est pas défini à "A recycler".'
)
STRUCTURE_INTROUVABLE = Message(20001, "GCU_MSG_01_003 La structure n'existe pas.")
SERVICE_INTROUVABLE = Message(20002, "GCU_MSG_01_004 Le service n'existe pas.")
DOUBLON = Message(
    20013, "GDP_MSG_11.040 Une facture portant ce numéro existe déjà pour ce fournisseur."
)
DONNEE_INVALIDE = Message(20303, "GDP_MSG_11.041 Donnée invalide")
DESTINATAIRE = Message(20304, "GDP_MSG_11.042 Destinataire invalide")
STATUT_IMPOSSIBLE = Message(
    20010, "GDP_MSG_11.050 Le changement de statut demandé n'est pas autorisé."
)
MOTIF_OBLIGATOIRE = Message(20011, "GDP_MSG_11.051 Le motif est obligatoire.")
NON_DISPONIBLE = Message(
    20100, "TRA_MSG_00.100 Service exposé ne fonctionnant pas sur l'espace de qualification"
)

# HTTP-level answers, with the swagger's own texts (API.md §1.4)
REQUETE_MAL_FORMULEE = "Requête mal formulée"
FORMAT_NON_SUPPORTE = "Format de la requête non supporté"
API_NON_TROUVEE = "API non trouvée"
ERREUR_INTERNE = "Erreur interne du serveur"
TROP_GROS = "Requête trop volumineuse"
