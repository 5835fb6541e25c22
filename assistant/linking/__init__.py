"""Continuity across channels: a short code shown on one channel, sent from another, moves the
conversation there."""
