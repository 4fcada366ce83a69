"""`python -m bench [NAME ...]`: run every bench/bench_*.py module (or the named ones).

Each module has ``main() -> None`` that prints its figures and ratios.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    here = Path(__file__).parent
    modules = sorted(p.stem for p in here.glob("bench_*.py"))
    chosen = [m for m in modules if not names or m.removeprefix("bench_") in names]
    if not chosen:
        sys.exit(f"no benchmark named {' '.join(names)}; there are: {' '.join(modules)}")
    for name in chosen:
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
