"""A synthetic corpus of Chinese technical posts, the same for every run with the same seed."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

CATEGORIES = ["Python", "Large Model", "Reinforcement Learning", "Machine Learning"]
TAGS = ["python", "pytorch", "llm", "rlhf", "attention", "optimization", "distributed-training",
        "reinforcement-learning", "generative-models", "inference", "memory-optimization", "math"]
SUBJECTS = ["模型", "优化器", "梯度", "注意力机制", "策略网络", "价值函数", "损失函数", "训练过程",
            "数据加载器", "分布式训练", "显存占用", "学习率", "奖励信号", "采样算法", "参数更新"]
VERBS = ["决定了", "影响着", "依赖于", "改变了", "限制了", "提升了", "降低了", "反映了", "约束了"]
OBJECTS = ["收敛速度", "最终精度", "数值稳定性", "推理延迟", "泛化能力", "计算开销", "内存带宽",
           "样本效率", "方差大小", "训练吞吐"]
CONNECTIVES = ["因此", "然而", "换句话说", "在实践中", "具体来说", "值得注意的是", "与此相对", "进一步地"]
CODE = '''```python
def step(params, grads, lr={lr}):
    """One plain SGD step over a dict of parameters."""
    return {{name: value - lr * grads[name] for name, value in params.items()}}

print(step({{"w": 1.0}}, {{"w": 0.5}}))
```'''
MATH = r'''$$
\mathcal{{L}}(\theta) = \frac{{1}}{{N}} \sum_{{i=1}}^{{N}} \ell\big(f_\theta(x_i), y_i\big) + {k}\lambda \lVert \theta \rVert_2^2
$$'''


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(CONNECTIVES)}，{rng.choice(SUBJECTS)}{rng.choice(VERBS)}"
            f"{rng.choice(OBJECTS)}，而 $x_{rng.randint(1, 9)}$ 的取值{rng.choice(VERBS)}{rng.choice(OBJECTS)}。")


def _paragraph(rng: random.Random) -> str:
    return "".join(_sentence(rng) for _ in range(rng.randint(4, 8)))


def post_text(index: int, seed: int = 0, *, title_suffix: str = "", extra: str = "") -> tuple[str, str]:
    """(relative path, text) of synthetic post *index*."""
    rng = random.Random(seed * 100_003 + index)
    date = dt.date(2024, 1, 1) + dt.timedelta(days=index % 900)
    slug = f"post-{index:04d}"
    tags = ", ".join(sorted(rng.sample(TAGS, 3)))
    sections = []
    for number in range(1, 4):
        body = [_paragraph(rng), _paragraph(rng)]
        if number == 2:
            body.append(CODE.format(lr=rng.choice(["0.1", "0.01", "0.001"])))
        if number == 3:
            body.append(MATH.format(k=rng.randint(1, 9)))
        sections.append(f"## 第 {number} 节：{rng.choice(SUBJECTS)}与{rng.choice(OBJECTS)}\n\n" + "\n\n".join(body))
    text = (
        f"---\ndate: {date.isoformat()}\ncategory: {rng.choice(CATEGORIES)}\ntags: {tags}\n---\n\n"
        f"({slug})=\n# 第 {index} 篇：{rng.choice(SUBJECTS)}如何{rng.choice(VERBS)}{rng.choice(OBJECTS)}{title_suffix}\n\n"
        + _paragraph(rng) + "\n\n" + "\n\n".join(sections) + "\n" + extra
    )
    return f"{date.year}/{slug}.md", text


def write_corpus(posts_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write *count* posts under *posts_dir*; return their paths."""
    paths = []
    for index in range(count):
        relative, text = post_text(index, seed)
        path = posts_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
