"""Slow, obviously right references for the toolkit's tests (never used by the code under test)."""

from __future__ import annotations


def osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance by the textbook dynamic programme, no shortcut: insert,
    delete, replace a letter, or swap two neighbours, each one edit."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def one_edit_forms(word: str, alphabet: str) -> set[str]:
    """Every word one insertion, deletion, replacement or swap of neighbours away from ``word``."""
    forms = {word[:i] + word[i + 1 :] for i in range(len(word))}
    forms |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    for ch in alphabet:
        forms |= {word[:i] + ch + word[i:] for i in range(len(word) + 1)}
        forms |= {word[:i] + ch + word[i + 1 :] for i in range(len(word))}
    return forms - {word}
