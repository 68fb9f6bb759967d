"""Reading time: CJK characters and Latin words counted apart, code and formulas weighted."""

from __future__ import annotations

import pytest

from zhiyuan.posts.reading_time import DEFAULT_RATES, ReadingStats, count_text, minutes


@pytest.mark.parametrize(
    ("text", "cjk", "words"),
    [
        ("强化学习", 4, 0),
        ("softmax 与 GPT-4 的 don't", 2, 3),
        ("用 PyTorch 实现 DDPG。", 3, 2),
        ("ひらがな カタカナ 한국어", 11, 0),
        ("3.14 是 π", 1, 3),  # 3, 14 and π
        ("", 0, 0),
        ("，。！？——", 0, 0),  # punctuation is neither
    ],
)
def test_count_text(text, cjk, words):
    assert count_text(text) == ReadingStats(cjk=cjk, words=words)


def test_the_formula_with_default_rates():
    stats = ReadingStats(cjk=402, words=101, code_lines=30, display_math=2, inline_math=5)
    # 402/400 + 101/200 + (30*3 + 2*10 + 5*2)/60 = 1.005 + 0.505 + 2 = 3.51 -> 4
    assert minutes(stats) == 4


def test_exact_minutes_are_not_rounded_up():
    assert minutes(ReadingStats(cjk=800)) == 2
    assert minutes(ReadingStats(cjk=801)) == 3
    assert minutes(ReadingStats(words=400)) == 2
    assert minutes(ReadingStats(code_lines=40)) == 2


def test_at_least_one_minute():
    assert minutes(ReadingStats()) == 1
    assert minutes(ReadingStats(cjk=1)) == 1


def test_rates_can_be_overridden():
    stats = ReadingStats(cjk=1200)
    assert minutes(stats) == 3
    assert minutes(stats, rates={"cjk_per_minute": 300}) == 4
    assert set(DEFAULT_RATES) == {
        "cjk_per_minute", "words_per_minute", "code_line_seconds",
        "display_math_seconds", "inline_math_seconds",
    }
