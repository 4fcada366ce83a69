"""UBL 2.1 Invoice and CreditNote (EN 16931, as Peppol BIS 3 and CIUS-FR use them).

:func:`read_ubl` loads any Invoice-2 or CreditNote-2 document, however incomplete, so that
the checks can say what is wrong with it; :func:`write_ubl` writes a CreditNote for the
credit-note type codes and an Invoice otherwise, stating what :func:`as_written` says. Where
each term sits is declared once, in :mod:`chorusflow.formats.ubl.binding`.
"""

from chorusflow.formats.ubl.binding import EN16931
from chorusflow.formats.ubl.codec import BINDINGS, as_written, is_ubl, read_ubl, write_ubl

__all__ = ["BINDINGS", "EN16931", "as_written", "is_ubl", "read_ubl", "write_ubl"]
