"""The EN 16931 rules said in French, for the accountant who has to fix the invoice.

Written here, not translated word for word: each sentence names the business term (BT-n) so
that it can be found on any EN 16931 documentation, and says what must be true. The nine
VAT-category families share their wording, so it is written once from
:mod:`~chorusflow.rules.en16931.categories`.
"""

from __future__ import annotations

from typing import Final

from chorusflow.rules.en16931.categories import CATEGORIES, Category, RateRule, SellerIds

_CORE: Final[dict[str, str]] = {
    "BR-01": "La facture doit avoir un identifiant de spécification (BT-24), par exemple "
    "urn:cen.eu:en16931:2017.",
    "BR-02": "La facture doit avoir un numéro de facture (BT-1).",
    "BR-03": "La facture doit avoir une date d'émission (BT-2).",
    "BR-04": "La facture doit avoir un code de type de facture (BT-3), par exemple 380 "
    "pour une facture ou 381 pour un avoir.",
    "BR-05": "La facture doit avoir un code de devise (BT-5), par exemple EUR.",
    "BR-06": "La facture doit indiquer la raison sociale du vendeur (BT-27).",
    "BR-07": "La facture doit indiquer la raison sociale de l'acheteur (BT-44).",
    "BR-08": "La facture doit indiquer l'adresse postale du vendeur (BG-5).",
    "BR-09": "L'adresse postale du vendeur (BG-5) doit comporter un code pays (BT-40).",
    "BR-10": "La facture doit indiquer l'adresse postale de l'acheteur (BG-8).",
    "BR-11": "L'adresse postale de l'acheteur (BG-8) doit comporter un code pays (BT-55).",
    "BR-12": "La facture doit indiquer la somme des montants nets des lignes (BT-106).",
    "BR-13": "La facture doit indiquer le montant total hors TVA (BT-109).",
    "BR-14": "La facture doit indiquer le montant total TVA comprise (BT-112).",
    "BR-15": "La facture doit indiquer le montant net à payer (BT-115).",
    "BR-16": "La facture doit avoir au moins une ligne (BG-25).",
    "BR-17": "Quand le bénéficiaire du paiement (BG-10) n'est pas le vendeur, son nom (BT-59) "
    "doit être indiqué.",
    "BR-18": "Quand le vendeur a un représentant fiscal (BG-11), le nom de ce représentant "
    "(BT-62) doit être indiqué.",
    "BR-19": "Quand le vendeur a un représentant fiscal (BG-11), l'adresse postale de ce "
    "représentant (BG-12) doit être indiquée.",
    "BR-20": "L'adresse postale du représentant fiscal (BG-12) doit comporter un code pays "
    "(BT-69).",
    "BR-21": "Chaque ligne de facture (BG-25) doit avoir un identifiant de ligne (BT-126).",
    "BR-22": "Chaque ligne de facture (BG-25) doit avoir une quantité facturée (BT-129).",
    "BR-23": "Chaque ligne de facture (BG-25) doit avoir une unité de mesure (BT-130), par "
    "exemple C62 (unité) ou HUR (heure).",
    "BR-24": "Chaque ligne de facture (BG-25) doit avoir un montant net (BT-131).",
    "BR-25": "Chaque ligne de facture (BG-25) doit indiquer le nom de l'article (BT-153).",
    "BR-26": "Chaque ligne de facture (BG-25) doit indiquer le prix unitaire net (BT-146).",
    "BR-27": "Le prix unitaire net (BT-146) ne doit pas être négatif.",
    "BR-28": "Le prix unitaire brut (BT-148) ne doit pas être négatif.",
    "BR-29": "La date de fin de la période de facturation (BT-74) doit être égale ou "
    "postérieure à sa date de début (BT-73).",
    "BR-30": "La date de fin de la période d'une ligne (BT-135) doit être égale ou "
    "postérieure à sa date de début (BT-134).",
    "BR-31": "Chaque remise au niveau du document (BG-20) doit avoir un montant (BT-92).",
    "BR-32": "Chaque remise au niveau du document (BG-20) doit avoir un code de catégorie "
    "de TVA (BT-95).",
    "BR-33": "Chaque remise au niveau du document (BG-20) doit avoir un motif (BT-97) ou un "
    "code motif (BT-98).",
    "BR-36": "Chaque frais au niveau du document (BG-21) doit avoir un montant (BT-99).",
    "BR-37": "Chaque frais au niveau du document (BG-21) doit avoir un code de catégorie de "
    "TVA (BT-102).",
    "BR-38": "Chaque frais au niveau du document (BG-21) doit avoir un motif (BT-104) ou un "
    "code motif (BT-105).",
    "BR-41": "Chaque remise de ligne (BG-27) doit avoir un montant (BT-136).",
    "BR-42": "Chaque remise de ligne (BG-27) doit avoir un motif (BT-139) ou un code motif "
    "(BT-140).",
    "BR-43": "Chaque frais de ligne (BG-28) doit avoir un montant (BT-141).",
    "BR-44": "Chaque frais de ligne (BG-28) doit avoir un motif (BT-144) ou un code motif "
    "(BT-145).",
    "BR-45": "Chaque ventilation de TVA (BG-23) doit avoir une base imposable (BT-116).",
    "BR-46": "Chaque ventilation de TVA (BG-23) doit avoir un montant de TVA (BT-117).",
    "BR-47": "Chaque ventilation de TVA (BG-23) doit avoir un code de catégorie de TVA (BT-118).",
    "BR-48": "Chaque ventilation de TVA (BG-23) doit avoir un taux (BT-119), sauf pour une "
    "opération hors du champ de la TVA (catégorie O).",
    "BR-49": "Les instructions de paiement (BG-16) doivent indiquer un code de moyen de "
    "paiement (BT-81), par exemple 30 (virement) ou 58 (virement SEPA).",
    "BR-50": "Pour un paiement par virement, le compte à créditer (BT-84, l'IBAN) doit être "
    "indiqué.",
    "BR-51": "Pour la sécurité des paiements par carte, la facture ne doit jamais porter le "
    "numéro complet de la carte (BT-87) : au plus les 6 premiers et les 4 derniers chiffres.",
    "BR-52": "Chaque pièce justificative (BG-24) doit avoir une référence (BT-122).",
    "BR-53": "Quand une devise de comptabilisation de la TVA (BT-6) est indiquée, le montant "
    "total de TVA dans cette devise (BT-111) doit l'être aussi.",
    "BR-54": "Chaque attribut d'article (BG-32) doit avoir un nom (BT-160) et une valeur (BT-161).",
    "BR-55": "Chaque référence à une facture antérieure (BG-3) doit indiquer le numéro de "
    "cette facture (BT-25).",
    "BR-56": "Le représentant fiscal du vendeur (BG-11) doit avoir un numéro de TVA (BT-63).",
    "BR-57": "L'adresse de livraison (BG-15) doit comporter un code pays (BT-80).",
    "BR-61": "Pour un paiement par virement (code 30 ou 58), le compte à créditer (BT-84, "
    "l'IBAN) doit être indiqué.",
    "BR-62": "L'adresse électronique du vendeur (BT-34) doit avoir un identifiant de schéma, "
    "par exemple 0009 pour un SIRET.",
    "BR-63": "L'adresse électronique de l'acheteur (BT-49) doit avoir un identifiant de "
    "schéma, par exemple 0009 pour un SIRET.",
    "BR-64": "L'identifiant standard de l'article (BT-157) doit avoir un identifiant de "
    "schéma, par exemple 0160 pour un GTIN.",
    "BR-65": "Le code de classification de l'article (BT-158) doit avoir un identifiant de schéma.",
}

