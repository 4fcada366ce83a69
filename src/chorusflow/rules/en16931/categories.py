"""The nine VAT categories that carry their own family of EN 16931 rules.

Each family (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-O, BR-AF, BR-AG) has the same ten
rules in shape; what differs is held here as data: the code, the rule prefix, what the rate
must be, whether the breakdown needs an exemption reason, how many breakdowns the category
may have, and which parties must (or must not) show a VAT identifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class RateRule(Enum):
    """What rules 05-07 demand of a line's or allowance's VAT rate (BT-152, BT-96, BT-103)."""

    POSITIVE = "> 0"
    ZERO = "= 0"
    NOT_NEGATIVE = ">= 0"
    ABSENT = "none"


class SellerIds(Enum):
    """Which identifiers rules 02-04 demand (or, for O, forbid)."""

    ANY_TAX_ID = "seller VAT id or tax registration id, or tax representative VAT id"
    VAT_ID = "seller VAT id or tax representative VAT id"
    ANY_TAX_ID_AND_BUYER = "as ANY_TAX_ID, and buyer VAT id or legal registration id"
    VAT_ID_AND_BUYER_VAT = "as VAT_ID, and buyer VAT id"
    NO_VAT_ID = "no seller, tax representative nor buyer VAT id"

    @property
    def tax_registration_counts(self) -> bool:
        """The seller's tax registration identifier (BT-32) stands for its VAT identifier."""
        return self in (SellerIds.ANY_TAX_ID, SellerIds.ANY_TAX_ID_AND_BUYER)


@dataclass(frozen=True, slots=True)
class Category:
    """One VAT category and the parameters of its rule family."""

    code: str
    prefix: str
    name_en: str
    name_fr: str
    rate: RateRule
    ids: SellerIds
    exempt: bool
    """True: the breakdown needs an exemption reason (rule 10); False: it must have none."""
    single_breakdown: bool
    """True: exactly one breakdown of the category (rule 01); False: at least one."""
    per_rate: bool
    """True: rules 08 and 09 work per rate (taxed categories); False: a zero-tax category."""
    rate_in_use: bool = False
    """Rule 08 also demands a line, allowance or charge taxed at the breakdown's rate."""

    def rule(self, number: int) -> str:
        return f"{self.prefix}-{number:02d}"


STANDARD = Category(
    "S",
    "BR-S",
    "Standard rated",
    "taux normal",
    RateRule.POSITIVE,
    SellerIds.ANY_TAX_ID,
    exempt=False,
    single_breakdown=False,
    per_rate=True,
    rate_in_use=True,
)
ZERO_RATED = Category(
    "Z",
    "BR-Z",
    "Zero rated",
    "taux zéro",
    RateRule.ZERO,
    SellerIds.ANY_TAX_ID,
    exempt=False,
    single_breakdown=True,
    per_rate=False,
)
EXEMPT = Category(
    "E",
    "BR-E",
    "Exempt from VAT",
    "exonéré de TVA",
    RateRule.ZERO,
    SellerIds.ANY_TAX_ID,
    exempt=True,
    single_breakdown=True,
    per_rate=False,
)
REVERSE_CHARGE = Category(
    "AE",
    "BR-AE",
    "Reverse charge",
    "autoliquidation",
    RateRule.ZERO,
    SellerIds.ANY_TAX_ID_AND_BUYER,
    exempt=True,
    single_breakdown=True,
    per_rate=False,
)
INTRA_COMMUNITY = Category(
    "K",
    "BR-IC",
    "Intra-community supply",
    "livraison intracommunautaire",
    RateRule.ZERO,
    SellerIds.VAT_ID_AND_BUYER_VAT,
    exempt=True,
    single_breakdown=True,
    per_rate=False,
)
EXPORT = Category(
    "G",
    "BR-G",
    "Export outside the EU",
    "exportation hors de l'UE",
    RateRule.ZERO,
    SellerIds.VAT_ID,
    exempt=True,
    single_breakdown=True,
    per_rate=False,
)
NOT_SUBJECT = Category(
    "O",
    "BR-O",
    "Not subject to VAT",
    "hors du champ de la TVA",
    RateRule.ABSENT,
    SellerIds.NO_VAT_ID,
    exempt=True,
    single_breakdown=True,
    per_rate=False,
)
IGIC = Category(
    "L",
    "BR-AF",
    "IGIC",
    "IGIC (Canaries)",
    RateRule.NOT_NEGATIVE,
    SellerIds.ANY_TAX_ID,
    exempt=False,
    single_breakdown=False,
    per_rate=True,
)
IPSI = Category(
    "M",
    "BR-AG",
    "IPSI",
    "IPSI (Ceuta et Melilla)",
    RateRule.NOT_NEGATIVE,
    SellerIds.ANY_TAX_ID,
    exempt=False,
    single_breakdown=False,
    per_rate=True,
)

CATEGORIES: tuple[Category, ...] = (
    STANDARD,
    ZERO_RATED,
    EXEMPT,
    REVERSE_CHARGE,
    INTRA_COMMUNITY,
    EXPORT,
    NOT_SUBJECT,
    IGIC,
    IPSI,
)
