"""A comment's stored article is language-neutral: times, then the body; the words
around them are added in each reader's language (discussions.rendering)."""

from datetime import UTC, datetime
from types import SimpleNamespace

from hallway.discussions.fragments import HEADER_END, comment_fragment, stored_times

WRITTEN = datetime(2026, 11, 29, 14, 5, 7, tzinfo=UTC)
EDITED = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)


def row(**changes):
    values = dict(
        id=5,
        thread_id=2,
        body_html="<p>Hello</p>",
        created_at=WRITTEN,
        edited_at=None,
        deleted_at=None,
    )
    return SimpleNamespace(**{**values, **changes})


def test_the_stored_part_holds_times_and_body_but_no_words():
    stored = comment_fragment(row(edited_at=EDITED))
    meta, _, body = stored.partition(HEADER_END)
    assert body == '<div class="comment-body"><p>Hello</p></div>'
    assert stored_times(meta) == (WRITTEN, EDITED)
    for word in ("Link to this comment", "edited", "UTC", "<a", "<time"):
        assert word not in meta


def test_an_unedited_comment_has_no_edit_time():
    meta = comment_fragment(row()).partition(HEADER_END)[0]
    assert stored_times(meta) == (WRITTEN, None)


def test_a_deleted_comment_stores_nothing():
    assert comment_fragment(row(deleted_at=EDITED)) == ""


def test_articles_stored_before_in_english_markup_still_give_their_times():
    old = (
        '<a class="permalink" href="/t/2/comments/5#comment-5" title="Link to this comment">'
        '<time datetime="2026-11-29T14:05:07+00:00">29 Nov 2026, 14:05 UTC</time></a>'
        ' · <span class="edited" title="Edited 29 Nov 2026, 15:30 UTC">edited</span>'
    )
    assert stored_times(old) == (WRITTEN, EDITED)
