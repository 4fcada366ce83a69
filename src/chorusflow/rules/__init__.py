"""Checks: findings, native EN 16931 rules, the official artefacts, identifiers, Chorus Pro."""
