"""Function exercises: an answer is judged on the arguments it was given, not on leftovers."""

import numpy as np

from nbhelpers.course.feedback import Mistake, _check_function


def test_a_function_that_changes_its_argument_in_place_is_judged_fairly():
    def halve_in_place(v):
        v /= 2
        return v

    A = np.array([2.0, 4.0])
    result = _check_function("halve", halve_in_place, lambda v: v / 2, cases=[(A,)],
                             mistakes=lambda v: [Mistake("forget to halve", v)])
    assert result.passed, result.message
    np.testing.assert_array_equal(A, [2.0, 4.0])       # the case itself is left untouched


def test_a_wrong_in_place_answer_is_still_named_by_its_mistake():
    def doubles_in_place(v):
        v *= 2
        return v

    result = _check_function("halve", doubles_in_place, lambda v: v / 2,
                             cases=[(np.array([2.0, 4.0]),)],
                             mistakes=lambda v: [Mistake("multiply by 2 instead", 2 * v)])
    assert not result.passed
    assert "multiply by 2 instead" in result.message
