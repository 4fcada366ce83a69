"""What the rendered invoice says, in French and English ("Facture / Invoice").

French first: the invoice is addressed to French public buyers and the mentions are those the
French Code général des impôts (art. 242 nonies A, annexe II) and Code de commerce
(art. L441-9) require; English second, for foreign sellers and readers.
"""

from __future__ import annotations

from typing import Final

from chorusflow.model.codes import CREDIT_NOTE_TYPES


def both(french: str, english: str) -> str:
    """A bilingual label."""
    return french if french == english else f"{french} / {english}"


#: UNTDID 1001 document types as titles.
DOCUMENT_TITLES: Final = {
    "380": both("Facture", "Invoice"),
    "381": both("Avoir", "Credit note"),
    "384": both("Facture rectificative", "Corrected invoice"),
    "386": both("Facture d'acompte", "Prepayment invoice"),
    "389": both("Autofacture", "Self-billed invoice"),
    "261": both("Avoir autofacturé", "Self-billed credit note"),
    "326": both("Facture partielle", "Partial invoice"),
    "393": both("Facture affacturée", "Factored invoice"),
    "396": both("Avoir affacturé", "Factored credit note"),
    "751": both("Facture (information comptable)", "Invoice (accounting information)"),
}


def document_title(type_code: str | None) -> str:
    """The title for a BT-3 code; an unknown credit-note code is still an « Avoir »."""
    if type_code in DOCUMENT_TITLES:
        return DOCUMENT_TITLES[type_code]
    if type_code in CREDIT_NOTE_TYPES:
        return DOCUMENT_TITLES["381"]
    return DOCUMENT_TITLES["380"]


#: UN/ECE Recommendation 20 units as people read them; other codes are shown as the code.
UNITS: Final = {
    "C62": "unité",
    "EA": "unité",
    "H87": "pièce",
    "XPP": "pièce",
    "SET": "lot",
    "LS": "forfait",
    "E48": "service",
    "HUR": "heure",
    "MIN": "minute",
    "DAY": "jour",
    "WEE": "semaine",
    "MON": "mois",
    "ANN": "an",
    "KGM": "kg",
    "GRM": "g",
    "TNE": "t",
    "MTR": "m",
    "KMT": "km",
    "CMT": "cm",
    "MMT": "mm",
    "MTK": "m²",
    "MTQ": "m³",
    "LTR": "l",
    "KWH": "kWh",
    "MWH": "MWh",
    "KWT": "kW",
    "P1": "%",
}

#: UNTDID 4461 payment means.
PAYMENT_MEANS: Final = {
    "1": both("Non défini", "Not defined"),
    "10": both("Espèces", "Cash"),
    "20": both("Chèque", "Cheque"),
    "30": both("Virement", "Credit transfer"),
    "31": both("Virement", "Debit transfer"),
    "42": both("Paiement sur compte bancaire", "Payment to bank account"),
    "48": both("Carte bancaire", "Bank card"),
    "49": both("Prélèvement", "Direct debit"),
    "57": both("Accord de paiement permanent", "Standing agreement"),
    "58": both("Virement SEPA", "SEPA credit transfer"),
    "59": both("Prélèvement SEPA", "SEPA direct debit"),
    "97": both("Compensation", "Clearing between partners"),
}

#: UNTDID 5305 VAT categories.
VAT_CATEGORIES: Final = {
    "S": both("Taux normal", "Standard rate"),
    "Z": both("Taux zéro", "Zero rated"),
    "E": both("Exonéré", "Exempt"),
    "AE": both("Autoliquidation", "Reverse charge"),
    "K": both("Livraison intracommunautaire", "Intra-community supply"),
    "G": both("Exportation hors UE", "Export outside the EU"),
    "O": both("Hors champ de la TVA", "Outside the scope of VAT"),
    "L": "IGIC (Canarias)",
    "M": "IPSI (Ceuta, Melilla)",
}

#: UNTDID 4451 note subjects that carry French legal mentions (BR-FR: PMT, PMD, AAB).
NOTE_SUBJECTS: Final = {
    "PMT": both("Indemnité forfaitaire pour frais de recouvrement", "Fixed recovery fee"),
    "PMD": both("Pénalités de retard", "Late payment penalties"),
    "AAB": both("Escompte", "Early payment discount"),
    "AAI": both("Information", "General information"),
    "REG": both("Informations réglementaires", "Regulatory information"),
    "ABL": both("Informations légales", "Legal information"),
    "TXD": both("Information fiscale", "Tax information"),
    "SUR": both("Remarques du vendeur", "Seller's remarks"),
    "CUS": both("Douane", "Customs"),
}

