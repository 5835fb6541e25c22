"""Personal data: masking of free text, retention and erasure."""