_CALCULATIONS: Final[dict[str, str]] = {
    "BR-CO-03": "La date d'exigibilité de la TVA (BT-7) et son code (BT-8) s'excluent : "
    "n'en indiquer qu'un.",
    "BR-CO-04": "Chaque ligne de facture (BG-25) doit avoir un code de catégorie de TVA (BT-151).",
    "BR-CO-05": "Le code motif (BT-98) et le motif (BT-97) d'une remise de document doivent "
    "désigner la même remise.",
    "BR-CO-06": "Le code motif (BT-105) et le motif (BT-104) de frais de document doivent "
    "désigner les mêmes frais.",
    "BR-CO-07": "Le code motif (BT-140) et le motif (BT-139) d'une remise de ligne doivent "
    "désigner la même remise.",
    "BR-CO-08": "Le code motif (BT-145) et le motif (BT-144) de frais de ligne doivent "
    "désigner les mêmes frais.",
    "BR-CO-09": "Les numéros de TVA du vendeur (BT-31), de son représentant fiscal (BT-63) "
    "et de l'acheteur (BT-48) doivent commencer par le code pays ISO 3166-1 du pays qui les "
    "a attribués (FR pour la France ; EL est admis pour la Grèce).",
    "BR-CO-10": "La somme des montants nets des lignes (BT-106) doit être égale au total des "
    "montants nets des lignes (BT-131).",
    "BR-CO-11": "Le total des remises de document (BT-107) doit être égal à la somme des "
    "remises de document (BT-92).",
    "BR-CO-12": "Le total des frais de document (BT-108) doit être égal à la somme des frais "
    "de document (BT-99).",
    "BR-CO-13": "Le total hors TVA (BT-109) doit être égal à la somme des montants nets des "
    "lignes (BT-106), moins les remises (BT-107), plus les frais de document (BT-108).",
    "BR-CO-14": "Le montant total de TVA (BT-110) doit être égal à la somme des montants de "
    "TVA de la ventilation (BT-117).",
    "BR-CO-15": "Le total TVA comprise (BT-112) doit être égal au total hors TVA (BT-109) "
    "plus le montant total de TVA (BT-110).",
    "BR-CO-16": "Le net à payer (BT-115) doit être égal au total TVA comprise (BT-112), moins "
    "les acomptes déjà versés (BT-113), plus l'arrondi (BT-114).",
    "BR-CO-17": "Le montant de TVA d'une ventilation (BT-117) doit être égal à la base "
    "imposable (BT-116) multipliée par le taux (BT-119) / 100, arrondi à deux décimales.",
    "BR-CO-18": "La facture doit avoir au moins une ventilation de TVA (BG-23).",
    "BR-CO-19": "Si une période de facturation (BG-14) est donnée, elle doit avoir une date "
    "de début (BT-73), une date de fin (BT-74), ou les deux.",
    "BR-CO-20": "Si une période est donnée sur une ligne (BG-26), elle doit avoir une date de "
    "début (BT-134), une date de fin (BT-135), ou les deux.",
    "BR-CO-21": "Chaque remise de document (BG-20) doit avoir un motif (BT-97), un code motif "
    "(BT-98), ou les deux.",
    "BR-CO-22": "Chaque frais de document (BG-21) doit avoir un motif (BT-104), un code motif "
    "(BT-105), ou les deux.",
    "BR-CO-23": "Chaque remise de ligne (BG-27) doit avoir un motif (BT-139), un code motif "
    "(BT-140), ou les deux.",
    "BR-CO-24": "Chaque frais de ligne (BG-28) doit avoir un motif (BT-144), un code motif "
    "(BT-145), ou les deux.",
    "BR-CO-26": "Pour que l'acheteur identifie le fournisseur, la facture doit indiquer "
    "l'identifiant du vendeur (BT-29), son identifiant légal (BT-30, SIRET ou SIREN) ou son "
    "numéro de TVA (BT-31).",
}


