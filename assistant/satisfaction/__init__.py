"""Satisfaction: the end-of-conversation question (CSAT, 1 to 5) and "did this answer help?".

The gateway asks and reads the answers itself (payloads `csat:…`, `csat_reason:…`, `helpful:…`),
which never reach Rasa. See docs/architecture.md.
"""

SCORES = (1, 2, 3, 4, 5)
REASONS = ("not_understood", "wrong_answer", "too_long", "wanted_human", "other")
NEGATIVE_UP_TO = 2  # scores of 1 or 2 enter the review queue
REASON_UP_TO = 3  # the reason is asked for scores of 1 to 3
SENSITIVE_MIN_MESSAGES = 6  # in a sensitive situation, never before this many messages from the person
MIN_MESSAGES = 2  # nothing to rate before the person has written twice
