"""One decision per message: what the person wants, from every signal at hand.

The intent classifier is one signal among several. The router also weighs:

- the classifier's verdict on stretches of the message (`segments`, see
  `assistant.nlu.segments`): a situation that wins a stretch with high confidence is named in
  the message, even when the message as a whole ranks it low ("enceinte de 4 mois + on cherche
  déjà une crèche");
- the catalogue search: the fiches whose titles, keywords and text match the message, and
  whether they belong to the démarches of the situation the classifier proposes (its
  "support"). A démarche question the classifier pulls to a situation ("on veut se pacser, on
  va où" → séparation) finds fiches outside that situation's démarches; a real situation
  message finds its own démarches;
- the glossary (a term it can define) and the question the person was just asked (an answer).

The thresholds below were chosen on the development set (`data/eval/dev`) by
`bench/tune_router.py`; the frozen test set was never used to choose them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SITUATION_PREFIX = "situation_"
FALLBACK = "nlu_fallback"
QUESTION_INTENTS = ("ask_demarche",)
DEFINITION_INTENTS = ("ask_definition",)


@dataclass(frozen=True)
class Thresholds:
    """The constants of the decision, tuned on the development set."""

    sure: float = 0.7  # a situation this likely is taken even without support from the search
    supported: float = 0.45  # ... and from this confidence on when the search backs it
    candidate: float = 0.15  # a situation this likely is offered as a choice
    intent: float = 0.6  # another intent this likely stands (thanks, an answer out of context...)
    segment: float = 0.8  # a stretch of the message that names a situation this surely
    fiche: float = 8.0  # search score from which a fiche is worth showing
    fiche_share: float = 0.6  # ... if it scores at least this share of the best hit
    max_fiches: int = 3
    support_depth: int = 5  # how many search hits may back a situation
    segment_support_depth: int = 5  # ... in a stretch of the message


@dataclass(frozen=True)
class Segment:
    """A stretch of the message: the classifier's intents for it, and the search's fiches."""

    ranking: Sequence[tuple[str, float]]
    hits: Sequence[tuple[str, float]] = ()


@dataclass(frozen=True)
class Signals:
    """What is known about one message when it is read."""

    ranking: Sequence[tuple[str, float]]  # intents, best first (the fallback left out)
    hits: Sequence[tuple[str, float]]  # catalogue search: fiche id, score; best first
    segments: Sequence[Segment] = ()  # the stretches of a longer message
    definable: bool = False  # the glossary defines the term the message asks about
    answers_pending: bool = False  # the message answers the question just asked


@dataclass(frozen=True)
class Route:
    """What the message is, and what to show.

    kind: `situations` (take them: `situations`), `question` (show `fiches`, offer
    `candidates` as buttons), `clarify` (offer `candidates` and `fiches`), `definition`,
    `answer`, or `intent` (the classifier's intent stands: greeting, thanks, out of scope...).
    """

    kind: str
    situations: tuple[str, ...] = ()
    fiches: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=(), compare=False)


def situation_of(intent: str) -> str | None:
    return intent[len(SITUATION_PREFIX) :] if intent.startswith(SITUATION_PREFIX) else None


class Router:
    """Combines the signals of a message into one `Route`."""

    def __init__(
        self,
        situation_fiches: Mapping[str, frozenset[str]],
        thresholds: Thresholds | None = None,
    ) -> None:
        self.situation_fiches = situation_fiches  # situation id -> fiches of its démarches
        self.t = thresholds or Thresholds()

    def route(self, signals: Signals) -> Route:
        ranking = [(name, conf) for name, conf in signals.ranking if name != FALLBACK]
        if signals.answers_pending:
            return Route("answer", reasons=("answer to the pending question",))
        top, confidence = ranking[0] if ranking else ("", 0.0)
        fiches = self._fiches(signals.hits)
        primary = self._situation(top)
        named = self._named_in_segments(signals.segments)
        if primary is not None and self._sure(primary, confidence, signals):
            if named and self._pulled(primary, signals):
                return Route("situations", situations=tuple(named), reasons=("segments over a pull",))
            extra = [sid for sid in named if sid != primary]
            return Route("situations", situations=(primary, *extra), reasons=("classifier", *extra))
        if len(named) >= 2:
            return Route("situations", situations=tuple(named), reasons=("segments",))
        if top in DEFINITION_INTENTS and signals.definable:
            return Route("definition")
        candidates = self._candidates(ranking)
        asking = top in QUESTION_INTENTS or top in DEFINITION_INTENTS
        if primary is None and not asking and confidence >= self.t.intent:
            return Route("intent", reasons=(top,))
        if fiches:
            return Route("question", fiches=fiches, candidates=candidates, reasons=("search",))
        if candidates:
            return Route("clarify", fiches=fiches, candidates=candidates, reasons=("unsure",))
        if asking:
            return Route("question", reasons=("nothing found",))
        return Route("intent", reasons=(top,))

    def _sure(self, situation: str, confidence: float, signals: Signals) -> bool:
        if confidence >= self.t.sure:
            return True
        backed = self._backed(situation, signals.hits, self.t.support_depth)
        agreeing = situation in self._named_in_segments(signals.segments, backed_only=False)
        return confidence >= self.t.supported and (backed or agreeing)

    def _pulled(self, situation: str, signals: Signals) -> bool:
        """A longer message pulled to a situation by one strong word: no stretch of it names the
        situation, and the search finds none of its démarches ("ma femme et moi on est mariés
        depuis 20 ans [...] elle veut divorcer" ranked first as leaving one's parents)."""
        if not signals.segments:
            return False
        if situation in self._named_in_segments(signals.segments, backed_only=False):
            return False
        return not self._backed(situation, signals.hits, self.t.support_depth)

    def _named_in_segments(self, segments: Sequence[Segment], backed_only: bool = True) -> list[str]:
        """Situations some stretch names surely; with `backed_only`, only those the search finds
        in that stretch too (a stretch alone is noisy: "ma femme et moi" is not a separation)."""
        named: list[str] = []
        for segment in segments:
            if not segment.ranking:
                continue
            name, confidence = segment.ranking[0]
            sid = self._situation(name)
            if sid is None or confidence < self.t.segment or sid in named:
                continue
            if not backed_only or self._backed(sid, segment.hits, self.t.segment_support_depth):
                named.append(sid)
        return named

    def _backed(self, situation: str, hits: Sequence[tuple[str, float]], depth: int) -> bool:
        related = self.situation_fiches.get(situation, frozenset())
        return any(fid in related for fid, _ in hits[:depth])

    def _candidates(self, ranking: Sequence[tuple[str, float]]) -> tuple[str, ...]:
        found = [
            sid for name, conf in ranking[:3] if conf >= self.t.candidate and (sid := self._situation(name))
        ]
        return tuple(found)

    def _situation(self, intent: str) -> str | None:
        """The known situation an intent names (`situation_F14128` → `F14128`), or None."""
        sid = situation_of(intent)
        return sid if sid in self.situation_fiches else None

    def _fiches(self, hits: Sequence[tuple[str, float]]) -> tuple[str, ...]:
        """Fiches worth showing: above the score floor and close to the best, not a situation."""
        kept = [(fid, score) for fid, score in hits if score >= self.t.fiche]
        if not kept:
            return ()
        floor = kept[0][1] * self.t.fiche_share
        found = [fid for fid, score in kept if score >= floor and fid not in self.situation_fiches]
        return tuple(found[: self.t.max_fiches])