def _decimals(term: str) -> str:
    return f"{term} s'exprime avec au plus deux décimales."


_DECIMALS: Final[dict[str, str]] = {
    "BR-DEC-01": _decimals("Le montant d'une remise de document (BT-92)"),
    "BR-DEC-02": _decimals("Le montant de base d'une remise de document (BT-93)"),
    "BR-DEC-05": _decimals("Le montant de frais de document (BT-99)"),
    "BR-DEC-06": _decimals("Le montant de base de frais de document (BT-100)"),
    "BR-DEC-09": _decimals("La somme des montants nets des lignes (BT-106)"),
    "BR-DEC-10": _decimals("Le total des remises de document (BT-107)"),
    "BR-DEC-11": _decimals("Le total des frais de document (BT-108)"),
    "BR-DEC-12": _decimals("Le total hors TVA (BT-109)"),
    "BR-DEC-13": _decimals("Le montant total de TVA (BT-110)"),
    "BR-DEC-14": _decimals("Le total TVA comprise (BT-112)"),
    "BR-DEC-15": _decimals("Le montant total de TVA en devise de comptabilisation (BT-111)"),
    "BR-DEC-16": _decimals("Le montant déjà payé (BT-113)"),
    "BR-DEC-17": _decimals("L'arrondi (BT-114)"),
    "BR-DEC-18": _decimals("Le net à payer (BT-115)"),
    "BR-DEC-19": _decimals("La base imposable d'une ventilation de TVA (BT-116)"),
    "BR-DEC-20": _decimals("Le montant de TVA d'une ventilation (BT-117)"),
    "BR-DEC-23": _decimals("Le montant net d'une ligne (BT-131)"),
    "BR-DEC-24": _decimals("Le montant d'une remise de ligne (BT-136)"),
    "BR-DEC-25": _decimals("Le montant de base d'une remise de ligne (BT-137)"),
    "BR-DEC-27": _decimals("Le montant de frais de ligne (BT-141)"),
    "BR-DEC-28": _decimals("Le montant de base de frais de ligne (BT-142)"),
}


