"""The router: which signal wins, and that one unsure situation is never taken alone."""

from __future__ import annotations

from assistant.understanding.router import Route, Router, Segment, Signals, Thresholds

MOVING, BABY, JOB = "F14128", "F16225", "F17556"
ROUTER = Router(
    {
        MOVING: frozenset({MOVING, "F10", "F11"}),
        BABY: frozenset({BABY, "F20"}),
        JOB: frozenset({JOB, "F30"}),
    },
    Thresholds(sure=0.7, supported=0.45, candidate=0.15, segment=0.8),
)


def signals(ranking, hits=(), segments=(), **kw) -> Signals:  # type: ignore[no-untyped-def]
    return Signals(ranking=ranking, hits=hits, segments=segments, **kw)


def test_a_sure_situation_is_taken() -> None:
    route = ROUTER.route(signals([("situation_F14128", 0.92), ("greet", 0.03)], hits=[("F99", 30.0)]))
    assert (route.kind, route.situations) == ("situations", (MOVING,))


def test_a_moderate_situation_needs_the_search_to_back_it() -> None:
    ranking = [("situation_F14128", 0.55), ("ask_demarche", 0.3)]
    backed = ROUTER.route(signals(ranking, hits=[("F99", 20.0), ("F11", 15.0)]))
    assert (backed.kind, backed.situations) == ("situations", (MOVING,))
    alone = ROUTER.route(signals(ranking, hits=[("F99", 20.0), ("F98", 15.0)]))
    assert alone.kind == "question" and alone.situations == ()
    assert alone.fiches == ("F99", "F98") and alone.candidates == (MOVING,)


def test_a_stretch_of_the_message_can_back_a_moderate_situation() -> None:
    ranking = [("situation_F16225", 0.5), ("situation_F14128", 0.2)]
    stretches = [Segment([("situation_F16225", 0.95)]), Segment([("greet", 0.9)])]
    route = ROUTER.route(signals(ranking, hits=[("F99", 20.0)], segments=stretches))
    assert route.situations == (BABY,)


def test_a_question_pulled_to_a_situation_gets_fiches_and_a_choice() -> None:
    ranking = [("situation_F17556", 0.6), ("ask_demarche", 0.25), ("situation_F14128", 0.1)]
    route = ROUTER.route(signals(ranking, hits=[("F500", 40.0), ("F501", 30.0), ("F502", 10.0)]))
    assert route == Route("question", fiches=("F500", "F501"), candidates=(JOB,))


def test_every_situation_a_stretch_names_is_taken_main_one_first() -> None:
    ranking = [("situation_F16225", 0.97), ("situation_F17556", 0.02)]
    job = Segment([("situation_F17556", 0.85)], hits=[("F99", 20.0), ("F30", 12.0)])
    stretches = [Segment([("situation_F16225", 0.99)]), Segment([("answer", 0.6)]), job]
    route = ROUTER.route(signals(ranking, segments=stretches))
    assert route.situations == (BABY, JOB)
    weak = Segment([("situation_F17556", 0.6)], hits=job.hits)
    assert ROUTER.route(signals(ranking, segments=[stretches[0], weak])).situations == (BABY,)
    unbacked = Segment([("situation_F17556", 0.95)], hits=[("F99", 20.0)])  # the search disagrees
    assert ROUTER.route(signals(ranking, segments=[stretches[0], unbacked])).situations == (BABY,)


def test_two_stretches_name_two_situations_when_the_whole_is_unsure() -> None:
    ranking = [("situation_F16225", 0.4), ("situation_F17556", 0.3)]
    stretches = [
        Segment([("situation_F17556", 0.9)], hits=[("F30", 10.0)]),
        Segment([("situation_F16225", 0.88)], hits=[("F20", 10.0)]),
    ]
    route = ROUTER.route(signals(ranking, segments=stretches))
    assert (route.kind, route.situations) == ("situations", (JOB, BABY))


def test_unsure_with_nothing_found_offers_the_candidates() -> None:
    ranking = [("situation_F16225", 0.35), ("situation_F14128", 0.3), ("greet", 0.2)]
    route = ROUTER.route(signals(ranking))
    assert route == Route("clarify", candidates=(BABY, MOVING))


def test_the_fallback_entry_and_weak_hits_are_ignored() -> None:
    ranking = [("nlu_fallback", 0.45), ("out_of_scope", 0.3), ("situation_F14128", 0.1)]
    route = ROUTER.route(signals(ranking, hits=[("F99", 5.0)]))
    assert route == Route("intent")


def test_fiches_close_to_the_best_only_never_a_situation_and_three_at_most() -> None:
    hits = [("F1", 50.0), (MOVING, 45.0), ("F2", 40.0), ("F3", 35.0), ("F4", 31.0), ("F5", 29.0)]
    route = ROUTER.route(signals([("ask_demarche", 0.9)], hits=hits))
    assert route == Route("question", fiches=("F1", "F2", "F3"))


def test_an_answer_to_the_pending_question_comes_first() -> None:
    ranking = [("situation_F14128", 0.99)]
    assert ROUTER.route(signals(ranking, answers_pending=True)).kind == "answer"


def test_a_definition_needs_a_term_the_glossary_knows() -> None:
    ranking = [("ask_definition", 0.8)]
    assert ROUTER.route(signals(ranking, definable=True)).kind == "definition"
    route = ROUTER.route(signals(ranking, hits=[("F7", 20.0)]))
    assert route == Route("question", fiches=("F7",))  # unknown term: the search answers
    assert ROUTER.route(signals(ranking)) == Route("question")  # nothing found: said so


def test_another_sure_intent_stands() -> None:
    route = ROUTER.route(signals([("answer", 0.9), ("situation_F14128", 0.05)], hits=[("F7", 20.0)]))
    assert route == Route("intent")


def test_a_longer_message_pulled_by_one_word_is_read_by_its_stretches() -> None:
    # The whole ranks "moving" first, but no stretch names it and the search finds none of its
    # démarches; the stretches name the baby and the job, each backed by the search.
    ranking = [("situation_F14128", 0.96), ("situation_F16225", 0.02)]
    stretches = [
        Segment([("situation_F16225", 0.97)], hits=[("F20", 10.0)]),
        Segment([("greet", 0.5)]),
        Segment([("situation_F17556", 0.9)], hits=[("F30", 10.0)]),
    ]
    route = ROUTER.route(signals(ranking, hits=[("F99", 20.0)], segments=stretches))
    assert route.situations == (BABY, JOB)
    # the same message, when the search backs "moving" as a whole: it stays first
    backed = ROUTER.route(signals(ranking, hits=[("F10", 20.0)], segments=stretches))
    assert backed.situations == (MOVING, BABY, JOB)
    # ... or when one stretch names it, even unbacked
    named = [Segment([("situation_F14128", 0.85)]), *stretches]
    assert ROUTER.route(signals(ranking, hits=[("F99", 20.0)], segments=named)).situations[0] == MOVING
