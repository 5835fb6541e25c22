"""Plans a person can take away: a printable page and a calendar file, under an unguessable URL."""
