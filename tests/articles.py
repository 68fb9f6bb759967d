"""Reading the articles in posts/ as MyST tokens (front matter, code blocks, prose), and
running their Python blocks as a reader would (``python tests/articles.py posts/...`` runs
an article's blocks as the tests do and prints what differs)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from helpers import REPO

POSTS = sorted((REPO / "posts").glob("*/*.md"))
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
PYTHON = {"python", "py", "python3"}


@dataclass(frozen=True)
class CodeBlock:
    path: Path
    line: int
    language: str
    classes: tuple[str, ...]
    code: str

    def __str__(self) -> str:
        path = self.path.relative_to(REPO) if self.path.is_relative_to(REPO) else self.path
        return f"{path}:{self.line}"


@cache
def _parser():
    config = MdParserConfig(enable_extensions={"amsmath", "colon_fence", "deflist", "dollarmath", "fieldlist"})
    return create_md_parser(config, RendererHTML)


@cache
def tokens(path: Path):
    return _parser().parse(path.read_text(encoding="utf-8"))


def code_blocks(path: Path) -> list[CodeBlock]:
    blocks = []
    for token in tokens(path):
        if token.type != "fence":
            continue
        info = token.info.strip()
        directive = re.match(r"\{(code-block|code|sourcecode)\}\s*(\S*)", info)
        plot = info == "{plot}"  # a plot's code runs at build time too (zhiyuan/pages/plots.py)
        language = "python" if plot else directive.group(2) if directive else info.split()[0] if info else ""
        if info.startswith("{") and not directive and not plot:
            continue  # another directive, e.g. {math}
        lines = token.content.split("\n")
        classes: tuple[str, ...] = ()
        if directive or plot:
            while lines and lines[0].startswith(":"):
                option = lines.pop(0)
                if option.startswith(":class:") and not plot:  # a plot's classes are its image's
                    classes = tuple(option.split(":", 2)[2].split())
            if lines and not lines[0].strip():
                lines.pop(0)
        blocks.append(CodeBlock(path, token.map[0] + 1, language, classes, "\n".join(lines)))
    return blocks


def prose_characters(path: Path) -> int:
    """Chinese characters of prose: text outside code, math and front matter."""
    count = 0
    for token in tokens(path):
        if token.type == "inline":
            count += sum(len(CJK.findall(child.content)) for child in token.children if child.type == "text")
    return count


# ---------------------------------------------------------------------------
# Running the articles' Python blocks as a reader would
# ---------------------------------------------------------------------------

PYCON = {"pycon"}

#: A Python block that cannot run on a CI machine says why with one of these classes.
NOT_RUN_REASONS = {
    "needs-gpu": "needs a CUDA GPU",
    "needs-cluster": "needs several processes or nodes (torchrun, NCCL)",
    "needs-network": "needs an online service or an API key",
}
#: Every class a Python block may carry.
BLOCK_CLASSES = {"runnable", "continues", *NOT_RUN_REASONS}

#: OpenBLAS kernels to try for the second run, in order of preference; the first
#: one that differs from the kernel the machine picks is used.
_OTHER_BLAS_KERNELS = ("Sandybridge", "Nehalem")


def python_blocks(path: Path) -> list[CodeBlock]:
    """The article's Python scripts and interactive sessions (``pycon``), in order."""
    return [b for b in code_blocks(path) if b.language in PYTHON | PYCON]


def not_run_reason(block: CodeBlock) -> str | None:
    """Why *block* is not run in CI, or None when it is."""
    reasons = [NOT_RUN_REASONS[c] for c in block.classes if c in NOT_RUN_REASONS]
    return reasons[0] if reasons else None


def output_block(block: CodeBlock) -> CodeBlock | None:
    """The block that follows *block* in its article (a ``runnable`` block's expected output)."""
    blocks = code_blocks(block.path)
    index = blocks.index(block)
    return blocks[index + 1] if index + 1 < len(blocks) else None


# Printed between the blocks of a ``continues`` chain: what a block shows is what it printed
# after the blocks it continues had run.
_END_OF_EARLIER_BLOCKS = "\x1e(end of the earlier blocks)"


def program(block: CodeBlock) -> str:
    """What runs for *block*: its code, after the chain of blocks it ``continues``."""
    blocks = [b for b in python_blocks(block.path) if b.language in (PYCON if block.language in PYCON else PYTHON)]
    chain = [block]
    while "continues" in chain[0].classes:
        index = blocks.index(chain[0])
        assert index > 0, f"{chain[0]}: 'continues', but no earlier block of its kind"
        chain.insert(0, blocks[index - 1])
    if block.language in PYCON:
        return "\n\n".join(b.code for b in chain)  # one doctest session checks every output
    separator = f"\n\nprint({_END_OF_EARLIER_BLOCKS!r}, flush=True)\n\n"
    return separator.join(b.code for b in chain)


def own_output(stdout: str) -> str:
    """What the last block of a program printed (all of it, for a block that continues none)."""
    return stdout.rpartition(_END_OF_EARLIER_BLOCKS + "\n")[2]


