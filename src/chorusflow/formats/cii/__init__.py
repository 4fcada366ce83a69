"""CII D16B (UN/CEFACT Cross Industry Invoice): the syntax of the Factur-X profiles.

``read_cii`` turns any CII invoice (Factur-X MINIMUM ... EXTENDED, XRechnung CII, the CEN
examples, fragments) into the model; ``write_cii`` writes the model for one Factur-X profile;
``profile_of`` says which profile a document declares.
"""

from chorusflow.formats.cii.codec import as_written, is_cii, profile_of, read_cii, write_cii

__all__ = ["as_written", "is_cii", "profile_of", "read_cii", "write_cii"]
