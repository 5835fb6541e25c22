"""Indicators for administrations, computed by SQL on the stored records (docs/architecture.md).

Every figure is about the conversations *started* in the period (a cohort), in which the person
wrote at least one message; `contained`: no handoff, and no new conversation from the same sender
(same channel) within 7 days.
"""

CONTAINMENT_DAYS = 7
SATISFIED_FROM = 4  # a CSAT score of 4 or 5 out of 5 counts as satisfied
MISUNDERSTOOD_SOURCES = ("misunderstood", "low_confidence")  # review items that are understanding misses
