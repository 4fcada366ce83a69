"""BR-06 ... BR-63 on the parties: seller, buyer, payee, tax representative, delivery.

A rule about a party's group applies when the group is there: an absent seller address breaks
BR-08, not BR-09; an absent representative address BR-19, not BR-20.
"""

from __future__ import annotations

from collections.abc import Iterator

from chorusflow.rules.en16931.engine import Breach, Registry
from chorusflow.rules.en16931.facts import Facts, blank

registry = Registry()


@registry("BR-06", "BR-08", "BR-09")
def seller(facts: Facts) -> Iterator[Breach]:
    party = facts.seller
    if party is None or blank(party.name):
        yield Breach("BR-06", "/seller/name", "Set seller.name to the seller's legal name.")
    if party is None or party.address is None:
        yield Breach(
            "BR-08",
            "/seller/address",
            "Set seller.address to the seller's postal address, with its country (e.g. FR).",
        )
    elif blank(party.address.country):
        yield Breach("BR-09", "/seller/address/country", "Set seller.address.country, e.g. FR.")


@registry("BR-07", "BR-10", "BR-11")
def buyer(facts: Facts) -> Iterator[Breach]:
    party = facts.buyer
    if party is None or blank(party.name):
        yield Breach("BR-07", "/buyer/name", "Set buyer.name to the buyer's legal name.")
    if party is None or party.address is None:
        yield Breach(
            "BR-10",
            "/buyer/address",
            "Set buyer.address to the buyer's postal address, with its country (e.g. FR).",
        )
    elif blank(party.address.country):
        yield Breach("BR-11", "/buyer/address/country", "Set buyer.address.country, e.g. FR.")


@registry("BR-17")
def payee(facts: Facts) -> Iterator[Breach]:
    party = facts.invoice.payee
    if party is None:
        return
    seller_ids = {i.value for i in facts.seller.identifiers} if facts.seller else set()
    same_name = facts.seller is not None and party.name == facts.seller.trading_name
    same_id = party.identifier is not None and party.identifier.value in seller_ids
    if party.name is None or same_name or same_id:
        yield Breach(
            "BR-17",
            "/payee/name",
            "Set payee.name to the party that receives the payment (e.g. the factor), or "
            "remove payee when the seller is paid.",
        )


@registry("BR-18", "BR-19", "BR-20", "BR-56")
def tax_representative(facts: Facts) -> Iterator[Breach]:
    party = facts.representative
    if party is None:
        return
    if blank(party.name):
        yield Breach("BR-18", "/tax_representative/name", "Set tax_representative.name.")
    if party.address is None:
        yield Breach(
            "BR-19",
            "/tax_representative/address",
            "Set tax_representative.address, with its country.",
        )
    elif blank(party.address.country):
        yield Breach(
            "BR-20",
            "/tax_representative/address/country",
            "Set tax_representative.address.country, e.g. FR.",
        )
    if party.vat_id is None:
        yield Breach(
            "BR-56",
            "/tax_representative/vat_id",
            "Set tax_representative.vat_id to the representative's VAT number.",
        )


@registry("BR-57")
def delivery_address(facts: Facts) -> Iterator[Breach]:
    delivery = facts.invoice.delivery
    if delivery and delivery.address and delivery.address.country is None:
        yield Breach(
            "BR-57",
            "/delivery/address/country",
            "Set delivery.address.country to the country delivered to, e.g. FR.",
        )


@registry("BR-62", "BR-63")
def electronic_addresses(facts: Facts) -> Iterator[Breach]:
    for rule, role, party in (("BR-62", "seller", facts.seller), ("BR-63", "buyer", facts.buyer)):
        address = party.electronic_address if party else None
        if address is not None and address.scheme is None:
            yield Breach(
                rule,
                f"/{role}/electronic_address/scheme",
                f"Set {role}.electronic_address.scheme, e.g. 0009 when the address is a SIRET.",
            )
