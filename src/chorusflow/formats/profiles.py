"""Syntaxes and Factur-X profiles, with the identifiers each one is known by."""

from __future__ import annotations

from enum import StrEnum


class Syntax(StrEnum):
    """A file syntax chorusflow reads and writes."""

    JSON = "json"
    CII = "cii"
    UBL = "ubl"
    FACTURX = "facturx"


class Profile(StrEnum):
    """A Factur-X (CII) profile, from the poorest to the richest."""

    MINIMUM = "minimum"
    BASIC_WL = "basicwl"
    BASIC = "basic"
    EN16931 = "en16931"
    EXTENDED = "extended"

    @property
    def urn(self) -> str:
        """BT-24 specification identifier the profile is declared with in the XML."""
        return _URNS[self]

    @property
    def xmp_level(self) -> str:
        """Conformance level written in the Factur-X XMP (``fx:ConformanceLevel``)."""
        return _XMP_LEVELS[self]

    @classmethod
    def from_urn(cls, urn: str | None) -> Profile | None:
        """The profile a BT-24 value declares, or None when it names none we know."""
        if urn is None:
            return None
        return _BY_URN.get(urn.strip())

    @classmethod
    def parse(cls, text: str) -> Profile:
        """A profile from what a user types: ``en16931``, ``EN 16931``, ``basic-wl`` ..."""
        key = text.strip().lower().replace(" ", "").replace("-", "").replace("_", "")
        for profile in cls:
            if profile.value == key:
                return profile
        raise ValueError(text)


_URNS = {
    Profile.MINIMUM: "urn:factur-x.eu:1p0:minimum",
    Profile.BASIC_WL: "urn:factur-x.eu:1p0:basicwl",
    Profile.BASIC: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    Profile.EN16931: "urn:cen.eu:en16931:2017",
    Profile.EXTENDED: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}
_XMP_LEVELS = {
    Profile.MINIMUM: "MINIMUM",
    Profile.BASIC_WL: "BASIC WL",
    Profile.BASIC: "BASIC",
    Profile.EN16931: "EN 16931",
    Profile.EXTENDED: "EXTENDED",
}
_BY_URN = {urn: profile for profile, urn in _URNS.items()}
# Older and alternative spellings found in files made by other tools
_BY_URN.update(
    {
        "urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic": Profile.BASIC,
        "urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p1:extended": Profile.EXTENDED,
        "urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p1:basic": Profile.BASIC,
        "urn:zugferd.de:2p1:minimum": Profile.MINIMUM,
        "urn:zugferd.de:2p1:basicwl": Profile.BASIC_WL,
    }
)

#: The UBL 2.1 and CII namespaces that identify a document's syntax.
NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NS_UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
