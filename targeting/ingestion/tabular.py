"""Manifest files (CSV, XLSX) that airlines send when they cannot send EDIFACT API data.

Three steps, so that an officer can confirm the column mapping in the browser in between:

1. `read_table` recognises the file (XLSX by its ZIP signature, CSV by elimination, with its
   encoding and separator), finds the header row and returns a `Table`;
2. `propose_mapping` maps each header to one of our `FIELDS` by its common names in English,
   French, Spanish and Portuguese (case, accents, punctuation and word order do not matter);
3. `apply_mapping` turns the rows into a `ParsedMessage` of type PAXLST, so that the storing code
   handles a manifest file exactly like an API message.

A value that cannot be read is a warning finding naming the row and column as the sheet shows
them ("row 7, column C "Date de naissance""); the traveller is kept when it has a name. Cells are
only ever read as text or typed values: a formula is never evaluated (openpyxl gives us its text,
which we refuse like any other value that starts with a formula character).

No Django import here: this module is part of the pure core.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any, Literal

import pandas as pd

from targeting.ingestion.records import (
    Document,
    Finding,
    FlightLeg,
    ListType,
    ParsedMessage,
    Point,
    Severity,
    Traveller,
)

TableFormat = Literal["csv", "xlsx"]

# Our fields, in the order the mapping form shows them, with the label it shows.
FIELDS: dict[str, str] = {
    "surname": "Surname",
    "second_surname": "Second surname",
    "given_names": "Given names",
    "middle_names": "Middle names",
    "full_name": "Full name (SURNAME/GIVEN or SURNAME, Given)",
    "sex": "Sex",
    "birth_date": "Date of birth",
    "nationality": "Nationality",
    "residence": "Country of residence",
    "birth_place": "Place of birth",
    "document_type": "Document type",
    "document_number": "Document number",
    "issuing_state": "Document issuing state",
    "document_expiry": "Document expiry date",
    "seat": "Seat",
    "booking_ref": "Booking reference (PNR)",
    "embarkation": "Embarkation airport",
    "disembarkation": "Disembarkation airport",
    "role": "Crew or passenger",
    "carrier": "Carrier",
    "flight_number": "Flight number",
    "flight": "Flight (carrier and number)",
    "departure_airport": "Departure airport",
    "arrival_airport": "Arrival airport",
    "departure_date": "Departure date",
    "departure_time": "Departure time",
    "arrival_date": "Arrival date",
    "arrival_time": "Arrival time",
}
NAME_FIELDS = ("surname", "full_name")

# The first rows may hold a title ("PASSENGER MANIFEST KP051"); the header is among these.
_HEADER_SEARCH_ROWS = 30
# Longer cells are not data a manifest holds; refusing them keeps findings and storage sane.
MAX_CELL_CHARS = 200
# An XLSX is a ZIP: the caller limits the upload, this limits what it may inflate to.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


class TableError(ValueError):
    """A manifest file that cannot be read as a whole, with the row and column where known.

    `row` is the 1-based row of the sheet (the header row counts); `column` names the column as
    the sheet shows it (letter and header for XLSX, header for CSV).
    """

    def __init__(self, text: str, *, row: int | None = None, column: str | None = None) -> None:
        self.text = text
        self.row = row
        self.column = column
        place = ", ".join(
            part
            for part in (
                f"row {row}" if row is not None else "",
                f"column {column}" if column else "",
            )
            if part
        )
        super().__init__(f"{place}: {text}" if place else text)


@dataclass(frozen=True, slots=True)
class Table:
    """A manifest sheet: its unique headers and its data rows, indexed by sheet row number.

    `frame` has one column per header (cells as read: text for CSV, typed values for XLSX) and
    its index is the 1-based row number in the sheet, blank rows left out.
    """

    file_name: str
    format: TableFormat
    headers: tuple[str, ...]
    header_row: int
    frame: pd.DataFrame
    # How findings name each column, in header order: 'C "Nom"' (XLSX) or '"Nom"' (CSV).
    column_names: tuple[str, ...]
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    findings: tuple[Finding, ...] = ()


# --- recognising the file -------------------------------------------------------------------

# Signatures of files people attach by mistake, to say what the file is instead.
_NOT_TABLES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
    # OLE2 compound file: Excel 97-2003, or any workbook saved with a password.
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Excel 97-2003 workbook (.xls) or a password-protected workbook",
    ),
)
_SEND_INSTEAD = "send the manifest as an XLSX workbook or a CSV file"


def _detect_format(data: bytes, file_name: str) -> TableFormat:
    if not data.strip():
        raise TableError("the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    for magic, what in _NOT_TABLES:
        if data.startswith(magic):
            raise TableError(f"the file is {what}, not a manifest table: {_SEND_INSTEAD}")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise TableError(f"the file is named {file_name} but is not an Excel workbook (not a ZIP)")
    return "csv"


# Control characters and bidirectional overrides: invisible, and able to make a name display as
# another. Tabs and line breaks inside a cell are only spacing.
_SPACING = re.compile(r"[\t\n\r\v\f\u00a0\u2028\u2029]+")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MULTISPACE = re.compile(r" {2,}")


def _decode(data: bytes) -> tuple[str, str, list[Finding]]:
    """Text of a CSV: UTF-16 or UTF-8 by BOM, UTF-8, else Windows-1252 (Latin-1 superset)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export.
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError as exc:
            raise TableError("the file announces UTF-16 but is not valid UTF-16") from exc
    try:
        return data.decode("utf-8-sig"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        # Five bytes are undefined in cp1252; Latin-1 maps every byte.
        text, encoding = data.decode("latin-1"), "Latin-1"
    note = Finding("info", None, None, f"the file is not UTF-8: its text was read as {encoding}")
    return text, encoding, [note]


def _check_text(text: str) -> None:
    sample = text[:20000]
    if "\x00" in sample:
        raise TableError(f"the file is binary data, not a manifest table: {_SEND_INSTEAD}")
    controls = len(_INVISIBLE.findall(sample))
    if controls > max(3, len(sample) // 100):
        raise TableError(f"the file is binary data, not a manifest table: {_SEND_INSTEAD}")
    start = sample.lstrip()[:3]
    if start in ("UNA", "UNB"):
        raise TableError(
            "the file is an EDIFACT message, not a manifest table: upload it as an API message"
        )
    if start.startswith("<"):
        raise TableError(
            f"the file is an HTML or XML document, not a manifest table: {_SEND_INSTEAD}"
        )


def _separator(text: str) -> str:
    """The separator (, ; tab |) that splits most sample lines into the same number of cells."""
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t", "|"):
        widths = [len(r) for r in csv.reader(lines, delimiter=candidate) if len(r) > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        # Consistency first: a comma inside "GARCIA, JUAN" in a ;-file splits lines unevenly.
        if (count, width) > best_score:
            best, best_score = candidate, (count, width)
    return best


def _read_csv(data: bytes) -> tuple[pd.DataFrame, str, str, list[Finding]]:
    text, encoding, findings = _decode(data)
    _check_text(text)
    separator = _separator(text)
    # Every row gets the widest row's width, so title lines above the header do not fix it.
    width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=separator)), default=0)
    if width == 0:
        raise TableError("the file is empty")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            names=list(range(width)),
            dtype=object,
            keep_default_na=False,  # "NA" is Namibia, not a missing value
            na_filter=False,
            skip_blank_lines=False,  # keep row numbers equal to the sheet's
            quotechar='"',
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise TableError(f"the file cannot be read as CSV: {exc}") from exc
    return frame, encoding, separator, findings


