"""The referentials of the Transverses API, as the sandbox serves them.

Values come from API.md where the sources give them (currencies, countries, payment modes,
cadres, flow formats, identifier types, the examples ``TVA1`` and ``TVA5``); the sources did not
show the full VAT-rate and exemption-motive tables, so those are the sandbox's own, built on
the French rates and the articles of the CGI (docs/sandbox.md says so).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from chorusflow.chorus.wire.enums import (
    CadreFacturation,
    FormatFlux,
    ModeDepot,
    ModePaiement,
    SyntaxeFlux,
    TypeDemandePaiement,
    TypeFactureTravaux,
    TypeIdentifiant,
)

DEVISES: Final = (
    ("EUR", "Euro européen", "European Euro"),
    ("USD", "Dollar américain", "US Dollar"),
    ("GBP", "Livre sterling", "Pound Sterling"),
    ("CHF", "Franc suisse", "Swiss Franc"),
    ("XPF", "Franc CFP", "CFP Franc"),
    ("JPY", "Yen", "Yen"),
    ("CAD", "Dollar canadien", "Canadian Dollar"),
)

PAYS: Final = (
    ("AD", "Andorre", "Andorra"),
    ("BE", "Belgique", "Belgium"),
    ("CH", "Suisse", "Switzerland"),
    ("DE", "Allemagne", "Germany"),
    ("ES", "Espagne", "Spain"),
    ("FR", "France", "France"),
    ("GB", "Royaume-Uni", "United Kingdom"),
    ("IT", "Italie", "Italy"),
    ("LU", "Luxembourg", "Luxembourg"),
    ("MC", "Monaco", "Monaco"),
    ("NC", "Nouvelle-Calédonie", "New Caledonia"),
    ("PF", "Polynésie française", "French Polynesia"),
    ("US", "États-Unis", "United States"),
)

#: (code, libellé, taux); TVA1 and TVA5 as in the sources, the others the sandbox's own.
TAUX_TVA: Final = (
    ("TVA1", "Art 293B(FranchiseEnBase)", Decimal("0")),
    ("TVA2", "Taux particulier 2,1 %", Decimal("2.1")),
    ("TVA3", "Taux réduit 5,5 %", Decimal("5.5")),
    ("TVA4", "Taux intermédiaire 10 %", Decimal("10")),
    ("TVA5", "Taux normal 20 %", Decimal("20")),
    ("TVA6", "Taux DOM 8,5 %", Decimal("8.5")),
    ("TVA7", "Taux Corse 13 %", Decimal("13")),
    ("TVA8", "Exonération", Decimal("0")),
)

MOTIFS_EXONERATION: Final = (
    ("ART_261", "Exonération, article 261 du CGI"),
    ("ART_262", "Exonération, article 262 du CGI (exportations)"),
    ("ART_262_TER", "Exonération, article 262 ter I du CGI (livraisons intracommunautaires)"),
    ("ART_283", "Autoliquidation, article 283 du CGI"),
    ("ART_293B", "TVA non applicable, article 293 B du CGI"),
)

#: (id, code, libellé, typeObjet)
TYPES_PIECE_JOINTE: Final = (
    (1, "FACTURE", "Facture", "FACTURE"),
    (2, "BON_COMMANDE", "Bon de commande", "FACTURE"),
    (3, "BON_LIVRAISON", "Bon de livraison", "FACTURE"),
    (4, "PV_RECEPTION", "Procès-verbal de réception", "FACTURE"),
    (5, "AUTRE", "Autre pièce justificative", "FACTURE"),
    (6, "AAR", "Attestation d'aide juridictionnelle", "MEMOIRE"),
    (7, "ACE", "Acte d'exécution", "MEMOIRE"),
    (8, "ASF", "Attestation de service fait", "DMD_RBST"),
    (9, "RIB", "Relevé d'identité bancaire", "CB"),
    (10, "KBIS", "Extrait Kbis", "STRUCTURE"),
)

MODES_PAIEMENT: Final = tuple(m.value for m in ModePaiement)
TYPES_IDENTIFIANT: Final = tuple(t.value for t in TypeIdentifiant)
MODES_DEPOT: Final = tuple(m.value for m in ModeDepot)
FORMATS_FLUX: Final = tuple(f.value for f in FormatFlux)
TYPES_DEMANDE_PAIEMENT: Final = tuple(t.value for t in TypeDemandePaiement)
TYPES_FACTURE_TRAVAUX: Final = tuple(t.value for t in TypeFactureTravaux)

#: Syntaxes of each flow format (recupererSyntaxeFlux).
SYNTAXES_PAR_FORMAT: Final[dict[str, tuple[str, ...]]] = {
    FormatFlux.IN_DP_E1_STRUCT: (
        SyntaxeFlux.IN_DP_E1_UBL_INVOICE,
        SyntaxeFlux.IN_DP_E1_CII,
        SyntaxeFlux.IN_DP_E1_CII_16B,
        SyntaxeFlux.IN_DP_E1_PES_FACTURE,
        SyntaxeFlux.IN_DP_E1_XCBL,
    ),
    FormatFlux.IN_DP_E2_MIXTE: (
        SyntaxeFlux.IN_DP_E2_UBL_INVOICE_MIN,
        SyntaxeFlux.IN_DP_E2_CII_MIN,
        SyntaxeFlux.IN_DP_E2_CII_MIN_16B,
        SyntaxeFlux.IN_DP_E2_PES_FACTURE_MIN,
        SyntaxeFlux.IN_DP_E2_CPP_FACTURE_MIN,
        SyntaxeFlux.IN_DP_E2_CII_FACTURX,
    ),
    FormatFlux.IN_DP_E2_FACTURX: (SyntaxeFlux.IN_DP_E2_CII_FACTURX,),
}

_CADRES_TRAVAUX: Final = {f"A{n}" for n in (*range(4, 9), 10, 11, *range(13, 21), *range(22, 26))}

#: Cadres per kind of payment request (recupererCadreFacturation).
CADRES_PAR_TYPE: Final[dict[str, tuple[str, ...]]] = {
    TypeDemandePaiement.FACTURE: (
        CadreFacturation.A1_FACTURE_FOURNISSEUR,
        CadreFacturation.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE,
        CadreFacturation.A9_FACTURE_SOUSTRAITANT,
        CadreFacturation.A12_FACTURE_COTRAITANT,
    ),
    TypeDemandePaiement.FACTURE_TRAVAUX: tuple(
        c.value for c in CadreFacturation if c.value.split("_")[0] in _CADRES_TRAVAUX
    ),
    TypeDemandePaiement.MEMOIRE_JUSTICE: (CadreFacturation.A3_MEMOIRE_JUSTICE,),
    TypeDemandePaiement.DEMANDE_REMBOURSEMENT: (CadreFacturation.A21_DEMANDE_REMBOURSEMENT_TIC,),
}

#: Interface code written in flow reports per syntax (API.md §9.3).
CODES_INTERFACE: Final[dict[str, str]] = {
    SyntaxeFlux.IN_DP_E1_UBL_INVOICE: "FSO1100A",
    SyntaxeFlux.IN_DP_E1_CII_16B: "FSO1106A",
    SyntaxeFlux.IN_DP_E2_CII_FACTURX: "FSO1117A",
}
CODE_INTERFACE_AUTRE: Final = "FSO1199A"
