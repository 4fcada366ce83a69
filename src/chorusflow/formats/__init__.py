"""File formats: a reader and a writer per syntax (CII, UBL, Factur-X, JSON)."""
