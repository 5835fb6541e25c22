"""Agent accounts, passwords (argon2) and opaque tokens for the API and the console."""
