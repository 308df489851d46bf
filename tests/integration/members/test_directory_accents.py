from tests.factories import make_profile, make_user


def test_directory_search_ignores_case_in_accented_names(logged_in, session):
    tomas = make_user(session, display_name="Tomás Herrera", handle="tomas")
    make_profile(session, tomas, visibility="members")
    session.commit()
    for query in ("TOMÁS", "tomás", "Herrera"):
        page = logged_in.client.get(f"/members?q={query}").get_data(as_text=True)
        assert "Tomás Herrera" in page, query