# doctest's own parser and runner over a pycon block, in a fresh interpreter.
_DOCTEST_DRIVER = """\
import doctest, sys
name = sys.argv[2]
text = open(sys.argv[1], encoding="utf-8").read()
test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, name, name, 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
runner.run(test)
sys.exit(1 if runner.failures else 0)
"""


def _command(block: CodeBlock, code: str, cwd: Path) -> list[str]:
    if block.language in PYCON:
        session = cwd / "session.pycon"
        session.write_text(code, encoding="utf-8")
        return [sys.executable, "-c", _DOCTEST_DRIVER, str(session), str(block)]
    return [sys.executable, "-c", code]


def _base_env() -> dict[str, str]:
    # breakpoint() in an article must not stop the run; the hash seed is fixed
    # per run so that a block printing a set's order fails the comparison.
    # Matplotlib draws without a display, as a {plot} block's code runs in the build.
    return {**os.environ, "PYTHONBREAKPOINT": "0", "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8",
            "MPLBACKEND": "agg"}


@cache
def blas_kernel(coretype: str | None) -> str | None:
    """The OpenBLAS kernel NumPy runs under OPENBLAS_CORETYPE=*coretype* (None: as the machine sets it)."""
    env = _base_env()
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    probe = "import numpy, threadpoolctl; print(*{i.get('architecture') for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas'})"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    return result.stdout.strip() or None


@cache
def other_kernels_env() -> dict[str, str]:
    """The environment of the second run: other numerical kernels, as another CPU would pick.

    Another OpenBLAS kernel (where the machine offers one), PyTorch's portable
    kernels instead of AVX2/AVX-512, oneDNN's kernels at most AVX2 (PyTorch's
    oneDNN-backed CPU work, BF16 attention among it, picks AMX where the CPU has it,
    and then fails under the portable kernels: "pack_vnni2 is only supported when
    avx512 is supported"), MKL limited to SSE4.2, one thread, and another hash seed.
    """
    env = {**_base_env(), "ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "AVX2",
           "MKL_ENABLE_INSTRUCTIONS": "SSE4_2", "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "1"}
    usual = blas_kernel(None)
    for coretype in _OTHER_BLAS_KERNELS:
        kernel = blas_kernel(coretype)
        if kernel and kernel != usual:
            env["OPENBLAS_CORETYPE"] = coretype
            break
    return env


def run_block(block: CodeBlock, cwd: Path, timeout: float = 120) -> tuple[subprocess.CompletedProcess, ...]:
    """Run *block* as a reader would, and again under other kernels when it is ``runnable``.

    The two runs go side by side (the machines have two cores); each gets its own
    working directory under *cwd*.  Their ``stdout`` is what the block itself printed.
    """
    code = program(block)
    envs = [_base_env()]
    if "runnable" in block.classes or block.language in PYCON:
        envs.append(other_kernels_env())
    processes = []
    for i, env in enumerate(envs):
        folder = cwd / f"run{i}"
        folder.mkdir()
        processes.append(subprocess.Popen(
            _command(block, code, folder), cwd=folder, env=env, text=True, encoding="utf-8",
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        ))
    results = []
    for process in processes:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            stderr += f"\n(killed after {timeout} s)"
        results.append(subprocess.CompletedProcess(process.args, process.returncode, own_output(stdout), stderr))
    return tuple(results)


#: The two runs of a ``runnable`` block, in the order :func:`run_block` returns them.
KERNELS = ("the usual kernels", "other kernels")


def problems(block: CodeBlock, results: tuple[subprocess.CompletedProcess, ...]) -> list[str]:
    """What is wrong with *block*'s runs: a run that failed, or a ``runnable`` block that has no
    ``runnable-output`` block after it or printed something else."""
    expected = output_block(block) if "runnable" in block.classes else None
    if "runnable" in block.classes and (expected is None or "runnable-output" not in expected.classes):
        return [f"{block}: no runnable-output block follows"]
    found = []
    for result, kernels in zip(results, KERNELS):
        if result.returncode != 0:
            found.append(f"{block} failed under {kernels} (exit {result.returncode}):\n{result.stdout}{result.stderr}")
        elif expected is not None and result.stdout.rstrip() != expected.code.rstrip():
            found.append(f"{block} under {kernels} printed:\n{result.stdout}")
    return found


def _check(paths: list[str]) -> int:
    """Run every Python block of the given articles as the tests do; print what differs."""
    import tempfile
    import time

    print("second run:", {k: v for k, v in other_kernels_env().items() if k in (
        "OPENBLAS_CORETYPE", "ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS",
        "OMP_NUM_THREADS")})
    failures = 0
    for name in paths:
        for block in python_blocks(Path(name).resolve()):
            reason = not_run_reason(block)
            if reason:
                print(f"{block}: not run ({reason})")
                continue
            start = time.perf_counter()
            with tempfile.TemporaryDirectory() as folder:
                found = problems(block, run_block(block, Path(folder)))
            print(f"{block}: {'FAIL' if found else 'ok'} ({time.perf_counter() - start:.1f} s)")
            for problem in found:
                print("   " + problem.replace("\n", "\n   "))
            failures += bool(found)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(_check(sys.argv[1:]))
