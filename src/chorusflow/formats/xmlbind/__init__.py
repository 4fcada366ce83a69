"""XML elements declared once as data, read and written by the same declaration.

A binding is a tree of nodes that mirrors the XML (:mod:`~chorusflow.formats.xmlbind.nodes`):
:class:`El` for an element, :class:`Value` for its text, :class:`Attr` for an attribute,
:class:`Const` and :class:`Key` for constant content the syntax requires; a
:class:`Vocabulary` builds them from a syntax's prefixed names. Each ties a piece of
XML to a field of the data (nested dicts: an invoice dumped from the model, reshaped where the
syntax shapes it differently). The place of a business term is written down once, so the
reader and the writer cannot drift apart, and whatever walks the declaration (e.g. to find
where a term sits in a file) walks the same one.

Both CII and UBL are declared with it: nothing here knows either syntax.
"""

from chorusflow.formats.xmlbind.kinds import (
    BASE64,
    BOOL,
    DATE,
    DECIMAL,
    TEXT,
    TOKEN,
    Kind,
    format_decimal,
    translated,
)
from chorusflow.formats.xmlbind.nodes import (
    Attr,
    Const,
    Data,
    El,
    Key,
    Predicate,
    Value,
    holds_nothing,
)
from chorusflow.formats.xmlbind.reading import ReadError, read
from chorusflow.formats.xmlbind.vocabulary import Vocabulary, all_of, none_of
from chorusflow.formats.xmlbind.writing import WriteError, write

__all__ = [
    "BASE64",
    "BOOL",
    "DATE",
    "DECIMAL",
    "TEXT",
    "TOKEN",
    "Attr",
    "Const",
    "Data",
    "El",
    "Key",
    "Kind",
    "Predicate",
    "ReadError",
    "Value",
    "Vocabulary",
    "WriteError",
    "all_of",
    "format_decimal",
    "holds_nothing",
    "none_of",
    "read",
    "translated",
    "write",
]
