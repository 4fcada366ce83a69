"""Code-list typed strings.

A code field holds any string, so that a reader can load a third-party file whose codes are
wrong and the checks (BR-CL-xx) can say so. Input written by our users is validated with the
context ``{"strict_codes": True}`` (see :data:`STRICT`), which refuses a code outside its list
with a message naming the list and an example. The JSON Schema lists the allowed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from chorusflow.model import codelists as cl

STRICT: Final[Mapping[str, bool]] = {"strict_codes": True}
"""Validation context under which code fields must belong to their code list."""


@dataclass(frozen=True, slots=True)
class CodeList:
    """Annotation marking a ``str`` as a code from ``codes``."""

    codes: frozenset[str]
    name: str
    example: str

    def check(self, value: str, info: ValidationInfo) -> str:
        context = info.context
        if context and context.get("strict_codes") and value not in self.codes:
            raise PydanticCustomError(
                "code_list",
                "'{value}' is not in the {name} code list; use a code of that list, "
                "e.g. '{example}'",
                {"value": value, "name": self.name, "example": self.example},
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": sorted(self.codes), "description": self.name}


DocumentType = Annotated[str, CodeList(cl.DOCUMENT_TYPES, "UNTDID 1001 document type", "380")]
Currency = Annotated[str, CodeList(cl.CURRENCIES, "ISO 4217 currency", "EUR")]
TaxPointDateCode = Annotated[str, CodeList(cl.TAX_POINT_DATE_CODES, "UNTDID 2005", "3")]
ObjectIdScheme = Annotated[str, CodeList(cl.OBJECT_ID_SCHEMES, "UNTDID 1153", "AAB")]
NoteSubject = Annotated[str, CodeList(cl.NOTE_SUBJECTS, "UNTDID 4451 subject", "AAI")]
IcdScheme = Annotated[str, CodeList(cl.ICD_SCHEMES | {"SEPA"}, "ISO 6523 ICD scheme", "0009")]
ClassificationScheme = Annotated[
    str, CodeList(cl.ITEM_CLASSIFICATION_SCHEMES, "UNTDID 7143 item classification", "STI")
]
Country = Annotated[str, CodeList(cl.COUNTRIES, "ISO 3166-1 alpha-2 country", "FR")]
PaymentMeans = Annotated[str, CodeList(cl.PAYMENT_MEANS, "UNTDID 4461 payment means", "30")]
VatCategory = Annotated[str, CodeList(cl.VAT_CATEGORIES, "UNTDID 5305 VAT category", "S")]
AllowanceReason = Annotated[
    str, CodeList(cl.ALLOWANCE_REASONS, "UNTDID 5189 allowance reason", "95")
]
ChargeReason = Annotated[str, CodeList(cl.CHARGE_REASONS, "UNTDID 7161 charge reason", "FC")]
Vatex = Annotated[str, CodeList(cl.VATEX, "VATEX exemption reason", "VATEX-EU-AE")]
Unit = Annotated[str, CodeList(cl.UNITS, "UN/ECE Rec. 20 unit", "C62")]
MimeCode = Annotated[str, CodeList(cl.MIME_CODES, "attachment MIME", "application/pdf")]
EasScheme = Annotated[str, CodeList(cl.EAS_SCHEMES, "EAS electronic address scheme", "0009")]

#: ISO 6523 ICD of the French SIRET, the scheme Chorus Pro routes on.
SIRET_SCHEME: Final = "0009"
#: ISO 6523 ICD of the French SIREN.
SIREN_SCHEME: Final = "0002"

#: UNTDID 1001 codes that EN 16931 treats as credit notes (written as UBL CreditNote).
CREDIT_NOTE_TYPES: Final = cl.CREDIT_NOTE_TYPES

#: VAT categories whose breakdown must state an exemption reason (BR-E-10, BR-AE-10, ...).
EXEMPT_CATEGORIES: Final = frozenset({"E", "AE", "K", "G", "O"})
#: VAT categories whose rate is zero by definition.
ZERO_RATE_CATEGORIES: Final = frozenset({"Z", "E", "AE", "K", "G"})