def _read_xlsx(data: bytes) -> dict[str, pd.DataFrame]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableError(
            f"the file is a damaged ZIP archive, not a readable workbook: {exc}"
        ) from exc
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            what = "a binary Excel workbook (.xlsb)"
        elif "content.xml" in names:
            what = "an OpenDocument file (.ods)"
        elif "word/document.xml" in names:
            what = "a Word document"
        else:
            what = "a ZIP archive"
        raise TableError(f"the file is {what}, not an XLSX workbook: {_SEND_INSTEAD}")
    if inflated > MAX_UNZIPPED_BYTES:
        raise TableError(
            f"the workbook inflates to {inflated // (1024 * 1024)} MB, more than a manifest holds"
        )
    try:
        return pd.read_excel(
            io.BytesIO(data),
            sheet_name=None,
            header=None,
            dtype=object,
            engine="openpyxl",
            # Formulas come back as their text ("=HYPERLINK(...)"), never as a computed value.
            engine_kwargs={"data_only": False},
        )
    except Exception as exc:
        # openpyxl reports a malformed workbook with many exception types (KeyError,
        # XML parse errors, TypeError...); the officer needs one sentence, the cause stays chained.
        raise TableError(f"the workbook cannot be read: {type(exc).__name__}: {exc}") from exc


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def _header_text(value: object) -> str:
    if _is_blank(value):
        return ""
    return _MULTISPACE.sub(" ", _SPACING.sub(" ", _INVISIBLE.sub("", str(value)))).strip()


def _find_header(raw: pd.DataFrame) -> int | None:
    """Index of the row that names the most of our fields (a name, or two fields at least)."""
    best, best_count = None, 0
    for index in range(min(len(raw), _HEADER_SEARCH_ROWS)):
        fields = {_field_for(_header_text(v)) for v in raw.iloc[index].tolist()} - {None}
        if not (len(fields) >= 2 or fields & {"surname", "full_name"}):
            continue
        if len(fields) > best_count:
            best, best_count = index, len(fields)
    return best


def _build_table(
    raw: pd.DataFrame,
    *,
    file_name: str,
    table_format: TableFormat,
    sheet: str | None = None,
    encoding: str | None = None,
    separator: str | None = None,
    findings: list[Finding] | None = None,
) -> Table | None:
    header_index = _find_header(raw)
    if header_index is None:
        return None
    headers: list[str] = []
    seen: Counter[str] = Counter()
    for position, value in enumerate(raw.iloc[header_index].tolist()):
        text = _header_text(value)[:MAX_CELL_CHARS]
        if not text:
            text = f"Column {column_letter(position) if table_format == 'xlsx' else position + 1}"
        seen[text] += 1
        # Headers are the mapping's keys: a repeated header gets a number to stay distinct.
        headers.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    body = raw.iloc[header_index + 1 :].copy()
    body.columns = headers
    body.index = pd.Index([i + 1 for i in range(header_index + 1, len(raw))], name="row")
    body = body[~body.map(_is_blank).all(axis=1)]
    if table_format == "xlsx":
        names = tuple(f'{column_letter(i)} "{h}"' for i, h in enumerate(headers))
    else:
        names = tuple(f'"{h}"' for h in headers)
    return Table(
        file_name=file_name,
        format=table_format,
        headers=tuple(headers),
        header_row=header_index + 1,
        frame=body,
        column_names=names,
        sheet=sheet,
        encoding=encoding,
        separator=separator,
        findings=tuple(findings or ()),
    )


_NO_HEADER = (
    "no header row was recognised in the first {n} rows: the columns must be named (for example"
    ' "Surname", "Nom", "Apellido", "Sobrenome")'
)


def read_table(data: bytes, file_name: str) -> Table:
    """Read a manifest file (CSV or XLSX) into a `Table`, refusing anything else.

    XLSX is recognised by its ZIP signature and the workbook inside; anything else must be text:
    UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1, cells separated by
    `,` `;` tab or `|`. The header row is the first of the first 30 rows that names the most of
    our fields. Of a workbook, the first sheet with such a header is read. Raises `TableError`.
    A size limit is the caller's job.
    """
    table_format = _detect_format(data, file_name)
    if table_format == "csv":
        raw, encoding, separator, findings = _read_csv(data)
        table = _build_table(
            raw,
            file_name=file_name,
            table_format="csv",
            encoding=encoding,
            separator=separator,
            findings=findings,
        )
        if table is None:
            raise TableError(_NO_HEADER.format(n=_HEADER_SEARCH_ROWS))
        return table
    sheets = _read_xlsx(data)
    filled = {name: frame for name, frame in sheets.items() if not frame.map(_is_blank).all().all()}
    if not filled:
        raise TableError("the workbook holds no data")
    for name, frame in filled.items():
        table = _build_table(frame, file_name=file_name, table_format="xlsx", sheet=name)
        if table is None:
            continue
        others = [other for other in filled if other != name]
        if others:
            shown = ", ".join(f'"{other}"' for other in others)
            note = Finding(
                "warning",
                None,
                None,
                f'only sheet "{name}" was read; sheet(s) {shown} also hold data: send one '
                "sheet per file (crew in a file of its own)",
            )
            return Table(**{**_table_fields(table), "findings": (*table.findings, note)})
        return table
    raise TableError(_NO_HEADER.format(n=_HEADER_SEARCH_ROWS) + " in any sheet")


def _table_fields(table: Table) -> dict[str, Any]:
    return {name: getattr(table, name) for name in Table.__slots__}


# --- recognising the columns ----------------------------------------------------------------

