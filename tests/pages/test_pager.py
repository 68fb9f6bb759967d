"""The index pager's numbers (latest_updates.pager_numbers) against their definition, for any page count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhiyuan.pages.latest_updates import pager_numbers

pages = st.integers(min_value=1, max_value=400).flatmap(
    lambda count: st.tuples(st.integers(min_value=1, max_value=count), st.just(count))
)


@given(pages)
def test_pager_shows_ends_and_neighbours_and_elides_only_runs_of_two_or_more(page):
    current, count = page
    numbers = pager_numbers(current, count)
    shown = [n for n in numbers if n is not None]
    assert shown == sorted(set(shown))
    assert {1, count, current} <= set(shown)
    assert set(range(max(1, current - 2), min(count, current + 2) + 1)) <= set(shown)
    # every gap between two shown numbers is either nothing or an ellipsis for at least two pages
    for before, mark, after in zip(numbers, numbers[1:], numbers[2:]):
        if mark is None:
            assert after - before > 2
    for before, after in zip(numbers, numbers[1:]):
        if before is not None and after is not None:
            assert after == before + 1
    assert numbers[0] == 1 and numbers[-1] == count


def test_pager_stays_short_on_a_long_index():
    assert pager_numbers(50, 100) == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert pager_numbers(1, 100) == [1, 2, 3, None, 100]
    assert pager_numbers(4, 100) == [1, 2, 3, 4, 5, 6, None, 100]
    assert pager_numbers(3, 5) == [1, 2, 3, 4, 5]
