"""GSM-7 and UCS-2 segment counting, with exact numbers."""

from __future__ import annotations

from channels.sms_segments import count_segments, encoding, fit, length, split_segments

MORE = "(Répondez SUITE pour lire la suite.)"


def test_gsm7_limits() -> None:
    assert encoding("Bonjour, à demain ! Réponse : 1") == "GSM-7"  # à, é are in the GSM-7 table
    assert count_segments("") == 0
    assert count_segments("a" * 160) == 1
    assert count_segments("a" * 161) == 2
    assert count_segments("a" * 306) == 2
    assert count_segments("a" * 307) == 3
    assert count_segments("a" * 459) == 3
    assert count_segments("a" * 460) == 4


def test_gsm7_extension_characters_count_two() -> None:
    assert length("€") == 2 and length("[a]") == 5
    assert count_segments("€" * 80) == 1
    assert count_segments("€" * 80 + "a") == 2
    # 152 septets then an escape sequence: it does not fit in the first part, it starts the second
    parts = split_segments("a" * 152 + "€" + "b" * 10)
    assert [length(p) for p in parts] == [152, 12]


def test_ucs2_limits() -> None:
    assert encoding("Vous êtes locataire") == "UCS-2"  # ê is not in GSM-7
    assert count_segments("ê" * 70) == 1
    assert count_segments("ê" * 71) == 2
    assert count_segments("ê" * 134) == 2
    assert count_segments("ê" * 135) == 3
    assert count_segments("ê" * 201) == 3
    assert count_segments("ê" * 202) == 4
    # a character outside the BMP takes two UTF-16 units and is never cut in two
    assert length("😀") == 2 and count_segments("😀" * 35) == 1 and count_segments("😀" * 36) == 2
    assert [length(p) for p in split_segments("a" * 66 + "😀" * 3)] == [66, 6]


def test_fit_keeps_three_segments_and_cuts_at_line_ends() -> None:
    text = "\n".join(f"{i}. Démarche numéro {i}" for i in range(1, 40))
    head, rest = fit(text, 3, MORE)
    assert count_segments(head) <= 3 and head.endswith("\n" + MORE)
    assert head.removesuffix(MORE).strip().splitlines()[-1].startswith(f"{len(head.splitlines()) - 1}.")
    assert (head.removesuffix(MORE).strip() + "\n" + rest).split() == text.split()
    assert fit("court", 3, MORE) == ("court", "")


def test_fit_a_ucs2_text() -> None:
    text = " ".join(["être"] * 200)
    head, rest = fit(text, 3, MORE)
    assert encoding(head) == "UCS-2" and count_segments(head) == 3
    assert (head.removesuffix(MORE) + " " + rest).split() == text.split()