# Word tables read better as one string than as a literal with one word per line.
_STOPWORDS = frozenset("de d du des la le l les of the do da dos das del el y e et and".split())  # noqa: SIM905
_NUMBER_WORDS = frozenset({"n", "no", "nr", "nro", "num", "numero", "number", "nb", "nbr"})
# Format hints written into headers ("Date of birth DD/MM/YYYY", "JJ/MM/AAAA").
_FORMAT_WORDS = frozenset(
    "dd mm yy yyyy jj aa aaaa hh hhmm mmm ddmmyyyy ddmmyy yyyymmdd jjmmaaaa ddmmaaaa".split()  # noqa: SIM905
)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _header_key(text: str) -> str:
    """Header folded for matching: accents, case, punctuation, stop words and order removed."""
    text = text.replace("#", " number ")
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    tokens = []
    for word in re.findall(r"[a-z0-9]+", folded):
        if word in _NUMBER_WORDS:
            word = "number"
        elif word in _STOPWORDS or word in _FORMAT_WORDS:
            continue
        elif len(word) > 4 and word.endswith("s"):
            word = word[:-1]  # plurals: prénoms, apellidos, nombres, names
        tokens.append(word)
    return " ".join(sorted(tokens))


# Common names of each field in English, French, Spanish and Portuguese. Matching uses
# `_header_key`, so accents, case, plurals, "n°/nº/no./#" and word order need not be listed.
_VOCABULARY: dict[str, str] = {
    "surname": (
        "surname; last name; lastname; family name; passenger surname; nom; nom de famille; "
        "patronyme; apellido; primer apellido; apellido paterno; sobrenome; "
        "apelido; último nome; nome de família"
    ),
    "second_surname": "second surname; second last name; segundo apellido; apellido materno",
    "given_names": (
        "given name; given names; first name; firstname; forename; christian name; prénom; "
        "prénoms; prenom du passager; nombre; nombres; nombre de pila; nome; prenome; "
        "primeiro nome; nome próprio"
    ),
    "middle_names": (
        "middle name; middle names; second name; autres prénoms; deuxième prénom; "
        "segundo nombre; nome do meio; segundo nome"
    ),
    "full_name": (
        "name; full name; passenger name; pax name; traveller name; traveler name; crew name; "
        "passenger; nom complet; nom et prénom; nom prénom; nom et prénoms; nom du voyageur; "
        "passager; nom passager; nombre completo; nombre y apellidos; apellidos y nombre; "
        "apellido nombre; nombre del pasajero; pasajero; nome completo; nome do passageiro; "
        "passageiro; nome e sobrenome"
    ),
    "sex": "sex; gender; m/f; sexe; genre; sexo; género",
    "birth_date": (
        "date of birth; birth date; birthdate; dob; d.o.b.; born on; date de naissance; "
        "date naissance; né le; ddn; fecha de nacimiento; fecha nacimiento; f. nacimiento; "
        "fec nac; nacimiento; data de nascimento; data nascimento; dt nascimento; nascimento"
    ),
    "nationality": (
        "nationality; nationality code; citizenship; country of citizenship; nat; nationalité; "
        "nacionalidad; nacionalidade"
    ),
    "residence": (
        "country of residence; residence; residence country; pays de résidence; résidence; "
        "país de residencia; residencia; país de residência"
    ),
    "birth_place": (
        "place of birth; birth place; birthplace; country of birth; lieu de naissance; "
        "pays de naissance; lugar de nacimiento; país de nacimiento; local de nascimento; "
        "naturalidade; país de nascimento"
    ),
    "document_type": (
        "document type; doc type; type of document; travel document type; id type; "
        "type de document; type de pièce; type de pièce d'identité; nature du document; "
        "tipo de documento; tipo doc; tipo de documento de identidad"
    ),
    "document_number": (
        "document number; doc number; passport number; passport; travel document number; "
        "id number; document; travel document; numéro de passeport; passeport; "
        "numéro du document; numéro de pièce; numéro de pièce d'identité; pièce d'identité; "
        "número de pasaporte; pasaporte; número de documento; documento; número do passaporte; "
        "passaporte; número do documento"
    ),
    "issuing_state": (
        "issuing country; issuing state; country of issue; issued by; "
        "document issuing country; passport country; doc country; pays de délivrance; "
        "pays émetteur; délivré par; pays d'émission; país de emisión; país emisor; "
        "país expedidor; expedido por; país de emissão; país emissor; emitido por"
    ),
    "document_expiry": (
        "expiry date; expiration date; date of expiry; expiry; expires; valid until; "
        "doc expiry; passport expiry; document expiry; passport expiry date; "
        "date d'expiration; expiration; valable jusqu'au; date de validité; fin de validité; "
        "date d'expiration du passeport; fecha de vencimiento; fecha de caducidad; "
        "fecha de expiración; vencimiento; caducidad; válido hasta; data de validade; "
        "validade; data de expiração; data de vencimento; válido até"
    ),
    "seat": (
        "seat; seat number; siège; numéro de siège; place; asiento; número de asiento; "
        "assento; número do assento; lugar; poltrona"
    ),
    "booking_ref": (
        "booking reference; booking ref; pnr; record locator; booking; reservation; "
        "booking code; pnr locator; locator; référence de réservation; réf réservation; "
        "réservation; code de réservation; dossier; localizador; código de reserva; reserva; "
        "referencia de reserva; código da reserva; referência da reserva"
    ),
    "embarkation": (
        "embarkation; port of embarkation; boarding point; board point; boarded at; "
        "embarquement; lieu d'embarquement; point d'embarquement; embarque; lugar de embarque; "
        "punto de embarque; local de embarque"
    ),
    "disembarkation": (
        "disembarkation; debarkation; port of disembarkation; off point; offpoint; "
        "débarquement; lieu de débarquement; desembarque; lugar de desembarque; "
        "local de desembarque"
    ),
    "role": (
        "crew/passenger; crew or passenger; pax/crew; passenger type; pax type; "
        "traveller type; traveler type; type; category; crew; catégorie; type de voyageur; "
        "équipage/passager; statut; tipo de viajero; categoría; tripulante/pasajero; "
        "tipo de pasajero; categoria; tipo de viajante; tripulante/passageiro; "
        "tipo de passageiro"
    ),
    "carrier": (
        "carrier; airline; airline code; carrier code; operating carrier; compagnie; "
        "compagnie aérienne; transporteur; code compagnie; aerolínea; compañía; "
        "compañía aérea; transportista; línea aérea; companhia; companhia aérea; "
        "transportadora; empresa aérea"
    ),
    "flight_number": "flight number; flt number; numéro de vol; número de vuelo; número do voo",
    "flight": "flight; flt; flight code; vol; vuelo; voo; vôo",
    "departure_airport": (
        "departure airport; departure; from; origin; departure station; dep; orig; provenance; "
        "origine; aéroport de départ; départ; aéroport d'origine; origen; "
        "aeropuerto de origen; aeropuerto de salida; salida; procedencia; origem; "
        "aeroporto de origem; aeroporto de partida; partida; procedência"
    ),
    "arrival_airport": (
        "arrival airport; arrival; to; destination; dest; arrival station; aéroport d'arrivée; "
        "arrivée; aéroport de destination; destino; aeropuerto de destino; "
        "aeropuerto de llegada; llegada; aeroporto de destino; aeroporto de chegada; chegada"
    ),
    "departure_date": (
        "departure date; date of departure; flight date; date; date de départ; date du vol; "
        "fecha de salida; fecha del vuelo; fecha; data de partida; data do voo; data"
    ),
    "departure_time": (
        "departure time; time of departure; dep time; std; etd; heure de départ; heure; "
        "hora de salida; hora; hora de partida; horário de partida"
    ),
    "arrival_date": (
        "arrival date; date of arrival; date d'arrivée; fecha de llegada; data de chegada"
    ),
    "arrival_time": (
        "arrival time; time of arrival; arr time; sta; eta; heure d'arrivée; hora de llegada; "
        "hora de chegada; horário de chegada"
    ),
}


