"""SMS length rules: GSM-7 (160 characters, 153 per part when concatenated) or UCS-2 (70 / 67)."""

from __future__ import annotations

from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")  # sent as escape + character: they count 2

LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}  # (single message, each part of a long one)

Encoding = Literal["GSM-7", "UCS-2"]


def encoding(text: str) -> Encoding:
    return "GSM-7" if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else "UCS-2"


def _units(char: str, enc: Encoding) -> int:
    if enc == "GSM-7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1  # UTF-16 surrogate pair


def length(text: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes."""
    enc = encoding(text)
    return sum(_units(c, enc) for c in text)


def split_segments(text: str) -> list[str]:
    """The parts a phone receives; an escaped or surrogate character is never cut in two."""
    if not text:
        return []
    enc = encoding(text)
    single, part = LIMITS[enc]
    if length(text) <= single:
        return [text]
    segments: list[str] = []
    current, used = "", 0
    for char in text:
        units = _units(char, enc)
        if used + units > part:
            segments.append(current)
            current, used = "", 0
        current += char
        used += units
    segments.append(current)
    return segments


def count_segments(text: str) -> int:
    return len(split_segments(text))


def fit(text: str, max_segments: int, more: str) -> tuple[str, str]:
    """Cut `text` so that the head, followed by the `more` notice, takes at most `max_segments`.

    Cuts at a blank line, else a line end, else a space. Returns (head with notice, rest).
    """
    text = text.strip()
    if count_segments(text) <= max_segments:
        return text, ""
    low, high = 0, len(text)  # longest prefix that fits, by bisection (length only grows)
    while low < high:
        middle = (low + high + 1) // 2
        if count_segments(text[:middle].rstrip() + "\n" + more) <= max_segments:
            low = middle
        else:
            high = middle - 1
    cut = low
    for separator, share in (("\n\n", 2), ("\n", 3), (" ", 100)):
        position = text.rfind(separator, 0, low + 1)
        if position > low // share:
            cut = position
            break
    if cut <= 0:
        cut = max(low, 1)
    return text[:cut].rstrip() + "\n" + more, text[cut:].strip()
