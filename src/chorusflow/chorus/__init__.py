"""chorus layer."""