def _index_vocabulary() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, phrases in _VOCABULARY.items():
        for phrase in phrases.split(";"):
            key = _header_key(phrase)
            if index.setdefault(key, name) != name:
                # Caught at import, so a new synonym can never silently steal another field's.
                raise RuntimeError(f"header {phrase!r} is listed for {index[key]} and {name}")
    return index


_HEADER_FIELDS = _index_vocabulary()


def _field_for(header: str) -> str | None:
    key = _header_key(_BRACKETS.sub(" ", header))
    found = _HEADER_FIELDS.get(key)
    if found is None:
        # Bilingual headers put the other language in brackets: "Nom (Surname)".
        for inner in _BRACKETS.findall(header):
            found = _HEADER_FIELDS.get(_header_key(inner[1:-1]))
            if found:
                break
    return found


def propose_mapping(headers: list[str] | tuple[str, ...]) -> dict[str, str | None]:
    """Map each header to one of `FIELDS` by its common names, None for a column we ignore.

    Headers match whatever their case, accents, punctuation, word order or plural, in English,
    French, Spanish or Portuguese; text in brackets is ignored unless the rest is unknown
    ("Date of birth (DD/MM/YYYY)", "Nom (Surname)"). A field goes to its first header only.
    """
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        found = _field_for(header)
        if found in taken:
            found = None
        if found:
            taken.add(found)
        mapping[header] = found
    return mapping


# --- reading the values ---------------------------------------------------------------------


class _Unreadable(ValueError):
    """A cell whose value cannot be read; becomes a warning naming row and column."""


@dataclass(slots=True)
class _Cell:
    """Where a value comes from, to name it in findings."""

    row: int
    column: str
    findings: list[Finding]

    def note(self, severity: Severity, text: str) -> None:
        self.findings.append(
            Finding(severity, None, self.row, f"row {self.row}, column {self.column}: {text}")
        )


def _shown(value: object) -> str:
    """A value quoted for a finding: short, control characters escaped, never interpreted."""
    text = str(value)
    if len(text) > 40:
        text = text[:40] + "…"
    escaped = _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", _SPACING.sub(" ", text))
    return f"'{escaped}'"


_PLACEHOLDERS = frozenset({"-", "--", "—", "N/A", "n/a", "#N/A", "NULL", "null", "?"})
_FORMULA_START = ("=", "+", "-", "@")


def _text(value: object, cell: _Cell) -> str:
    """A cell as clean text; raises `_Unreadable` for formulas and overlong cells."""
    if _is_blank(value):
        return ""
    if isinstance(value, bool):
        raise _Unreadable(f"{_shown(value)} is a true/false cell")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    if len(text) > MAX_CELL_CHARS:
        raise _Unreadable(f"the cell holds {len(text)} characters, more than {MAX_CELL_CHARS}")
    spaced = _SPACING.sub(" ", text)
    cleaned = _INVISIBLE.sub("", spaced)
    if cleaned != spaced:
        cell.note("warning", f"control characters removed from {_shown(text)}")
    cleaned = _MULTISPACE.sub(" ", cleaned).strip()
    if cleaned in _PLACEHOLDERS:
        return ""
    if cleaned.startswith(_FORMULA_START):
        # CSV/formula injection: kept out of the data so that no later export can run it.
        raise _Unreadable(f"{_shown(cleaned)} looks like a spreadsheet formula")
    return cleaned


def _fold_upper(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return " ".join(re.findall(r"[A-Z0-9]+", plain))


# English, French, Spanish and Portuguese month abbreviations (first three letters, folded).
_MONTH_WORDS = (
    "JAN ENE|FEB FEV|MAR|APR AVR ABR|MAY MAI|JUN|JUL|AUG AOU AGO|SEP SET|OCT OUT|NOV|DEC DIC DEZ"
)
_MONTHS = {
    word: number
    for number, words in enumerate(_MONTH_WORDS.split("|"), start=1)
    for word in words.split()
}
_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$"
)
_NUMERIC = re.compile(
    r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})(?: (\d{1,2}):(\d{2})(?::\d{2})?)?$"
)
_WORDED = re.compile(r"^(\d{1,2})[ \-/.]?([^\W\d_]{3,})\.?[ \-/.]?(\d{2}|\d{4})$")
_EXCEL_EPOCH = datetime(1899, 12, 30)

DateUse = Literal["birth", "expiry", "flight"]


def _year(two_or_four: str, use: DateUse, today: date) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 4:
        return year
    # Two digits: a birth date is never in the future; an expiry or a flight is this century.
    if use == "birth":
        return 2000 + year if 2000 + year <= today.year else 1900 + year
    return 2000 + year


def _excel_serial(number: float) -> datetime:
    # Excel counts days from 1899-12-30 (its 1900 leap-year bug makes that the right origin
    # for every date after February 1900).
    if not 1 <= number < 2958466:
        raise _Unreadable(f"{_shown(number)} is not a date")
    return _EXCEL_EPOCH + timedelta(days=number)


