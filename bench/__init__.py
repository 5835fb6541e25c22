"""Load benchmark of the whole stack against a plain `rasa run` baseline (`python -m bench`)."""
