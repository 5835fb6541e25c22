"""Conversations: records, the Rasa client and the service that ties them together."""
