"""The scripted gateway of the satisfaction tests."""

from tests.satisfaction.conftest import chat, client, rasa  # noqa: F401
