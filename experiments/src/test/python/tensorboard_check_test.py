"""Proves tensorboard_check.py on event files written by TensorBoard's own writer
(tensorboard_fake.py): a folder that keeps the contract passes every check, and each known defect
fails them with one line. No Java needed; a few seconds.

    "$(scripts/venv.sh tensorboard)/bin/python" experiments/src/test/python/tensorboard_check_test.py
"""

import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[3]
SOURCES = [ROOT / "docs/results/paper/cells" / f"{c}.json" for c in ("plain-12-seed0", "residual-12-seed0")]
# fault -> the checks that must reject it ("same" compares with the good folder)
FAULTS = {
    "wrong-value": ["values", "same", "server"],
    "missing-step": ["records", "values", "same", "stopped"],
    "duplicate-step": ["records", "values", "same"],
    "corrupt-byte": ["records", "same"],
    "truncated": ["records", "same"],
    "wrong-hparam": ["values", "same"],
    "epoch-step": ["records", "values", "same"],
    "two-files": ["records", "values", "same"],
    "histogram": ["values", "same"],
}


def check(*args):
    return subprocess.run(
        [sys.executable, str(HERE / "tensorboard_check.py"), *map(str, args)], capture_output=True, text=True
    )


def fake(run, fault=None):
    command = [sys.executable, str(HERE / "tensorboard_fake.py"), str(run), *map(str, SOURCES)]
    subprocess.run(command + (["--fault", fault] if fault else []), check=True)


def main():
    problems = []
    with tempfile.TemporaryDirectory(prefix="tensorboard-check-test-") as tmp:
        good = pathlib.Path(tmp) / "good"
        fake(good)
        for args in (
            ["records", good],
            ["stopped", good, "plain-12-seed0", 20],
            ["values", good],
            ["same", good / "tensorboard", good / "tensorboard"],
            ["server", good / "tensorboard"],
        ):
            done = check(*args)
            if done.returncode != 0:
                problems.append(f"{args[0]} fails on the good folder: {done.stderr.strip() or done.stdout.strip()}")
        done = check("stopped", good, "plain-12-seed0", 19)  # the file has 20 steps
        if done.returncode != 1:
            problems.append(f"stopped at 19 steps passes a file of 20: {done.stdout.strip()}")
        for fault, checks in FAULTS.items():
            run = pathlib.Path(tmp) / fault
            fake(run, fault)
            for name in checks:
                args = {
                    "same": ["same", good / "tensorboard", run / "tensorboard"],
                    "server": ["server", run / "tensorboard", "--wait", "10"],
                    "stopped": ["stopped", run, "plain-12-seed0", 20],
                }.get(name, [name, run])
                done = check(*args)
                lines = done.stderr.strip().splitlines()
                if done.returncode != 1 or len(lines) != 1 or not lines[0].startswith("tensorboard_check: FAILED: "):
                    problems.append(f"{name} on {fault}: exit {done.returncode}, stderr {lines!r}")
                else:
                    print(f"  {fault:15} {name:8} rejects it: {lines[0][len('tensorboard_check: FAILED: '):][:110]}")
    for problem in problems:
        print(f"tensorboard_check_test: FAILED: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"tensorboard_check_test: the good folder passes records, stopped, values, same and server; {len(FAULTS)} defects are each rejected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