def _code(what: str, code_list: str) -> str:
    return f"{what} doit appartenir à la liste de codes {code_list}."


_CODE_LISTS: Final[dict[str, str]] = {
    "BR-CL-01": _code("Le code de type de document (BT-3)", "UNTDID 1001 (factures et avoirs)"),
    "BR-CL-03": _code("La devise de chaque montant (currencyID)", "ISO 4217"),
    "BR-CL-04": _code("La devise de la facture (BT-5)", "ISO 4217"),
    "BR-CL-05": _code("La devise de comptabilisation de la TVA (BT-6)", "ISO 4217"),
    "BR-CL-06": _code("Le code de date d'exigibilité de la TVA (BT-8)", "UNTDID 2005 (3, 35, 432)"),
    "BR-CL-07": _code("Le schéma de l'identifiant d'objet facturé (BT-18, BT-128)", "UNTDID 1153"),
    "BR-CL-08": _code("Le code sujet d'une note (BT-21)", "UNTDID 4451"),
    "BR-CL-10": _code("Le schéma d'un identifiant de partie (BT-29, BT-46, BT-60)", "ISO 6523 ICD"),
    "BR-CL-11": _code("Le schéma d'un identifiant légal (BT-30, BT-47, BT-61)", "ISO 6523 ICD"),
    "BR-CL-13": _code("Le schéma de classification d'un article (BT-158)", "UNTDID 7143"),
    "BR-CL-14": _code("Chaque code pays d'adresse", "ISO 3166-1 alpha-2"),
    "BR-CL-15": _code("Le pays d'origine d'un article (BT-159)", "ISO 3166-1 alpha-2"),
    "BR-CL-16": _code("Le code de moyen de paiement (BT-81)", "UNTDID 4461"),
    "BR-CL-17": _code("Le code de catégorie de TVA (BT-95, BT-102, BT-118)", "UNTDID 5305"),
    "BR-CL-18": _code("Le code de catégorie de TVA d'une ligne (BT-151)", "UNTDID 5305"),
    "BR-CL-19": _code("Le code motif d'une remise (BT-98, BT-140)", "UNTDID 5189"),
    "BR-CL-20": _code("Le code motif de frais (BT-105, BT-145)", "UNTDID 7161"),
    "BR-CL-21": _code("Le schéma de l'identifiant standard d'article (BT-157)", "ISO 6523 ICD"),
    "BR-CL-22": _code("Le code de motif d'exonération de TVA (BT-121)", "VATEX"),
    "BR-CL-23": _code("L'unité de mesure (BT-130, BT-150)", "UN/ECE Rec. 20 et 21"),
    "BR-CL-24": _code(
        "Le type MIME d'une pièce jointe (BT-125)",
        "des types admis (PDF, PNG, JPEG, CSV, XLSX, ODS)",
    ),
    "BR-CL-25": _code("Le schéma d'une adresse électronique (BT-34, BT-49)", "CEF EAS"),
    "BR-CL-26": _code("Le schéma de l'identifiant du lieu de livraison (BT-71)", "ISO 6523 ICD"),
}

_SPECIFIC: Final[dict[str, str]] = {
    "BR-IC-11": "Une facture avec une ventilation en livraison intracommunautaire (K) doit "
    "indiquer la date de livraison effective (BT-72) ou la période de facturation (BG-14).",
    "BR-IC-12": "Une facture avec une ventilation en livraison intracommunautaire (K) doit "
    "indiquer le code pays de l'adresse de livraison (BT-80).",
    "BR-O-11": "Une facture avec une ventilation hors du champ de la TVA (O) ne doit avoir "
    "aucune autre ventilation de TVA (BG-23).",
    "BR-O-12": "Une facture avec une ventilation hors du champ de la TVA (O) ne doit avoir que "
    "des lignes en catégorie O (BT-151).",
    "BR-O-13": "Une facture avec une ventilation hors du champ de la TVA (O) ne doit avoir que "
    "des remises de document en catégorie O (BT-95).",
    "BR-O-14": "Une facture avec une ventilation hors du champ de la TVA (O) ne doit avoir que "
    "des frais de document en catégorie O (BT-102).",
    "BR-B-01": "Une facture en autoliquidation fractionnée italienne (split payment, "
    "catégorie B) doit être une facture domestique italienne.",
    "BR-B-02": "Une facture qui utilise la catégorie B (split payment) ne doit pas utiliser "
    "aussi la catégorie S (taux normal).",
}

