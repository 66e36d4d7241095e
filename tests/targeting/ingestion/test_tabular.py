"""Manifest files (CSV, XLSX): reading, column recognition, values and findings. No database."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from targeting.ingestion.records import FlightLeg, ParsedMessage, Point, to_json
from targeting.ingestion.tabular import (
    FIELDS,
    TableError,
    apply_mapping,
    propose_mapping,
    read_manifest,
    read_table,
)

MANIFESTS = Path(__file__).resolve().parents[2] / "data" / "manifests"
TODAY = date(2025, 3, 1)


def sample(name: str) -> bytes:
    return (MANIFESTS / name).read_bytes()


def officer_flight() -> FlightLeg:
    """The flight as an officer enters it next to a file that does not say it."""
    return FlightLeg(
        carrier="KP",
        number="051",
        departure=Point("LFW", datetime(2025, 3, 14, 8, 30)),
        arrival=Point("DSS", datetime(2025, 3, 14, 11, 0)),
    )


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def read_csv_lines(*lines: str, flight: FlightLeg | None = None) -> ParsedMessage:
    return read_manifest(
        csv_bytes(*lines), "manifest.csv", flight=flight or officer_flight(), today=TODAY
    )


def texts(message: ParsedMessage) -> list[str]:
    return [finding.text for finding in message.findings]


# --- the samples ----------------------------------------------------------------------------


def test_french_xlsx_is_read_with_its_flight_columns_below_a_title() -> None:
    table = read_table(sample("fr_manifest.xlsx"), "fr_manifest.xlsx")
    assert table.format == "xlsx"
    assert table.sheet == "Passagers"
    assert table.header_row == 3  # a title line and a blank line above the header

    message = apply_mapping(table, propose_mapping(table.headers), today=TODAY)

    assert message.type == "PAXLST"
    assert (message.list_type, message.action) == ("passenger", "original")
    [leg] = message.flights
    assert (leg.carrier, leg.number) == ("KP", "051")
    assert (leg.departure.airport, leg.arrival.airport) == ("LFW", "DSS")
    assert leg.departure.time == datetime(2025, 3, 14, 8, 30)
    people = [(t.surname, t.given_names, t.sex, t.birth_date) for t in message.travellers]
    assert people == [
        ("MENSAH", "KOSSI ÉDOUARD", "M", date(1988, 2, 14)),  # Excel date cell
        ("N'DIAYE", "AÏSSATOU", "F", date(1990, 11, 3)),  # text DD/MM/YYYY
        ("TRAORÉ", "MOUSSA", "M", date(1988, 2, 12)),  # Excel serial number 32185
        ("KOUASSI", "ADJOUA", "F", date(1988, 2, 14)),  # 14FEB88
    ]
    first = message.travellers[0].documents[0]
    assert (first.type, first.number, first.expiry) == ("P", "B1234567", date(2030, 5, 31))
    assert message.travellers[3].documents[0].expiry == date(2031, 8, 1)  # ISO text
    assert message.travellers[1].nationality == "SEN"
    # The blank row 7 is skipped without shifting the row numbers of the sheet.
    assert texts(message) == [
        "row 5, column F \"Nationalité\": nationality 'SN' is a two-letter code: read as SEN",
        "row 6, column F \"Nationalité\": nationality 'ML' is a two-letter code: read as MLI",
    ]
    assert [f.line for f in message.findings] == [5, 6]
    assert {f.severity for f in message.findings} == {"info"}


def test_french_csv_takes_the_flight_the_officer_entered() -> None:
    table = read_table(sample("fr_manifest.csv"), "fr_manifest.csv")
    assert (table.format, table.encoding, table.separator) == ("csv", "UTF-8", ",")
    assert table.headers[0] == "N°"  # the BOM is not part of the first header

    message = apply_mapping(table, propose_mapping(table.headers), flight=officer_flight())

    assert message.flights == [officer_flight()]
    assert [t.surname for t in message.travellers] == ["MENSAH", "N'DIAYE", "TRAORÉ", "KOUASSI"]
    assert [t.birth_date for t in message.travellers] == [
        date(1988, 2, 14),
        date(1990, 11, 3),
        date(1988, 2, 12),  # DD.MM.YYYY
        date(1988, 2, 14),
    ]
    assert [t.sex for t in message.travellers] == ["M", "F", "M", "F"]  # Homme, Femme too
    assert message.travellers[2].documents[0].expiry == date(2027, 1, 15)  # DD-MM-YYYY
    assert message.findings == []


def test_a_file_without_flight_needs_the_officer_to_enter_it() -> None:
    table = read_table(sample("fr_manifest.csv"), "fr_manifest.csv")
    with pytest.raises(TableError, match="enter the flight with the file") as caught:
        apply_mapping(table, propose_mapping(table.headers))
    assert "carrier, flight number, departure airport, arrival airport, date" in str(caught.value)


def test_spanish_latin1_csv_with_semicolons() -> None:
    table = read_table(sample("es_manifest.csv"), "es_manifest.csv")
    assert (table.encoding, table.separator) == ("Windows-1252", ";")

    message = apply_mapping(table, propose_mapping(table.headers), today=TODAY)

    assert [(t.surname, t.given_names, t.sex) for t in message.travellers] == [
        ("MUÑOZ PEÑA", "JOSÉ ÁNGEL", "M"),
        ("GÓMEZ, HIJA", "MARÍA JOSÉ", "F"),  # a comma inside a ;-separated cell stays
        ("IBÁÑEZ", "NURIA", "F"),
    ]
    assert message.travellers[1].nationality == "COL"
    assert message.travellers[0].documents[0].type == "P"  # "Número de pasaporte"
    [leg] = message.flights
    assert (leg.carrier, leg.number, leg.departure.airport, leg.arrival.airport) == (
        "AV",
        "010",
        "BOG",
        "MAD",
    )
    assert leg.departure.time == datetime(2025, 3, 14)
    assert "the file is not UTF-8: its text was read as Windows-1252" in texts(message)


def test_portuguese_xlsx_crew_list() -> None:
    message = read_manifest(sample("pt_manifest.xlsx"), "pt_manifest.xlsx", today=TODAY)

    assert message.list_type == "crew"
    assert [(t.surname, t.given_names, t.role) for t in message.travellers] == [
        ("CONCEIÇÃO", "JOÃO", "crew"),
        ("GONÇALVES", "INÊS", "crew"),
    ]
    assert message.travellers[1].nationality == "BRA"
    [leg] = message.flights
    assert (leg.carrier, leg.number) == ("TP", "1541")  # "TP 1541"
    assert leg.departure.time == datetime(2025, 3, 14, 22, 40)


def test_english_full_names_are_split_and_scripts_kept() -> None:
    message = read_manifest(sample("en_fullname.csv"), "en_fullname.csv", today=TODAY)

    assert [(t.surname, t.given_names) for t in message.travellers] == [
        ("DOE", "JOHN"),  # SURNAME/GIVEN MR, the title dropped
        ("NDIAYE", "AMINATA"),  # SURNAME, Given
        ("ИВАНОВ", "ИВАН"),
        ("محمد", "علي"),
        ("SMITH JOHN", None),
    ]
    assert message.travellers[0].birth_date == date(1988, 2, 14)  # YYMMDD
    assert message.flights[0].departure.time == datetime(2025, 3, 14, 10, 15)
    assert (
        "1 full name(s) had no '/' or ',' between surname and given names: each was kept "
        "whole as the surname"
    ) in texts(message)


def test_unreadable_values_are_warnings_naming_row_and_column() -> None:
    message = read_manifest(
        sample("bad_values.csv"), "bad_values.csv", flight=officer_flight(), today=TODAY
    )

    assert [(f.severity, f.line, f.text) for f in message.findings] == [
        (
            "warning",
            2,
            "row 2, column \"Date of birth\": '31/02/1988' is not a valid date: not read",
        ),
        ("warning", 3, "row 3, column \"Sex\": sex 'Q' is not a value we know: not read"),
        (
            "warning",
            4,
            "row 4, column \"Date of birth\": 'yesterday' is not a date in a format we read "
            "(YYYY-MM-DD, DD/MM/YYYY, DDMMMYY...): not read",
        ),
        (
            "warning",
            4,
            "row 4, column \"Nationality\": nationality 'Guinean' is not an ISO 3166 country "
            "code (e.g. SEN, FRA): not read",
        ),
        (
            "error",
            5,
            'row 5: no name ("Surname" and "Given names" empty or unreadable): the row was '
            "not read",
        ),
        (
            "warning",
            6,
            'row 6, column "Date of birth": birth date 2090-01-01 is not plausible: not read',
        ),
        ("warning", 6, "row 6, column \"Seat\": seat 'SEAT FOUR' is not valid: not read"),
    ]
    # Every named traveller is kept, with what could be read.
    assert [(t.surname, t.birth_date, t.sex) for t in message.travellers] == [
        ("OKAFOR", None, "M"),
        ("BALDE", date(1990, 5, 5), None),
        ("DIALLO", None, "M"),
        ("SOW", None, "F"),
    ]


def test_xlsx_findings_name_the_column_letter() -> None:
    data = sample("hostile.xlsx")
    message = read_manifest(data, "hostile.xlsx", flight=officer_flight(), today=TODAY)
    assert message.findings[0].text.startswith('row 2, column A "Nom": ')
    assert message.findings[2].text.startswith('row 3, column B "Prénom": ')


# --- files that are not manifests -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("not_a_manifest.png", "the file is a PNG image, not a manifest table"),
        ("random.bin", "the file is binary data, not a manifest table"),
        ("empty.csv", "the file is empty"),
        ("legacy.xls", "the file is a legacy Excel 97-2003 workbook (.xls)"),
        ("empty.xlsx", "the workbook holds no data"),
    ],
)
def test_files_that_are_not_manifests_are_refused_saying_what_they_are(
    name: str, expected: str
) -> None:
    with pytest.raises(TableError) as caught:
        read_table(sample(name), name)
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "the file is a PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "the file is a JPEG image"),
        (b"   \r\n\r\n", "the file is empty"),
        (b"UNA:+.? 'UNB+UNOA:4+AIRLINE+CUSTOMS'", "the file is an EDIFACT message"),
        (b"<html><body><table></table></body></html>", "the file is an HTML or XML document"),
    ],
)
def test_other_non_tables_are_refused(data: bytes, expected: str) -> None:
    with pytest.raises(TableError, match=expected):
        read_table(data, "upload.csv")


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.txt", "Surname,Given names\nDOE,JOHN\n")
    with pytest.raises(TableError, match="the file is a ZIP archive, not an XLSX workbook"):
        read_table(buffer.getvalue(), "manifest.xlsx")


def test_a_damaged_workbook_is_refused() -> None:
    truncated = sample("fr_manifest.xlsx")[:300]
    with pytest.raises(TableError, match="damaged ZIP archive"):
        read_table(truncated, "fr_manifest.xlsx")


def test_a_file_named_xlsx_that_is_text_is_refused() -> None:
    with pytest.raises(TableError, match=r"named manifest\.xlsx but is not an Excel workbook"):
        read_table(csv_bytes("Surname,Given names", "DOE,JOHN"), "manifest.xlsx")


def test_a_csv_without_a_name_column_is_refused() -> None:
    table = read_table(sample("no_name.csv"), "no_name.csv")
    with pytest.raises(TableError, match="no column holds the travellers' names"):
        apply_mapping(table, propose_mapping(table.headers), flight=officer_flight())


def test_a_csv_without_a_recognisable_header_is_refused() -> None:
    with pytest.raises(TableError, match="no header row was recognised in the first 30 rows"):
        read_table(csv_bytes("Foo,Bar,Baz", "1,2,3", "4,5,6"), "export.csv")


def test_a_header_without_rows_is_refused() -> None:
    with pytest.raises(TableError, match="no traveller under it") as caught:
        read_csv_lines("Surname,Given names,Date of birth")
    assert caught.value.row == 1


def test_a_file_where_no_row_has_a_name_is_refused() -> None:
    with pytest.raises(TableError, match="no traveller could be read") as caught:
        read_csv_lines("Surname,Given names,Sex", ",,M", ",,F")
    assert "row 2: no name" in str(caught.value)


# --- hostile content ------------------------------------------------------------------------


def test_formulas_in_a_csv_are_kept_out_of_the_data() -> None:
    message = read_manifest(
        sample("hostile.csv"), "hostile.csv", flight=officer_flight(), today=TODAY
    )

    stored = [
        value
        for t in message.travellers
        for value in (t.surname, t.given_names, t.nationality)
        if value
    ]
    assert not [v for v in stored if v[0] in "=+-@" or "HYPERLINK" in v or "CMD" in v]
    formula_rows = [
        f.line for f in message.findings if "looks like a spreadsheet formula" in f.text
    ]
    assert formula_rows == [2, 3, 4, 7]
    # The travellers stay in the list under the names that could be read.
    assert [t.given_names for t in message.travellers][:4] == ["EVE", "MALLORY", "TRENT", "LONG"]


def test_overlong_cells_are_refused_and_control_characters_removed() -> None:
    message = read_manifest(
        sample("hostile.csv"), "hostile.csv", flight=officer_flight(), today=TODAY
    )

    assert (
        'row 5, column "Surname": the cell holds 5000 characters, more than 200: not read'
        in texts(message)
    )
    dupont = message.travellers[4]
    # The bell and the right-to-left override are gone; the tab is a space.
    assert (dupont.surname, dupont.given_names) == ("DUPONTTNOPUD", "JEAN PIERRE")
    assert (
        "row 6, column \"Surname\": control characters removed from 'DUPONT\\u0007\\u202eTNOPUD'"
        in texts(message)
    )
    # Findings quote a hostile value shortened, so a page showing them stays readable.
    assert all(len(text) < 300 for text in texts(message))


def test_formula_cells_in_a_workbook_are_read_as_text_and_refused() -> None:
    message = read_manifest(
        sample("hostile.xlsx"), "hostile.xlsx", flight=officer_flight(), today=TODAY
    )

    assert [(t.surname, t.given_names) for t in message.travellers] == [
        (None, "EVE"),
        ("MARTIN", None),
    ]
    assert message.findings[0].text == (
        'row 2, column A "Nom": \'=HYPERLINK("http://evil.example","click"…\' looks like a '
        "spreadsheet formula: not read"
    )


# --- separators, encodings ------------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_every_usual_separator_is_recognised(separator: str) -> None:
    lines = [
        separator.join(["Surname", "Given names", "Date of birth"]),
        separator.join(["DOE", "JOHN", "1980-01-02"]),
        separator.join(["ROE", "JANE", "1981-03-04"]),
    ]
    table = read_table(csv_bytes(*lines), "manifest.txt")
    assert table.separator == separator
    message = apply_mapping(table, propose_mapping(table.headers), flight=officer_flight())
    assert [t.birth_date for t in message.travellers] == [date(1980, 1, 2), date(1981, 3, 4)]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbfNom;Pr\xc3\xa9nom\nL\xc3\x89GER;Zo\xc3\xa9\n", "UTF-8"),
        ("Nom;Prénom\nLÉGER;Zoé\n".encode("utf-16"), "UTF-16"),
        ("Nom;Prénom\nLÉGER;Zoé\n".encode("cp1252"), "Windows-1252"),
    ],
)
def test_encodings_are_recognised(data: bytes, encoding: str) -> None:
    table = read_table(data, "manifest.csv")
    assert table.encoding == encoding
    message = apply_mapping(table, propose_mapping(table.headers), flight=officer_flight())
    assert (message.travellers[0].surname, message.travellers[0].given_names) == ("LÉGER", "ZOÉ")


# --- column recognition ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("NOM", "surname"),
        ("Nom de famille", "surname"),
        ("Apellido(s)", "surname"),
        ("APELLIDOS", "surname"),
        ("Sobrenome", "surname"),
        ("Last name", "surname"),
        ("Prénom(s)", "given_names"),
        ("prenoms", "given_names"),
        ("Nombre(s)", "given_names"),
        ("Nome", "given_names"),
        ("First Name", "given_names"),
        ("Nom et prénom", "full_name"),
        ("Passenger name", "full_name"),
        ("Nombre completo", "full_name"),
        ("Date de naissance", "birth_date"),
        ("DATE_DE_NAISSANCE", "birth_date"),
        ("Fecha de nacimiento", "birth_date"),
        ("Data de nascimento", "birth_date"),
        ("D.O.B.", "birth_date"),
        ("Date of birth (DD/MM/YYYY)", "birth_date"),
        ("Nationalité", "nationality"),
        ("Nacionalidad", "nationality"),
        ("Nacionalidade", "nationality"),
        ("N° passeport", "document_number"),
        ("No. Passeport", "document_number"),
        ("Número de pasaporte", "document_number"),
        ("Nº do passaporte", "document_number"),
        ("Passport #", "document_number"),
        ("Sexe", "sex"),
        ("Sexo", "sex"),
        ("Gender", "sex"),
        ("Siège", "seat"),
        ("Asiento", "seat"),
        ("Assento", "seat"),
        ("Vol", "flight"),
        ("Vuelo", "flight"),
        ("Voo", "flight"),
        ("N° de vol", "flight_number"),
        ("Provenance", "departure_airport"),
        ("Origine", "departure_airport"),
        ("Origen", "departure_airport"),
        ("Destination", "arrival_airport"),
        ("Destino", "arrival_airport"),
        ("Pays de délivrance", "issuing_state"),
        ("Date d'expiration", "document_expiry"),
        ("Fecha de vencimiento", "document_expiry"),
        ("Validade", "document_expiry"),
        ("Type de document", "document_type"),
        ("PNR", "booking_ref"),
        ("Localizador", "booking_ref"),
        ("Crew/Pax", "role"),
        ("Compagnie", "carrier"),
        ("Heure de départ", "departure_time"),
        ("Date du vol", "departure_date"),
        ("Nom (Surname)", "surname"),
        ("Remarques", None),
    ],
)
def test_headers_are_recognised_in_four_languages(header: str, field: str | None) -> None:
    assert propose_mapping([header]) == {header: field}


def test_a_field_goes_to_its_first_column_only() -> None:
    mapping = propose_mapping(["Nom", "Surname", "Prénom", "Observations"])
    assert mapping == {
        "Nom": "surname",
        "Surname": None,
        "Prénom": "given_names",
        "Observations": None,
    }


def test_every_proposed_field_is_one_the_form_can_show() -> None:
    table = read_table(sample("fr_manifest.xlsx"), "fr_manifest.xlsx")
    assert set(propose_mapping(table.headers).values()) - {None} <= set(FIELDS)


def test_the_officer_can_correct_the_mapping() -> None:
    table = read_table(
        csv_bytes(
            "Apelido do passageiro,Nome,Data de nascimento,Observações",
            "SILVA,Ana,01/02/1990,VIP",
        ),
        "manifest.csv",
    )
    proposed = propose_mapping(table.headers)
    assert proposed["Apelido do passageiro"] is None

    confirmed = {**proposed, "Apelido do passageiro": "surname"}
    message = apply_mapping(table, confirmed, flight=officer_flight())

    assert (message.travellers[0].surname, message.travellers[0].given_names) == ("SILVA", "ANA")


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"Nom": "surname", "Prénom": "surname"}, "are both mapped to Surname"),
        ({"Nom": "surname", "Prénom": "first_name"}, 'unknown field "first_name"'),
        ({"Nom": "surname", "Autre": "given_names"}, 'a column "Autre" that the file does not'),
    ],
)
def test_a_wrong_mapping_is_refused(mapping: dict[str, str | None], expected: str) -> None:
    table = read_table(csv_bytes("Nom,Prénom", "DIOP,Ibrahima"), "manifest.csv")
    with pytest.raises(TableError, match=expected):
        apply_mapping(table, mapping, flight=officer_flight())


def test_repeated_headers_stay_distinct() -> None:
    table = read_table(csv_bytes("Nom,Prénom,Nom", "DIOP,Ibrahima,X"), "manifest.csv")
    assert table.headers == ("Nom", "Prénom", "Nom (2)")


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1988-02-14", date(1988, 2, 14)),
        ("14/02/1988", date(1988, 2, 14)),
        ("04/02/1988", date(1988, 2, 4)),  # DD/MM, the default in these regions
        ("14-02-1988", date(1988, 2, 14)),
        ("14.02.1988", date(1988, 2, 14)),
        ("14/02/88", date(1988, 2, 14)),
        ("14FEB88", date(1988, 2, 14)),
        ("14-Feb-1988", date(1988, 2, 14)),
        ("14 févr. 1988", date(1988, 2, 14)),
        ("14 juin 1988", date(1988, 6, 14)),
        ("14 juil. 1988", date(1988, 7, 14)),
        ("14 ago 1988", date(1988, 8, 14)),
        ("14DIC88", date(1988, 12, 14)),
        ("880214", date(1988, 2, 14)),
        ("19880214", date(1988, 2, 14)),
        ("32187", date(1988, 2, 14)),  # an Excel serial number exported as text
        ("1988-02-14 00:00:00", date(1988, 2, 14)),
        ("010120", date(2001, 1, 20)),  # YYMMDD 01-01-20: two-digit years not in the future
        ("01/01/30", date(1930, 1, 1)),
    ],
)
def test_birth_dates_in_the_usual_formats(written: str, expected: date) -> None:
    message = read_csv_lines("Surname,Date of birth", f"DOE,{written}")
    assert message.travellers[0].birth_date == expected
    assert message.findings == []


def test_a_column_of_month_first_dates_is_recognised() -> None:
    message = read_csv_lines("Surname,Date of birth", "DOE,02/14/1988", "ROE,03/04/1990")
    assert [t.birth_date for t in message.travellers] == [date(1988, 2, 14), date(1990, 3, 4)]
    assert texts(message) == [
        'column "Date of birth": its dates are read as month/day/year (a day is over 12 in '
        "second place)"
    ]


def test_a_header_can_say_the_date_order() -> None:
    message = read_csv_lines("Surname,Date of birth (MM/DD/YYYY)", "DOE,02/03/1988")
    assert message.travellers[0].birth_date == date(1988, 2, 3)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("M", "M"),
        ("f", "F"),
        ("Masculin", "M"),
        ("Féminin", "F"),
        ("Homme", "M"),
        ("FEMME", "F"),
        ("Masculino", "M"),
        ("Femenino", "F"),
        ("Hombre", "M"),
        ("Mujer", "F"),
        ("Feminino", "F"),
        ("Homem", "M"),
        ("Mulher", "F"),
        ("Male", "M"),
        ("female", "F"),
        ("X", "X"),
        ("Inconnu", "U"),
    ],
)
def test_sex_words_in_four_languages(written: str, expected: str) -> None:
    message = read_csv_lines("Surname,Sex", f"DOE,{written}")
    assert message.travellers[0].sex == expected


def test_two_letter_countries_become_alpha3_with_an_info_finding() -> None:
    message = read_csv_lines(
        "Surname,Nationality,Country of residence,Issuing country,Passport number",
        "DOE,sn,FR,ci,A123456",
    )
    traveller = message.travellers[0]
    assert (traveller.nationality, traveller.residence) == ("SEN", "FRA")
    assert traveller.documents[0].issuing_state == "CIV"
    assert {f.severity for f in message.findings} == {"info"}
    assert len(message.findings) == 3


def test_alpha3_and_icao_codes_are_kept_as_written() -> None:
    message = read_csv_lines("Surname,Nationality", "DOE,rks", "ROE,D", "POE,XXA")
    assert [t.nationality for t in message.travellers] == ["RKS", "D", "XXA"]


def test_document_types_in_words_become_codes() -> None:
    message = read_csv_lines(
        "Surname,Document type,Document number",
        "DOE,Passeport,P1",
        "ROE,Carte d'identité,I2",
        "POE,Pasaporte,P3",
        "LOE,IP,C4",
    )
    assert [t.documents[0].type for t in message.travellers] == ["P", "I", "P", "IP"]


# --- the flight -----------------------------------------------------------------------------


def test_flight_columns_fill_what_the_officer_left_out() -> None:
    partial_entry = FlightLeg(departure=Point(time=datetime(2025, 3, 14, 9, 0)))
    message = read_csv_lines(
        "Surname,Flight,From,To",
        "DOE,KP 51,Lomé (LFW),DSS - Dakar",
        flight=partial_entry,
    )
    [leg] = message.flights
    assert (leg.carrier, leg.number, leg.departure.airport, leg.arrival.airport) == (
        "KP",
        "51",
        "LFW",
        "DSS",
    )
    assert leg.departure.time == datetime(2025, 3, 14, 9, 0)


def test_the_officer_entry_wins_over_a_different_flight_in_the_file() -> None:
    message = read_csv_lines("Surname,Flight", "DOE,KP052")
    assert (message.flights[0].carrier, message.flights[0].number) == ("KP", "051")
    assert texts(message) == [
        "the file gives number '052' (row 2) but '051' was entered: the entry is used"
    ]


def test_a_row_on_another_flight_is_a_warning() -> None:
    message = read_csv_lines(
        "Surname,Flight,Date du vol,Heure",
        "DOE,KP051,14/03/2025,08:30",
        "ROE,KP052,14/03/2025,08:30",
        flight=FlightLeg(departure=Point("LFW"), arrival=Point("DSS")),
    )
    assert len(message.travellers) == 2
    assert texts(message) == [
        "row 3, column \"Flight\": flight number '052' differs from '051' in row 2: the file "
        "is read as one flight"
    ]


def test_crew_rows_in_a_passenger_file_are_reported() -> None:
    message = read_csv_lines("Surname,Type", "DOE,PAX", "ROE,Crew", "POE,ADT")
    assert message.list_type == "passenger"
    assert [t.role for t in message.travellers] == ["passenger", "crew", "passenger"]
    assert texts(message) == [
        "1 row(s) are marked crew in a file that also lists passengers: all are stored as one "
        "passenger list"
    ]


def test_rows_holding_only_ignored_columns_are_skipped() -> None:
    message = read_csv_lines("N°,Surname,Remarks", "1,DOE,", "Total: 1,,")
    assert [t.surname for t in message.travellers] == ["DOE"]
    assert message.findings == []


# --- the JSON of manage.py parse ------------------------------------------------------------


def test_the_result_prints_in_the_schema_of_manage_py_parse() -> None:
    message = read_manifest(sample("fr_manifest.xlsx"), "fr_manifest.xlsx", today=TODAY)
    printed = to_json(message)

    assert set(printed) == {
        "type",
        "version",
        "sender",
        "recipient",
        "interchange_ref",
        "message_ref",
        "sent_at",
        "findings",
        "list",
        "action",
        "flights",
        "travellers",
    }
    assert (printed["type"], printed["list"], printed["action"]) == (
        "PAXLST",
        "passenger",
        "original",
    )
    assert set(printed["findings"][0]) == {"severity", "segment", "line", "text"}
    assert printed["flights"][0] == {
        "carrier": "KP",
        "number": "051",
        "departure": {"airport": "LFW", "time": "2025-03-14T08:30:00"},
        "arrival": {"airport": "DSS", "time": None},
    }
    traveller = printed["travellers"][0]
    assert set(traveller) == {
        "surname",
        "given_names",
        "sex",
        "birth_date",
        "nationality",
        "residence",
        "birth_place",
        "embarkation",
        "disembarkation",
        "seat",
        "booking_ref",
        "documents",
    }
    assert traveller["birth_date"] == "1988-02-14"
    assert traveller["documents"] == [
        {"type": "P", "number": "B1234567", "issuing_state": None, "expiry": "2030-05-31"}
    ]


def test_only_the_first_sheet_with_a_header_is_read_and_the_others_named() -> None:
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Cover"
    cover["B2"] = "Manifest prepared by the station"
    passengers = workbook.create_sheet("Passengers")
    passengers.append(["Surname", "Given names"])
    passengers.append(["DOE", "JOHN"])
    crew = workbook.create_sheet("Crew")
    crew.append(["Surname", "Given names"])
    crew.append(["ROE", "JANE"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(buffer.getvalue(), "manifest.xlsx")

    assert table.sheet == "Passengers"
    assert [f.text for f in table.findings] == [
        'only sheet "Passengers" was read; sheet(s) "Cover", "Crew" also hold data: send one '
        "sheet per file (crew in a file of its own)"
    ]
