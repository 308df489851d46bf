"""Issue 9's member-page faults: filters folded away on a phone, interests grouped and
sorted, ids unique on the edit page, deletion styled as danger."""

from __future__ import annotations

import re
from collections import Counter

from hallway.members import vocabulary
from tests.factories import make_profile, make_user


def html_of(person, url: str) -> str:
    response = person.client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- the directory -----------------------------------------------------------------------


def filter_panel(page: str) -> str:
    found = re.search(r'<details class="directory-filter-panel"[^>]*>', page)
    assert found, "the filters are in a disclosure"
    return found.group(0)


def test_directory_filters_are_folded_until_one_is_used(logged_in):
    assert " open" not in filter_panel(html_of(logged_in, "/members"))
    # The search words are not in the panel: searching leaves it folded.
    assert " open" not in filter_panel(html_of(logged_in, "/members?q=moodle"))
    page = html_of(logged_in, "/members?stage=novice&country=CA")
    assert " open" in filter_panel(page)
    assert "More filters (2 in use)" in page


def test_directory_search_box_comes_before_the_filters_and_results_follow(logged_in, session):
    make_profile(session, make_user(session, display_name="Ola Listed", handle="ola"))
    session.commit()
    page = html_of(logged_in, "/members")
    assert page.index('id="filter-q"') < page.index("directory-filter-panel")
    row = page[page.index('<li class="list-row member-row">') :]
    row = row[: row.index("</li>\n")]
    assert "Ola Listed" in row and "ui-avatar" in row and "Mid-career" in row


def test_directory_badge_shows_members_open_to_requests_only(logged_in, session):
    make_profile(
        session, make_user(session, display_name="Opal Open", handle="opal"), matchable=True
    )
    make_profile(session, make_user(session, display_name="Cass Closed", handle="cass"))
    session.commit()
    page = html_of(logged_in, "/members")
    rows = {
        name: page[page.index(name) :].split("</li>", 1)[0] for name in ("Opal Open", "Cass Closed")
    }
    assert "Open to requests" in rows["Opal Open"]
    assert "ui-badge-success" in rows["Opal Open"]
    assert "Open to requests" not in rows["Cass Closed"]


# --- interests: grouped and sorted -------------------------------------------------------


def test_every_curated_interest_is_in_exactly_one_group():
    grouped = [tag for _name, tags in vocabulary.INTEREST_GROUPS for tag in tags]
    assert Counter(grouped) == Counter(vocabulary.INTEREST_TAGS)


def test_welcome_groups_the_interests_sorted_and_folded(logged_in):
    page = html_of(logged_in, "/welcome")
    groups = re.findall(r'<details class="interest-group"( open)?>\s*<summary>([^<]+)', page)
    assert [name.strip() for _open, name in groups] == [
        name for name, _tags in vocabulary.INTEREST_GROUPS
    ]
    assert not any(is_open for is_open, _name in groups)  # nothing chosen yet: all folded
    for name, tags in vocabulary.INTEREST_GROUPS:
        block = page[page.index(f"<summary>{name}") :].split("</details>", 1)[0]
        shown = re.findall(r'name="interests" type="checkbox" value="([^"]+)"', block)
        shown = [value.replace("&amp;", "&") for value in shown]
        assert shown == sorted(tags, key=str.casefold), name


def test_an_interest_already_chosen_opens_its_group(logged_in, session, member):
    make_profile(session, member, interests=["H5P"])
    session.commit()
    page = html_of(logged_in, "/profile/edit")
    assert '<details class="interest-group" open>\n        <summary>Media and authoring' in page
    assert '<details class="interest-group">\n        <summary>Open education' in page


# --- the edit page ----------------------------------------------------------------------


def test_the_edit_page_has_unique_ids_and_a_labelled_region(logged_in):
    page = html_of(logged_in, "/profile/edit")
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    assert '<label for="region">Province, state or region</label>' in page
    assert re.search(r'<select [^>]*id="region"', page)
    # A save bar that stays on screen, in the form.
    form = page[page.index('class="profile-form"') :]
    form = form[: form.index("</form>")]
    assert 'class="form-actions sticky-save"' in form
    assert ">Save profile</button>" in form


def test_the_delete_page_is_styled_as_danger(logged_in):
    page = html_of(logged_in, "/account/delete")
    assert '<button class="btn btn-danger" type="submit">Delete my account</button>' in page
    assert 'class="danger-notice"' in page
