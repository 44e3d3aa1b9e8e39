"""House rules, pinned: how the repository is laid out and what it may refer to.

* Test modules share code through ``tests/helpers/`` and ``tests/conftest.py`` only, never by
  importing each other.
* Product functions (``parkwatch/``, ``scrapers/``, ``dags/``) fit in 60 lines: longer ones become named steps.
* The top of ``parkwatch/`` is ``__init__.py``, ``config.py``, ``pipeline.py`` and one folder per stage;
  every package folder opens with a docstring saying what it is for.
* Nothing refers to a file outside the repository. The one exception: tests may read the optional
  seed texts next to the checkout (they skip without them).
"""
from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
PACKAGE = ROOT / "parkwatch"
PRODUCT_DIRS = ("parkwatch", "scrapers", "dags")
MAX_FUNCTION_LINES = 60
PACKAGE_TOP_FILES = {"__init__.py", "config.py", "pipeline.py"}

# spelled so that this file does not match itself
MISSING_DOC = re.compile(r"DESIGN\.md")
OUTSIDE = re.compile(r"""(?:\.\./|/work/)shared\b|/\s*["']shared["']|["']shared["']\s*/""")
SEEDS_AFTER = re.compile(r"""[\s"'/]*seeds\b""")


def _python_files(top: Path) -> list[Path]:
    return sorted(p for p in top.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _test_module_imports(path: Path) -> list[str]:
    """Imports in ``path`` that reach another test module (or conftest) instead of tests.helpers."""
    in_helpers = (TESTS / "helpers") in path.parents
    bad = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            if not in_helpers:
                bad.append(f"{_rel(path)}:{node.lineno}: relative import from {'.' * node.level}{node.module or ''}")
            continue
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            from_tests = parts[0] == "tests" and parts[1:2] != ["helpers"]
            test_like = any(p.startswith("test_") or p == "conftest" for p in parts)
            if from_tests or test_like:
                bad.append(f"{_rel(path)}:{node.lineno}: imports {name}")
    return bad


def test_no_test_module_imports_another():
    bad = [b for path in _python_files(TESTS) for b in _test_module_imports(path)]
    assert not bad, "share helpers through tests/helpers/ or a conftest fixture:\n" + "\n".join(bad)


def _long_functions() -> list[str]:
    out = []
    for top in PRODUCT_DIRS:
        for path in _python_files(ROOT / top):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        out.append(f"{_rel(path)}:{node.lineno} {node.name} ({lines} lines)")
    return out


def test_no_product_function_over_60_lines():
    long = _long_functions()
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (split them into named steps):\n" + "\n".join(long)


def test_package_top_level_is_config_pipeline_and_stage_folders():
    stray = sorted(p.name for p in PACKAGE.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.name not in PACKAGE_TOP_FILES)
    assert not stray, f"parkwatch/ holds only {sorted(PACKAGE_TOP_FILES)} and folders; move these into a stage: {stray}"


def test_every_package_folder_opens_with_a_docstring():
    folders = sorted(p for p in PACKAGE.rglob("*") if p.is_dir() and "__pycache__" not in p.parts)
    assert folders
    bad = []
    for folder in folders:
        init = folder / "__init__.py"
        if not init.exists():
            if any(folder.glob("*.py")):
                bad.append(f"{_rel(folder)}: Python modules but no __init__.py")
            continue
        if not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))):
            bad.append(f"{_rel(init)}: no docstring")
    assert not bad, "each package says what it takes and gives in its __init__ docstring:\n" + "\n".join(bad)


def _repository_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.decode("utf-8").split("\0") if name]


def _outside_references(rel: str, text: str) -> list[str]:
    bad = []
    for number, line in enumerate(text.splitlines(), 1):
        if MISSING_DOC.search(line):
            bad.append(f"{rel}:{number}: {line.strip()[:120]}")
            continue
        for match in OUTSIDE.finditer(line):
            # tests read the optional seed texts beside the checkout, and skip without them
            if rel.startswith("tests/") and SEEDS_AFTER.match(line, match.end()):
                continue
            bad.append(f"{rel}:{number}: {line.strip()[:120]}")
            break
    return bad


def test_nothing_refers_to_files_outside_the_repository():
    bad = []
    for path in _repository_files():
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue
        bad += _outside_references(_rel(path), data.decode("utf-8", errors="replace"))
    assert not bad, "the repository stands alone; say the fact here instead of pointing outside:\n" + "\n".join(bad)


def test_the_reference_scan_tells_seeds_from_other_outside_files():
    assert _outside_references("tests/unit/x.py", 'SEEDS = ROOT.parent / "shared" / "seeds"') == []
    assert _outside_references("tests/gold/README.md", "label the seed pages in `../shared/seeds/`") == []
    assert _outside_references("tests/unit/x.py", 'PEERS = ROOT.parent / "sh' + 'ared" / "peers"')
    assert _outside_references("parkwatch/x.py", "# see ../shared/seeds/")
    assert _outside_references("README.md", "see " + "DESIGN" + ".md")
