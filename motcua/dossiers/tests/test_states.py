"""The transition table, without a database: every national status is reachable as domain.md §3 says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.dossiers.states import (
    FINAL,
    STATUS_OF,
    TRANSITIONS,
    Action,
    Status,
    SubState,
    Transition,
    TransitionNotAllowed,
    allowed_actions,
    extension_allowed,
    is_late_by_supplements,
    resolve_target,
)
from motcua.org.models import Role


def test_every_substate_maps_to_one_national_status() -> None:
    assert set(STATUS_OF) == set(SubState)
    assert set(STATUS_OF.values()) == set(Status)


def test_final_substates_allow_nothing() -> None:
    for state in FINAL:
        assert allowed_actions(state) == []


def _status_edges() -> set[tuple[int, int]]:
    edges: set[tuple[int, int]] = set()
    for action, transition in TRANSITIONS.items():
        for source in transition.sources:
            for target in _targets(action, source):
                edges.add((STATUS_OF[source].value, STATUS_OF[target].value))
    return edges


def _targets(action: Action, source: SubState) -> set[SubState]:
    options = [
        {"resume_to": resume, "next_step_role": role}
        for resume in (SubState.SUBMITTED, SubState.IN_HANDLING)
        for role in (Role.SPECIALIST, Role.LEADER, Role.CLERK, None)
    ]
    return {resolve_target(action, source, **option) for option in options}  # type: ignore[arg-type]


def test_status_edges_are_exactly_those_of_the_national_lifecycle() -> None:
    expected = {
        (1, 2), (1, 3), (1, 5), (5, 2),  # online: accept, refuse, supplement, completed
        (2, 4), (4, 4), (4, 5), (5, 4), (4, 6), (6, 4), (6, 6), (4, 8), (4, 9), (9, 10),
        (1, 7), (2, 7), (4, 7), (5, 7), (6, 7),
        (5, 8),  # closed by the system when no supplement comes (domain.md §4.4), not in the §3 list
    }  # fmt: skip
    assert _status_edges() == expected


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (Action.APPROVE, SubState.REFUSED),
        (Action.RETURN_RESULT, SubState.IN_HANDLING),
        (Action.RETURN_RESULT, SubState.WAITING_SIGNATURE),
        (Action.STOP, SubState.WAITING_NUMBERING),  # a decision exists: too late to stop
        (Action.WITHDRAW, SubState.RESULT_AT_DESK),
        (Action.SUPPLEMENT, SubState.IN_HANDLING),
        (Action.ACCEPT, SubState.RECEIVED),
    ],
)
def test_disallowed_actions_raise(action: Action, state: SubState) -> None:
    with pytest.raises(TransitionNotAllowed):
        resolve_target(action, state)


def test_supplement_resumes_where_the_dossier_paused() -> None:
    assert resolve_target(Action.SUPPLEMENT, SubState.WAITING_SUPPLEMENT, resume_to=SubState.WAITING_SIGNATURE) == (
        SubState.WAITING_SIGNATURE
    )
    assert resolve_target(Action.SUPPLEMENT, SubState.WAITING_SUPPLEMENT, resume_to=SubState.SUBMITTED) == (
        SubState.RECEIVED
    )
    with pytest.raises(TransitionNotAllowed):
        resolve_target(Action.SUPPLEMENT, SubState.WAITING_SUPPLEMENT)


def test_forward_goes_to_the_role_of_the_next_step() -> None:
    forward = Action.FORWARD
    assert resolve_target(forward, SubState.IN_HANDLING, next_step_role=Role.LEADER) == SubState.WAITING_SIGNATURE
    assert resolve_target(forward, SubState.IN_HANDLING, next_step_role=Role.CLERK) == SubState.WAITING_NUMBERING
    assert resolve_target(forward, SubState.IN_HANDLING, next_step_role=Role.SPECIALIST) == SubState.IN_HANDLING
    assert resolve_target(forward, SubState.IN_HANDLING, next_step_role=None) == SubState.RESULT_AT_DESK


def test_approval_goes_to_the_next_signer_the_clerk_or_the_desk() -> None:
    approve = Action.APPROVE
    assert resolve_target(approve, SubState.WAITING_SIGNATURE, next_step_role=Role.LEADER) == (
        SubState.WAITING_SIGNATURE
    )
    assert resolve_target(approve, SubState.WAITING_SIGNATURE, next_step_role=Role.CLERK) == (
        SubState.WAITING_NUMBERING
    )
    assert resolve_target(approve, SubState.WAITING_SIGNATURE, next_step_role=Role.RECEPTION) == (
        SubState.RESULT_AT_DESK
    )


def test_extension_is_unchanged_state_and_leader_only() -> None:
    assert resolve_target(Action.EXTEND, SubState.IN_HANDLING) == SubState.IN_HANDLING
    assert TRANSITIONS[Action.EXTEND].roles == {Role.LEADER}


def test_system_actions_are_never_offered_to_staff() -> None:
    assert TRANSITIONS[Action.CLOSE_UNSUPPLIED].roles == frozenset()
    assert Action.CLOSE_UNSUPPLIED not in allowed_actions(SubState.WAITING_SUPPLEMENT)
    assert resolve_target(Action.CLOSE_UNSUPPLIED, SubState.WAITING_SUPPLEMENT) == SubState.STOPPED


def test_desk_actions_belong_to_reception() -> None:
    for transition in TRANSITIONS.values():
        assert isinstance(transition, Transition)
        if transition.desk:
            assert transition.roles == {Role.RECEPTION}


def test_extension_once_and_only_one_working_day_ahead() -> None:
    day = timedelta(hours=7, minutes=30)
    assert extension_allowed(already_extended=False, working_time_left=day, notice=day)
    assert not extension_allowed(already_extended=False, working_time_left=day - timedelta(seconds=1), notice=day)
    assert not extension_allowed(already_extended=True, working_time_left=3 * day, notice=day)


def test_more_than_one_supplement_request_is_late() -> None:
    assert not is_late_by_supplements(0)
    assert not is_late_by_supplements(1)
    assert is_late_by_supplements(2)
