"""Export-consultation meeting scheduling engine (pure Python, no Django).

Product API (typed dataclasses in and out; see docs/engines/schedule.md):

* :func:`select_pairs` (:class:`SelectionInput` -> :class:`SelectionResult`): which buyer-seller pairs meet;
* :func:`schedule` (:class:`ScheduleInput` -> :class:`ScheduleResult`): pairs -> day, slot, room, interpreter
  (optional :data:`ProgressFn` callback; ``ScheduleInput.deterministic`` for reproducible runs);
* :func:`greedy`: a quick feasible schedule (the start CP-SAT is given);
* :func:`plan` (:class:`Instance` -> both): the whole pipeline, as the ``solve`` command line does;
* :func:`generate`: realistic random instances; :func:`make_slots`, :func:`allowed_slots`, :func:`local_time`.

Benchmark API: :func:`read_dzn` and :func:`solve_b2b` (the B2B meeting-scheduling benchmark of Bofill et al.).
"""

from .b2b import B2BOptions, B2BResult
from .b2b_solve import solve_b2b
from .dzn import B2BInstance, DznError, read_dzn
from .generate import generate
from .io import Instance, instance_from_dict, instance_to_dict, make_slots, result_to_dict
from .model import (
    EVENT_TZ,
    FixedMeeting,
    Interpreter,
    Interval,
    PairChoice,
    Participant,
    Precedence,
    Preference,
    Progress,
    ProgressFn,
    Rejection,
    ScheduledMeeting,
    ScheduleInput,
    ScheduleResult,
    SelectionInput,
    SelectionResult,
    Slot,
    Weights,
)
from .pairs import ScoreFn, select_pairs
from .product import LEVELS, greedy, participant_breaks, schedule
from .service import plan
from .timezones import allowed_slots, local_time

__all__ = [
    "EVENT_TZ",
    "LEVELS",
    "B2BInstance",
    "B2BOptions",
    "B2BResult",
    "DznError",
    "FixedMeeting",
    "Instance",
    "Interpreter",
    "Interval",
    "PairChoice",
    "Participant",
    "Precedence",
    "Preference",
    "Progress",
    "ProgressFn",
    "Rejection",
    "ScheduleInput",
    "ScheduleResult",
    "ScheduledMeeting",
    "ScoreFn",
    "SelectionInput",
    "SelectionResult",
    "Slot",
    "Weights",
    "allowed_slots",
    "generate",
    "greedy",
    "instance_from_dict",
    "instance_to_dict",
    "local_time",
    "make_slots",
    "participant_breaks",
    "plan",
    "read_dzn",
    "result_to_dict",
    "schedule",
    "select_pairs",
    "solve_b2b",
]