_HOLDERS: Final[dict[int, str]] = {
    2: "une ligne (BG-25)",
    3: "une remise de document (BG-20)",
    4: "des frais de document (BG-21)",
}
_RATE_HOLDERS: Final[dict[int, str]] = {
    5: "Sur une ligne (BG-25) en catégorie de TVA « {name} », le taux (BT-152)",
    6: "Sur une remise de document (BG-20) en catégorie de TVA « {name} », le taux (BT-96)",
    7: "Sur des frais de document (BG-21) en catégorie de TVA « {name} », le taux (BT-103)",
}
_RATE_DEMANDS: Final[dict[RateRule, str]] = {
    RateRule.POSITIVE: "doit être supérieur à zéro.",
    RateRule.ZERO: "doit être 0.",
    RateRule.NOT_NEGATIVE: "doit être positif ou nul.",
    RateRule.ABSENT: "ne doit pas être indiqué.",
}
_ID_DEMANDS: Final[dict[SellerIds, str]] = {
    SellerIds.ANY_TAX_ID: "doit indiquer le numéro de TVA du vendeur (BT-31), son "
    "identifiant fiscal (BT-32) ou le numéro de TVA de son représentant fiscal (BT-63).",
    SellerIds.VAT_ID: "doit indiquer le numéro de TVA du vendeur (BT-31) ou celui de son "
    "représentant fiscal (BT-63).",
    SellerIds.ANY_TAX_ID_AND_BUYER: "doit indiquer le numéro de TVA du vendeur (BT-31), son "
    "identifiant fiscal (BT-32) ou le numéro de TVA de son représentant fiscal (BT-63), et le "
    "numéro de TVA (BT-48) ou l'identifiant légal (BT-47) de l'acheteur.",
    SellerIds.VAT_ID_AND_BUYER_VAT: "doit indiquer le numéro de TVA du vendeur (BT-31) ou "
    "celui de son représentant fiscal (BT-63), et le numéro de TVA de l'acheteur (BT-48).",
    SellerIds.NO_VAT_ID: "ne doit indiquer ni le numéro de TVA du vendeur (BT-31), ni celui "
    "de son représentant fiscal (BT-63), ni celui de l'acheteur (BT-48).",
}


def _family(category: Category) -> dict[str, str]:
    """The ten rules of one VAT-category family, in French."""
    name = category.name_fr
    how_many = "exactement une" if category.single_breakdown else "au moins une"
    texts = {
        category.rule(1): "Une facture qui a une ligne, une remise ou des frais de document "
        f"en catégorie de TVA « {name} » doit avoir {how_many} ventilation de TVA (BG-23) "
        "dans cette catégorie.",
    }
    for number, holder in _HOLDERS.items():
        texts[category.rule(number)] = (
            f"Une facture qui a {holder} en catégorie de TVA « {name} » "
            + _ID_DEMANDS[category.ids]
        )
    for number, holder in _RATE_HOLDERS.items():
        texts[category.rule(number)] = f"{holder.format(name=name)} {_RATE_DEMANDS[category.rate]}"
    scope = "pour chaque taux, " if category.per_rate else ""
    texts[category.rule(8)] = (
        f"Dans une ventilation de TVA en catégorie « {name} », {scope}la base imposable "
        "(BT-116) doit être égale à la somme des montants nets des lignes (BT-131), plus les "
        "frais (BT-99) et moins les remises de document (BT-92) de cette catégorie"
        + (" et de ce taux." if category.per_rate else ".")
    )
    texts[category.rule(9)] = (
        f"Dans une ventilation de TVA en catégorie « {name} », le montant de TVA (BT-117) "
        + (
            "doit être égal à la base imposable (BT-116) multipliée par le taux (BT-119)."
            if category.per_rate
            else "doit être 0."
        )
    )
    texts[category.rule(10)] = f"Une ventilation de TVA en catégorie « {name} » " + (
        "doit indiquer le motif d'exonération, en code (BT-121) ou en texte (BT-120)."
        if category.exempt
        else "ne doit indiquer aucun motif d'exonération (BT-120, BT-121)."
    )
    return texts


def french_messages() -> dict[str, str]:
    """Every rule id with its French message."""
    messages = {**_CORE, **_CALCULATIONS, **_DECIMALS, **_CODE_LISTS, **_SPECIFIC}
    for category in CATEGORIES:
        messages.update(_family(category))
    return messages