def _digits_date(digits: str, use: DateUse, today: date) -> datetime:
    if len(digits) == 6:  # YYMMDD, as in the MRZ and PAXLST DTM
        return datetime(_year(digits[:2], use, today), int(digits[2:4]), int(digits[4:]))
    if len(digits) == 8:
        try:
            return datetime(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            return datetime(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    if len(digits) == 5:
        return _excel_serial(int(digits))
    raise _Unreadable(f"{_shown(digits)} is not a date")


def _moment(
    value: object, cell: _Cell, *, use: DateUse, month_first: bool, today: date
) -> datetime:
    """Date (and time when the cell has one) of a cell; raises `_Unreadable`."""
    try:
        return _moment_of(value, cell, use=use, month_first=month_first, today=today)
    except _Unreadable:
        raise
    except ValueError as exc:  # datetime() refusing 31/02, month 13...
        raise _Unreadable(f"{_shown(value)} is not a valid date") from exc


def _moment_of(
    value: object, cell: _Cell, *, use: DateUse, month_first: bool, today: date
) -> datetime:
    if isinstance(value, datetime):  # also pandas.Timestamp
        return datetime(value.year, value.month, value.day, value.hour, value.minute)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A numeric cell: YYMMDD / YYYYMMDD typed as a number, else an Excel serial date.
        digits = str(int(value)) if float(value).is_integer() else ""
        if len(digits) in (6, 8):
            return _digits_date(digits, use, today)
        return _excel_serial(float(value))
    text = _text(value, cell)
    if match := _ISO.match(text):
        y, m, d, hh, mm = match.groups()
        return datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
    if match := _NUMERIC.match(text):
        first, separator, second, y, hh, mm = match.groups()
        day, month = (second, first) if separator == "/" and month_first else (first, second)
        return datetime(_year(y, use, today), int(month), int(day), int(hh or 0), int(mm or 0))
    if match := _WORDED.match(text):
        d, word, y = match.groups()
        folded = _fold_upper(word)
        # French juin/juillet share their first three letters.
        month = 6 if folded.startswith("JUIN") else 7 if folded.startswith("JUIL") else None
        month = month or _MONTHS.get(folded[:3])
        if month is None:
            raise _Unreadable(f"{_shown(text)} names no month we know")
        return datetime(_year(y, use, today), month, int(d))
    if text.isdigit():
        return _digits_date(text, use, today)
    if re.fullmatch(r"\d{5}\.\d+", text):
        return _excel_serial(float(text))
    raise _Unreadable(
        f"{_shown(text)} is not a date in a format we read (YYYY-MM-DD, DD/MM/YYYY, DDMMMYY...)"
    )


def _read_time(value: object, cell: _Cell) -> time:
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # Excel time as a fraction of a day
        minutes = round(value * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    text = _text(value, cell)
    match = re.fullmatch(r"(\d{1,2})[:hH.]?(\d{2})(?::\d{2})?(?: ?([AaPp])\.? ?[Mm]\.?)?", text)
    if match is None:
        raise _Unreadable(f"{_shown(text)} is not a time (HH:MM)")
    hour, minute, half = int(match[1]), int(match[2]), (match[3] or "").upper()
    if half == "P" and hour < 12:
        hour += 12
    elif half == "A" and hour == 12:
        hour = 0
    try:
        return time(hour, minute)
    except ValueError as exc:
        raise _Unreadable(f"{_shown(text)} is not a valid time") from exc


def _words(entries: dict[str, str]) -> dict[str, str]:
    """Folded word -> code, from codes with their words separated by ";"."""
    return {_fold_upper(word): code for code, words in entries.items() for word in words.split(";")}


_SEX = _words(
    {
        "M": "M; Male; Man; Masculin; Masc; Homme; H; Masculino; Hombre; Varón; V; Homem",
        "F": (
            "F; Female; Woman; Féminin; Feminine; Fém; Fem; Femme; Femenino; Mujer; "
            "Feminino; Mulher"
        ),
        "U": "U; Unknown; Inconnu; Non précisé; Desconocido; Desconhecido",
        "X": "X; Other; Unspecified; Autre; Otro; Outro; Não especificado",
        # SSR DOCS infants.
        "MI": "MI",
        "FI": "FI",
    }
)
_ROLE = _words(
    {
        "crew": (
            "Crew; C; CR; CRW; Crew member; Cabin crew; Flight crew; Équipage; "
            "Membre d'équipage; PNC; PNT; Tripulación; Tripulante; Tripulação"
        ),
        "passenger": (
            "Passenger; P; PAX; Passager; Pasajero; Passageiro; ADT; Adult; Adulte; Adulto; "
            "CHD; Child; Enfant; Niño; Criança; INF; Infant; Bébé; Bebé; Bebê"
        ),
    }
)
_DOCUMENT_TYPES = _words(
    {
        "P": "P; PP; Passport; Passeport; Pasaporte; Passaporte",
        "I": (
            "I; ID; ID card; Identity card; National ID; Carte d'identité; CNI; CNIB; DNI; "
            "Cédula; Cédula de identidad; Documento de identidad; Bilhete de identidade; "
            "Carteira de identidade; RG; Cartão de cidadão"
        ),
        "V": "V; Visa",
        "AC": "AC; Crew member certificate; Crew certificate; CMC",
        "L": "L; Pilot licence; Pilot license; Licence; License",
    }
)
_TITLES = frozenset(
    "MR MRS MS MISS MSTR MSTER DR PROF MME MLLE M. SR SRA SRTA SRITA DON DONA".split()  # noqa: SIM905
)

# ISO 3166-1 alpha-2 -> alpha-3, for files that give two-letter countries. XK (Kosovo, user
# assigned) -> RKS as ICAO passports print it; UK is the usual slip for GB.
_ALPHA3 = dict(
    pair.split(":")
    for pair in """
AD:AND AE:ARE AF:AFG AG:ATG AI:AIA AL:ALB AM:ARM AO:AGO AQ:ATA AR:ARG AS:ASM AT:AUT AU:AUS
AW:ABW AX:ALA AZ:AZE BA:BIH BB:BRB BD:BGD BE:BEL BF:BFA BG:BGR BH:BHR BI:BDI BJ:BEN BL:BLM
BM:BMU BN:BRN BO:BOL BQ:BES BR:BRA BS:BHS BT:BTN BV:BVT BW:BWA BY:BLR BZ:BLZ CA:CAN CC:CCK
CD:COD CF:CAF CG:COG CH:CHE CI:CIV CK:COK CL:CHL CM:CMR CN:CHN CO:COL CR:CRI CU:CUB CV:CPV
CW:CUW CX:CXR CY:CYP CZ:CZE DE:DEU DJ:DJI DK:DNK DM:DMA DO:DOM DZ:DZA EC:ECU EE:EST EG:EGY
EH:ESH ER:ERI ES:ESP ET:ETH FI:FIN FJ:FJI FK:FLK FM:FSM FO:FRO FR:FRA GA:GAB GB:GBR GD:GRD
GE:GEO GF:GUF GG:GGY GH:GHA GI:GIB GL:GRL GM:GMB GN:GIN GP:GLP GQ:GNQ GR:GRC GS:SGS GT:GTM
GU:GUM GW:GNB GY:GUY HK:HKG HM:HMD HN:HND HR:HRV HT:HTI HU:HUN ID:IDN IE:IRL IL:ISR IM:IMN
IN:IND IO:IOT IQ:IRQ IR:IRN IS:ISL IT:ITA JE:JEY JM:JAM JO:JOR JP:JPN KE:KEN KG:KGZ KH:KHM
KI:KIR KM:COM KN:KNA KP:PRK KR:KOR KW:KWT KY:CYM KZ:KAZ LA:LAO LB:LBN LC:LCA LI:LIE LK:LKA
LR:LBR LS:LSO LT:LTU LU:LUX LV:LVA LY:LBY MA:MAR MC:MCO MD:MDA ME:MNE MF:MAF MG:MDG MH:MHL
MK:MKD ML:MLI MM:MMR MN:MNG MO:MAC MP:MNP MQ:MTQ MR:MRT MS:MSR MT:MLT MU:MUS MV:MDV MW:MWI
MX:MEX MY:MYS MZ:MOZ NA:NAM NC:NCL NE:NER NF:NFK NG:NGA NI:NIC NL:NLD NO:NOR NP:NPL NR:NRU
NU:NIU NZ:NZL OM:OMN PA:PAN PE:PER PF:PYF PG:PNG PH:PHL PK:PAK PL:POL PM:SPM PN:PCN PR:PRI
PS:PSE PT:PRT PW:PLW PY:PRY QA:QAT RE:REU RO:ROU RS:SRB RU:RUS RW:RWA SA:SAU SB:SLB SC:SYC
SD:SDN SE:SWE SG:SGP SH:SHN SI:SVN SJ:SJM SK:SVK SL:SLE SM:SMR SN:SEN SO:SOM SR:SUR SS:SSD
ST:STP SV:SLV SX:SXM SY:SYR SZ:SWZ TC:TCA TD:TCD TF:ATF TG:TGO TH:THA TJ:TJK TK:TKL TL:TLS
TM:TKM TN:TUN TO:TON TR:TUR TT:TTO TV:TUV TW:TWN TZ:TZA UA:UKR UG:UGA UM:UMI US:USA UY:URY
UZ:UZB VA:VAT VC:VCT VE:VEN VG:VGB VI:VIR VN:VNM VU:VUT WF:WLF WS:WSM YE:YEM YT:MYT ZA:ZAF
ZM:ZMB ZW:ZWE XK:RKS UK:GBR
""".split()  # noqa: SIM905
)


def _country(value: object, cell: _Cell, what: str) -> str | None:
    text = _text(value, cell)
    if not text:
        return None
    code = text.upper()
    if re.fullmatch(r"[A-Z]{3}|D", code):
        return code  # alpha-3 (or ICAO "D") as written
    if code in _ALPHA3:
        cell.note("info", f"{what} '{code}' is a two-letter code: read as {_ALPHA3[code]}")
        return _ALPHA3[code]
    raise _Unreadable(f"{what} {_shown(text)} is not an ISO 3166 country code (e.g. SEN, FRA)")


def _airport(value: object, cell: _Cell, what: str) -> str | None:
    text = _text(value, cell)
    if not text:
        return None
    upper = text.upper()
    match = (
        re.fullmatch(r"[A-Z]{3}", upper)
        or re.match(r"([A-Z]{3})(?=\s*[-\u2013/:(]|\s+\w)", upper)
        or re.search(r"\(([A-Z]{3})\)", upper)
    )
    if match is None:
        raise _Unreadable(f"{what} {_shown(text)} is not a 3-letter IATA airport code")
    return match.group(match.lastindex or 0)


def _coded(value: object, cell: _Cell, words: dict[str, str], what: str) -> str | None:
    text = _text(value, cell)
    if not text:
        return None
    found = words.get(_fold_upper(text))
    if found is None:
        raise _Unreadable(f"{what} {_shown(text)} is not a value we know")
    return found


def _name(value: object, cell: _Cell) -> str | None:
    # Upper case like the MRZ and PAXLST, but accents and non-Latin scripts kept as written.
    return _text(value, cell).upper() or None


def _pattern(value: object, cell: _Cell, pattern: str, what: str) -> str | None:
    text = _text(value, cell).upper()
    if not text:
        return None
    if not re.fullmatch(pattern, text):
        raise _Unreadable(f"{what} {_shown(text)} is not valid")
    return text


_FLIGHT = re.compile(r"([A-Z]{3}|[A-Z0-9]{2})\s*-?\s*(\d{1,4}[A-Z]?)")


def _split_flight(text: str) -> tuple[str, str] | None:
    match = _FLIGHT.fullmatch(text.upper().strip())
    if match is None or match[1].isdigit():
        return None  # an airline designator has at least one letter
    return match[1], match[2]


# --- from rows to a message -----------------------------------------------------------------


@dataclass(slots=True)
class _FlightParts:
    """Flight-level values seen in the rows: the first of each, and where it was seen."""

    values: dict[str, object] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def see(self, name: str, value: object, cell: _Cell, label: str) -> None:
        if value is None:
            return
        if name not in self.values:
            self.values[name] = value
            self.rows[name] = cell.row
        elif self.values[name] != value:
            cell.note(
                "warning",
                f"{label} {_shown(value)} differs from {_shown(self.values[name])} in row "
                f"{self.rows[name]}: the file is read as one flight",
            )


def _month_first(header: str, values: list[object]) -> tuple[bool, str | None]:
    """Whether a column writes dates month first (12/25/1980); DD/MM is the default."""
    hint = _fold_upper(header).replace(" ", "")
    if "MMDD" in hint:
        return True, None
    if "DDMM" in hint or "JJMM" in hint:
        return False, None
    firsts, seconds = [], []
    for value in values:
        match = _NUMERIC.match(value.strip()) if isinstance(value, str) else None
        if match and match[2] == "/":
            firsts.append(int(match[1]))
            seconds.append(int(match[3]))
    if firsts and max(firsts) <= 12 < max(seconds):
        return True, "its dates are read as month/day/year (a day is over 12 in second place)"
    return False, None


def _check_mapping(table: Table, mapping: Mapping[str, str | None]) -> dict[str, str]:
    """Field -> header of a confirmed mapping, refusing unknown headers, fields and repeats."""
    by_field: dict[str, str] = {}
    for header, name in mapping.items():
        if header not in table.headers:
            raise TableError(f'the mapping names a column "{header}" that the file does not have')
        if name is None or name == "":
            continue
        if name not in FIELDS:
            raise TableError(f'column "{header}" is mapped to an unknown field "{name}"')
        if name in by_field:
            raise TableError(
                f'columns "{by_field[name]}" and "{header}" are both mapped to {FIELDS[name]}'
            )
        by_field[name] = header
    if not any(name in by_field for name in NAME_FIELDS):
        raise TableError(
            "no column holds the travellers' names: map a column to Surname or Full name"
        )
    return by_field


def _split_full_name(full: str) -> tuple[str, str | None, bool]:
    """SURNAME/GIVEN or SURNAME, Given; returns (surname, given names, was it split)."""
    for separator in ("/", ","):
        if separator in full:
            surname, given = full.split(separator, 1)
            return surname.strip(), given.strip() or None, True
    return full, None, False


def _drop_title(given: str | None) -> str | None:
    # Airline lists append the title to the given names: "DOE/JOHN MR".
    if given and " " in given and given.rsplit(" ", 1)[1] in _TITLES:
        return given.rsplit(" ", 1)[0]
    return given


@dataclass(slots=True)
class _Row:
    """One data row being read: its cells by field, and the findings about it."""

    number: int
    values: pd.Series
    by_field: dict[str, str]
    column_name: dict[str, str]
    findings: list[Finding] = field(default_factory=list)
    has_value: bool = False

    def cell(self, name: str) -> _Cell:
        return _Cell(self.number, self.column_name[self.by_field[name]], self.findings)

    def read(self, name: str, reader: Callable[[object, _Cell], Any]) -> Any:
        """The value of field `name` read by `reader`, or None (blank, unmapped, unreadable)."""
        header = self.by_field.get(name)
        if header is None or _is_blank(self.values[header]):
            return None
        cell = self.cell(name)
        try:
            result = reader(self.values[header], cell)
        except _Unreadable as problem:
            cell.note("warning", f"{problem}: not read")
            return None
        self.has_value = self.has_value or result is not None
        return result

    def moment(self, name: str, use: DateUse, month_first: bool, today: date) -> datetime | None:
        return self.read(
            name, lambda v, c: _moment(v, c, use=use, month_first=month_first, today=today)
        )


def apply_mapping(
    table: Table,
    mapping: Mapping[str, str | None],
    *,
    flight: FlightLeg | None = None,
    today: date | None = None,
) -> ParsedMessage:
    """Read the travellers of `table` with a confirmed header -> field mapping.

    The flight comes from the officer's `flight` where it gives a value, else from the flight
    columns (the first value of each; a row that differs is a warning). Without carrier, number,
    both airports and a date, or without a name column or any readable traveller, raises
    `TableError`. A value that cannot be read is a warning on its row and column, and a row
    without a name an error; the other travellers are kept. `today` resolves two-digit birth
    years (a birth date is not in the future).
    """
    today = today or date.today()
    by_field = _check_mapping(table, mapping)
    if table.frame.empty:
        raise TableError(
            "the file has a header row but no traveller under it", row=table.header_row
        )
    findings: list[Finding] = list(table.findings)
    column_name = dict(zip(table.headers, table.column_names, strict=True))
    month_first: dict[str, bool] = {}
    for name in ("birth_date", "document_expiry", "departure_date", "arrival_date"):
        if name in by_field:
            header = by_field[name]
            month_first[name], why = _month_first(header, table.frame[header].tolist())
            if why:
                findings.append(Finding("info", None, None, f"column {column_name[header]}: {why}"))

    travellers: list[Traveller] = []
    parts = _FlightParts()
    unsplit_names = 0
    for number in table.frame.index.tolist():
        row = _Row(number, table.frame.loc[number], by_field, column_name)
        traveller, was_split = _read_traveller(row, month_first, today)
        unsplit_names += not was_split
        _see_flight(parts, row, month_first)
        if not row.has_value and not row.findings:
            continue  # only ignored columns hold something (a row number, a total)
        findings.extend(row.findings)
        if not (traveller.surname or traveller.given_names):
            names = " and ".join(
                column_name[header] for name, header in by_field.items() if name in _NAME_COLUMNS
            )
            findings.append(
                Finding(
                    "error",
                    None,
                    row.number,
                    f"row {row.number}: no name ({names} empty or unreadable): the row was not "
                    "read",
                )
            )
            continue
        if not traveller.surname:
            findings.append(Finding("warning", None, row.number, f"row {row.number}: no surname"))
        travellers.append(traveller)

    if unsplit_names:
        findings.append(
            Finding(
                "info",
                None,
                None,
                f"{unsplit_names} full name(s) had no '/' or ',' between surname and given "
                "names: each was kept whole as the surname",
            )
        )
    if not travellers:
        problems = [f.text for f in findings if f.severity == "error"]
        raise TableError(
            "no traveller could be read from the file" + (f" ({problems[0]})" if problems else "")
        )
    leg = _flight_leg(parts, flight, findings)
    roles = {t.role for t in travellers}
    list_type: ListType = "crew" if roles == {"crew"} else "passenger"
    if "crew" in roles and list_type == "passenger":
        crew = sum(t.role == "crew" for t in travellers)
        findings.append(
            Finding(
                "warning",
                None,
                None,
                f"{crew} row(s) are marked crew in a file that also lists passengers: all are "
                "stored as one passenger list",
            )
        )
    return ParsedMessage(
        type="PAXLST",
        findings=findings,
        list_type=list_type,
        action="original",
        travellers=travellers,
        flights=[leg],
        control_count=len(travellers),
    )


def _read_traveller(row: _Row, month_first: dict[str, bool], today: date) -> tuple[Traveller, bool]:
    """The traveller of a row, and False when a full name could not be split."""
    surname = row.read("surname", _name)
    given = row.read("given_names", _name)
    full = row.read("full_name", _name)
    was_split = True
    if full and not surname:
        surname, from_full, was_split = _split_full_name(full)
        given = given or from_full
    second = row.read("second_surname", _name)
    middle = row.read("middle_names", _name)
    surname = " ".join(p for p in (surname, second) if p) or None
    given = _drop_title(" ".join(p for p in (given, middle) if p) or None)

    birth = row.moment("birth_date", "birth", month_first.get("birth_date", False), today)
    if birth is not None and not date(1900, 1, 1) <= birth.date() <= today:
        row.cell("birth_date").note(
            "warning", f"birth date {birth.date().isoformat()} is not plausible: not read"
        )
        birth = None
    expiry = row.moment(
        "document_expiry", "expiry", month_first.get("document_expiry", False), today
    )
    document = Document(
        type=row.read("document_type", _document_type),
        number=row.read(
            "document_number",
            lambda v, c: _pattern(v, c, r"[A-Z0-9][A-Z0-9 ./-]{0,34}", "document number"),
        ),
        issuing_state=row.read("issuing_state", lambda v, c: _country(v, c, "issuing state")),
        expiry=_date_only(expiry),
    )
    # "N° passeport", "Passport No": without a type column, the header says what it is.
    header_says_passport = bool(
        re.search(r"PAS+[AE]?PORT", _fold_upper(row.by_field.get("document_number", "")))
    )
    if document.number and document.type is None and header_says_passport:
        document.type = "P"
    role = row.read("role", lambda v, c: _coded(v, c, _ROLE, "crew/passenger"))
    traveller = Traveller(
        surname=surname,
        given_names=given,
        sex=row.read("sex", lambda v, c: _coded(v, c, _SEX, "sex")),
        birth_date=_date_only(birth),
        nationality=row.read("nationality", lambda v, c: _country(v, c, "nationality")),
        residence=row.read("residence", lambda v, c: _country(v, c, "residence")),
        birth_place=row.read("birth_place", _name),
        embarkation=row.read("embarkation", lambda v, c: _airport(v, c, "embarkation")),
        disembarkation=row.read("disembarkation", lambda v, c: _airport(v, c, "disembarkation")),
        seat=row.read("seat", lambda v, c: _pattern(v, c, r"\d{1,3}[A-Z]", "seat")),
        booking_ref=row.read(
            "booking_ref", lambda v, c: _pattern(v, c, r"[A-Z0-9]{4,12}", "booking reference")
        ),
        documents=[document] if (document.number or document.type) else [],
        role=role or "passenger",
    )
    return traveller, was_split


_NAME_COLUMNS = frozenset({"surname", "given_names", "full_name", "second_surname", "middle_names"})


def _date_only(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _document_type(value: object, cell: _Cell) -> str | None:
    text = _text(value, cell)
    if not text:
        return None
    found = _DOCUMENT_TYPES.get(_fold_upper(text))
    if found:
        return found
    if re.fullmatch(r"[A-Za-z0-9]{1,3}", text):
        return text.upper()  # a state's own code: stored as written (codes reference)
    raise _Unreadable(f"document type {_shown(text)} is not a code or word we know")


def _see_flight(parts: _FlightParts, row: _Row, month_first: dict[str, bool]) -> None:
    """Collect the flight-level values of one row."""
    by_field = row.by_field
    carrier = row.read("carrier", lambda v, c: _pattern(v, c, r"[A-Z0-9]{2}|[A-Z]{3}", "carrier"))
    number = row.read("flight_number", lambda v, c: _text(v, c).upper() or None)
    if number and (split := _split_flight(number)):
        carrier = carrier or split[0]
        number = split[1]
    elif number and not re.fullmatch(r"\d{1,4}[A-Z]?", number):
        row.cell("flight_number").note(
            "warning", f"flight number {_shown(number)} is not valid: not read"
        )
        number = None
    combined = row.read("flight", lambda v, c: _text(v, c).upper() or None)
    if combined:
        split = _split_flight(combined)
        if split is None:
            row.cell("flight").note(
                "warning",
                f"flight {_shown(combined)} is not a carrier and number (like KP051): not read",
            )
        else:
            carrier, number = carrier or split[0], number or split[1]
    if carrier:
        source = _first(by_field, "carrier", "flight_number", "flight")
        parts.see("carrier", carrier, row.cell(source), "carrier")
    if number:
        source = _first(by_field, "flight_number", "flight")
        parts.see("number", number, row.cell(source), "flight number")
    for name in ("departure_airport", "arrival_airport"):
        label = name.replace("_", " ")
        airport = row.read(name, partial(_airport, what=label))
        if airport:
            parts.see(name, airport, row.cell(name), label)
    for end in ("departure", "arrival"):
        day = row.moment(f"{end}_date", "flight", month_first.get(f"{end}_date", False), date.max)
        clock = row.read(f"{end}_time", _read_time)
        if day is None:
            continue
        if clock is not None:
            day = datetime.combine(day.date(), clock)
        parts.see(f"{end}_time", day, row.cell(f"{end}_date"), f"{end} date")


def _first(by_field: dict[str, str], *names: str) -> str:
    return next(name for name in names if name in by_field)


def _flight_leg(parts: _FlightParts, given: FlightLeg | None, findings: list[Finding]) -> FlightLeg:
    """The officer's flight where it says something, the file's where it does not."""
    given = given or FlightLeg()
    found = parts.values
    chosen: dict[str, Any] = {}
    for name, entered in (
        ("carrier", given.carrier),
        ("number", given.number),
        ("departure_airport", given.departure.airport),
        ("arrival_airport", given.arrival.airport),
        ("departure_time", given.departure.time),
        ("arrival_time", given.arrival.time),
    ):
        in_file = found.get(name)
        if entered is not None and in_file is not None and _differs(name, entered, in_file):
            findings.append(
                Finding(
                    "warning",
                    None,
                    None,
                    f"the file gives {name.replace('_', ' ')} {_shown(in_file)} (row "
                    f"{parts.rows[name]}) but {_shown(entered)} was entered: the entry is used",
                )
            )
        chosen[name] = entered if entered is not None else in_file
    missing = [
        label
        for label, present in (
            ("carrier", chosen["carrier"]),
            ("flight number", chosen["number"]),
            ("departure airport", chosen["departure_airport"]),
            ("arrival airport", chosen["arrival_airport"]),
            ("date", chosen["departure_time"] or chosen["arrival_time"]),
        )
        if not present
    ]
    if missing:
        raise TableError(
            f"the flight is incomplete: neither the file nor the entry gives its "
            f"{', '.join(missing)}; enter the flight with the file"
        )
    return FlightLeg(
        carrier=str(chosen["carrier"]).upper(),
        number=str(chosen["number"]).upper(),
        departure=Point(chosen["departure_airport"], chosen["departure_time"]),
        arrival=Point(chosen["arrival_airport"], chosen["arrival_time"]),
    )


def _differs(name: str, entered: object, in_file: object) -> bool:
    if name == "number":
        return str(entered).lstrip("0").upper() != str(in_file).lstrip("0").upper()
    if isinstance(entered, datetime) and isinstance(in_file, datetime):
        # A date-only cell (midnight) agrees with any time on that day.
        if in_file.time() == time(0):
            return entered.date() != in_file.date()
        return entered.replace(tzinfo=None) != in_file
    return str(entered).upper() != str(in_file).upper()


def read_manifest(
    data: bytes,
    file_name: str,
    *,
    mapping: Mapping[str, str | None] | None = None,
    flight: FlightLeg | None = None,
    today: date | None = None,
) -> ParsedMessage:
    """`read_table`, then `apply_mapping` with `mapping` or, without one, `propose_mapping`."""
    table = read_table(data, file_name)
    chosen = mapping if mapping is not None else propose_mapping(table.headers)
    return apply_mapping(table, chosen, flight=flight, today=today)
