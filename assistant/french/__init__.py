"""The French text toolkit: accent folding, number words, edit candidates, dates."""
