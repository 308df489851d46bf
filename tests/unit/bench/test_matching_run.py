"""`make bench-matching` end to end on a tiny population: every step runs against the
real engine and the section lands in the report, keeping what `make bench` wrote."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from hallway.bench import matching


def test_a_tiny_run_writes_every_part_of_the_section(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    output.write_text("# Benchmarks\n\nPages.\n\n## Before (issue 8, for comparison)\n\nOld.\n")
    argv = [
        "--sizes", "120,300", "--queries", "20", "--event-size", "100",
        "--mentees", "40", "--mentors", "15", "--quality-members", "250",
        "--output", str(output),
    ]  # fmt: skip
    args = matching.parse_args(argv)
    results = matching.run(args, Console(quiet=True))

    assert [item.members for item in results.speed] == [120, 300]
    small, large = results.speed
    assert len(large.query_ms) == 20 and large.empty_queries < 20
    assert large.event_attendees == 100 and len(large.event_ms) == 100
    assert large.array_bytes > 0
    mentoring = results.mentoring
    assert mentoring is not None and mentoring.mentees == 40 and mentoring.mentors == 15
    assert mentoring.optimal_assigned >= mentoring.greedy_assigned
    if mentoring.optimal_assigned == mentoring.greedy_assigned:
        assert mentoring.optimal_total >= mentoring.greedy_total - 1e-9
    assert results.quality is not None
    names = list(results.quality.scores)
    assert names[:3] == [
        "Hallway",
        "Hallway, synonyms held out",
        "Hallway, every known synonym held out",
    ]
    assert 0 < len(results.quality.held_out) < results.quality.all_held_out
    assert {"random", "tag overlap", "bio similarity (TF-IDF cosine)"} <= set(names)
    assert not results.quality.notes and not results.problems

    matching.write_section(
        output, matching.render_section(results, "python -m hallway.bench.matching")
    )
    text = output.read_text()
    assert text.startswith("# Benchmarks\n\nPages.") and text.endswith("Old.\n")
    section = text[text.index(matching.SECTION_START) : text.index(matching.SECTION_END)]
    expected = ["## Matching", "### Suggestions and the index", "### Mentoring round"]
    expected += ["### Quality on labelled members", "Machine:", "python -m hallway.bench.matching"]
    for heading in expected:
        assert heading in section
    # The command line writes the section again: replaced, not added.
    skip_all = ["--skip-speed", "--skip-round", "--skip-quality", "--output", str(output)]
    assert matching.main(skip_all) == 0
    text = output.read_text()
    assert text.count(matching.SECTION_START) == 1
    assert "### Mentoring round" not in text and text.endswith("Old.\n")