FRAMEWORK: Final = both("Cadre de facturation", "Invoicing framework")
SERVICE_CODE: Final = both("Code service", "Service code")
ENGAGEMENT: Final = both("N° d'engagement", "Purchase order")
CONTRACT: Final = both("Marché", "Contract")
PROJECT: Final = both("Projet", "Project")
SALES_ORDER: Final = both("Commande vendeur", "Sales order")
TENDER: Final = both("Lot", "Lot")
BUYER_ACCOUNTING: Final = both("Imputation acheteur", "Buyer accounting reference")
RECEIVING_ADVICE: Final = both("Avis de réception", "Receiving advice")
DESPATCH_ADVICE: Final = both("Avis d'expédition", "Despatch advice")
CORRECTS: Final = both("Facture d'origine", "Corrected invoice")

NUMBER: Final = both("Numéro", "Number")
ISSUE_DATE: Final = both("Date d'émission", "Issue date")
DELIVERY_DATE: Final = both("Date de livraison", "Delivery date")
DUE_DATE: Final = both("Date d'échéance", "Due date")
TAX_POINT_DATE: Final = both("Date d'exigibilité de la TVA", "VAT point date")
PERIOD: Final = both("Période", "Period")
CURRENCY: Final = both("Devise", "Currency")

SELLER: Final = both("Vendeur", "Seller")
BUYER: Final = both("Acheteur", "Buyer")
PAYEE: Final = both("Bénéficiaire du paiement", "Payee")
TAX_REPRESENTATIVE: Final = both("Représentant fiscal", "Tax representative")
DELIVER_TO: Final = both("Livraison", "Deliver to")
SIRET: Final = "SIRET"
SIREN: Final = "SIREN"
VAT_ID: Final = both("TVA intracommunautaire", "VAT ID")
TAX_REGISTRATION: Final = both("N° fiscal", "Tax registration")
CONTACT: Final = "Contact"

LINE: Final = both("N°", "No.")
DESCRIPTION: Final = both("Désignation", "Description")
QUANTITY: Final = both("Qté", "Qty")
UNIT: Final = both("Unité", "Unit")
UNIT_PRICE: Final = both("PU HT", "Unit price")
DISCOUNT: Final = both("Remise", "Discount")
VAT_RATE: Final = both("TVA", "VAT")
NET_AMOUNT: Final = both("Montant HT", "Net amount")
REFERENCE: Final = both("Réf.", "Ref.")
GROSS_PRICE: Final = both("Prix brut", "Gross price")
ALLOWANCE: Final = both("Remise", "Allowance")
CHARGE: Final = both("Frais", "Charge")

VAT_BREAKDOWN: Final = both("Détail de la TVA", "VAT breakdown")
VAT_CATEGORY: Final = both("Catégorie", "Category")
TAXABLE: Final = both("Base HT", "Taxable amount")
VAT_AMOUNT: Final = both("Montant TVA", "VAT amount")
EXEMPTION: Final = both("Exonération de TVA", "VAT exemption")
REVERSE_CHARGE: Final = "Autoliquidation"

LINES_TOTAL: Final = both("Total des lignes HT", "Sum of line net amounts")
ALLOWANCES_TOTAL: Final = both("Remises", "Allowances")
CHARGES_TOTAL: Final = both("Frais", "Charges")
TOTAL_NET: Final = both("Total HT", "Total without VAT")
TOTAL_VAT: Final = both("Total TVA", "Total VAT")
TOTAL_GROSS: Final = both("Total TTC", "Total with VAT")
PREPAID: Final = both("Acompte versé", "Paid amount")
ROUNDING: Final = both("Arrondi", "Rounding")
PAYABLE: Final = both("Net à payer", "Amount due")

PAYMENT: Final = both("Paiement", "Payment")
PAYMENT_TERMS: Final = both("Conditions de paiement", "Payment terms")
PAYMENT_MEANS_LABEL: Final = both("Moyen de paiement", "Payment means")
IBAN: Final = "IBAN"
BIC: Final = "BIC"
ACCOUNT_NAME: Final = both("Titulaire", "Account name")
REMITTANCE: Final = both("Référence à rappeler", "Remittance information")
MANDATE: Final = both("Mandat", "Mandate")
CREDITOR_ID: Final = both("ICS", "Creditor ID")
DEBITED_ACCOUNT: Final = both("Compte débité", "Debited account")
CARD: Final = both("Carte", "Card")

NOTES: Final = both("Mentions", "Notes")
ATTACHMENTS: Final = both("Pièces jointes", "Attachments")
PAGE: Final = "Page"
