"""The pull-request comment: a table first, identical changes once, and never past GitHub's limit."""

from __future__ import annotations

from generator.diff.changes import EnvDiff, ObjectChange
from generator.diff.markdown import COMMENT_LIMIT, LINES_PER_OBJECT, render_markdown
from generator.diff.objects import HELM, ObjectKey


def added(app: str, name: str, lines: int = 20, tag: str = "") -> ObjectChange:
    body = tuple(f"+line {i} {tag}" for i in range(lines))
    return ObjectChange(app, ObjectKey("ConfigMap", "ns", name), "added", ("--- /dev/null", *body), HELM)


def test_the_table_counts_every_environment_and_application() -> None:
    dev = EnvDiff("dev", "old", "new", [added("a", "x"), added("b", "y")])
    prod = EnvDiff("prod", "old", "new", [])
    markdown = render_markdown([dev, prod])
    assert markdown.index("| dev | a | 1 | 0 | 0 |") < markdown.index("<details>")
    assert "| dev | b | 1 | 0 | 0 |" in markdown
    assert "| prod | *no changes* | 0 | 0 | 0 |" in markdown


def test_an_identical_change_is_shown_once_naming_its_environments() -> None:
    dev = EnvDiff("dev", "old", "new", [added("a", "x"), added("a", "host", tag="dev")])
    prod = EnvDiff("prod", "old", "new", [added("a", "x"), added("a", "host", tag="prod")])
    markdown = render_markdown([dev, prod])
    assert markdown.count("`ConfigMap ns/x`") == 1
    assert "**+ `ConfigMap ns/x`** added in dev, prod" in markdown
    assert markdown.count("`ConfigMap ns/host`") == 2  # different in each: shown for each


def test_over_the_budget_objects_are_left_out_with_a_note() -> None:
    changes = [added(f"app{i % 3}", f"cm{i}", lines=200) for i in range(60)]
    diff = EnvDiff("dev", "old", "new", changes)
    markdown = render_markdown([diff])
    assert len(markdown) <= COMMENT_LIMIT
    assert "| dev | app0 | 20 | 0 | 0 |" in markdown  # the table counts them all
    shown = markdown.count("**+ `ConfigMap")
    assert 0 < shown < 60
    assert f"**{60 - shown} of 60 object diffs are not shown**" in markdown
    assert markdown.count("<details>") == markdown.count("</details>")


def test_within_the_budget_nothing_is_left_out() -> None:
    diff = EnvDiff("dev", "old", "new", [added("a", f"cm{i}") for i in range(10)])
    markdown = render_markdown([diff])
    assert markdown.count("**+ `ConfigMap") == 10
    assert "not shown" not in markdown


def test_a_long_object_is_cut_so_it_cannot_crowd_out_the_others() -> None:
    diff = EnvDiff("dev", "old", "new", [added("a", "big", lines=LINES_PER_OBJECT + 50)])
    markdown = render_markdown([diff])
    assert "… 51 more lines: run `platformc diff` locally" in markdown


def test_summary_is_the_table_alone() -> None:
    diff = EnvDiff("dev", "old", "new", [added("a", "x")])
    markdown = render_markdown([diff], summary=True)
    assert "| dev | a | 1 | 0 | 0 |" in markdown and "<details>" not in markdown


def test_a_table_of_thousands_of_applications_is_cut_too() -> None:
    diff = EnvDiff("dev", "old", "new", [added(f"application-{i}", "x", lines=1) for i in range(5000)])
    markdown = render_markdown([diff])
    assert len(markdown) <= COMMENT_LIMIT
    assert "more rows: run `platformc diff --summary`" in markdown
    assert "| dev | application-0 | 1 | 0 | 0 |" in markdown
