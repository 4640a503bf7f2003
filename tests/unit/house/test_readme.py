"""The README is the front door: short enough to finish, and every relative link in it, in
docs/ and in benchmarks/README.md leads to a file of the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
README = REPO / "README.md"
MAX_README_LINES = 150

_FENCED = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+).*?\1", re.DOTALL)
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def documents() -> list[Path]:
    return [README, *sorted((REPO / "docs").glob("*.md")), REPO / "benchmarks" / "README.md"]


def link_targets(markdown: str) -> list[str]:
    """The targets of inline links, images and link definitions, outside code."""
    prose = _CODE_SPAN.sub("", _FENCED.sub("", markdown))
    return [*_INLINE_LINK.findall(prose), *_REFERENCE.findall(prose)]


def broken_links(document: Path, repo: Path = REPO) -> list[str]:
    """Each relative link of `document` whose file part is missing or lies outside `repo`.
    Links with a scheme (https:, mailto:) and links to an anchor of the same page are not
    files of the repository, and are left alone."""
    broken = []
    for target in link_targets(document.read_text(encoding="utf-8")):
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not path or _SCHEME.match(path):
            continue
        resolved = (document.parent / path).resolve()
        if not resolved.is_relative_to(repo.resolve()):
            broken.append(f"{target} (outside the repository)")
        elif not resolved.exists():
            broken.append(f"{target} (no such file)")
    return broken


def test_the_readme_is_at_most_150_lines() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines"


def test_the_documents_checked_include_the_readme_and_the_docs_folder() -> None:
    checked = documents()
    assert all(document.is_file() for document in checked)
    assert len(checked) >= 3  # the README, at least one page of docs/, benchmarks/README.md


@pytest.mark.parametrize("document", documents(), ids=lambda d: str(d.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_of_the_repository(document: Path) -> None:
    assert broken_links(document) == []


def test_a_link_to_a_missing_file_or_outside_the_repository_is_reported(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "here.md").write_text("# here\n", encoding="utf-8")
    page = repo / "docs" / "page.md"
    page.write_text(
        "[kept](here.md#here) [same page](#top) [web](https://example.com/x.md)\n"
        "![picture](gone.png) [spec](../../shared/spec.md) [up](../README.md)\n"
        "`[in code](missing.md)`\n\n```\n[in a block](missing.md)\n```\n\n[ref]: nowhere.md\n",
        encoding="utf-8",
    )
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "spec.md").write_text("outside\n", encoding="utf-8")

    assert broken_links(page, repo) == [
        "gone.png (no such file)",
        "../../shared/spec.md (outside the repository)",
        "../README.md (no such file)",
        "nowhere.md (no such file)",
    ]
