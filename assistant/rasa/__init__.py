"""Everything that runs in the Rasa process or prepares it: launcher, loading, stores, endpoints, training."""
