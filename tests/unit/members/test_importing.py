"""Reading a registration export: headers in many spellings, problems by line number."""

from hallway.members.importing import check_csv, column_name

HEADER = "Name,E-mail,Organization,Job title,Career stage,Interests,Networks\n"


def test_common_header_spellings_map_to_fields():
    assert [column_name(h) for h in ("E-mail", "Organization", "Career stage", "Time zone")] == [
        "email", "organisation", "career_stage", "time_zone",
    ]  # fmt: skip


def test_a_good_file_gives_rows_with_their_line_numbers():
    checked = check_csv(
        HEADER
        + "Ana Lima,ana@example.org,Uni,ID,novice,OER; H5P,ALT\n"
        + "\n"
        + 'Bo Chen,bo@example.org,"Acme, Inc.",LXD,Mid-career,,\n'
    )
    assert checked.errors == []
    assert [line for line, _ in checked.rows] == [2, 4]
    assert checked.rows[0][1]["interests"] == ["OER", "H5P"]
    assert checked.rows[1][1]["organisation"] == "Acme, Inc."
    assert checked.rows[1][1]["career_stage"] == "career"


def test_bad_rows_are_reported_with_line_numbers_and_fields():
    checked = check_csv(
        HEADER
        + "Ana Lima,ana@example.org,Uni,ID,novice,,\n"
        + "Bo Chen,not-an-email,Uni,ID,wizard,,\n"
        + "Ana Again,ANA@example.org,Uni,ID,novice,,\n"
    )
    assert (3, "email: Not a valid email address.") in checked.errors
    assert any(line == 3 and "career_stage" in text for line, text in checked.errors)
    assert (4, "email: ana@example.org is already on line 2.") in checked.errors
    assert [line for line, _ in checked.rows] == [2]


def test_multi_line_cells_keep_line_numbers_right():
    checked = check_csv(
        "name,email,career_stage,headline\n"
        + 'Ana,ana@example.org,novice,"two\nlines"\n'
        + "Bo,bad,novice,x\n"
    )
    assert [line for line, _ in checked.errors] == [4]


def test_missing_required_columns_stop_the_check():
    checked = check_csv("name,organisation\nAna,Uni\n")
    assert checked.errors == [(1, "Missing column(s): email.")]


def test_unknown_columns_are_ignored_and_named():
    checked = check_csv("name,email,career_stage,ticket type\nAna,a@example.org,novice,VIP\n")
    assert checked.ignored_columns == ["ticket type"]
    assert len(checked.rows) == 1


def test_semicolon_separated_files_are_read():
    checked = check_csv("name;email;career_stage;interests\nAna;a@example.org;novice;OER, H5P\n")
    assert checked.rows[0][1]["interests"] == ["OER", "H5P"]


def test_region_and_country_are_read_as_codes():
    checked = check_csv(
        "name,email,career_stage,country,region,time zone\n"
        "Ana,a@example.org,novice,Canada,British Columbia,America/Vancouver\n"
        "Bo,b@example.org,novice,Canada,Texas,America/Chicago\n"
        "Cy,c@example.org,novice,Canada,,Mars/Base\n"
    )
    assert checked.rows[0][1]["region"] == "CA-BC"
    assert checked.errors == [
        (3, "region: Texas is not a province or state of Canada."),
        (4, "time_zone: Choose a time zone from the list, like America/Toronto."),
    ]
