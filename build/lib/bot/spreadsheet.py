"""The one reader of the spreadsheets operators bring (rosters, targets): .xlsx or .csv."""

import csv
from pathlib import Path

from openpyxl import load_workbook


class Unreadable(ValueError):
    """Not an .xlsx or .csv file, or one that cannot be opened."""


def read_table(path: Path) -> list[list]:
    """Every row of the first sheet (.xlsx) or of the file (.csv) as a list of cells, as stored:
    text, numbers, dates or None from a workbook; text from a CSV file."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise Unreadable(path.name)
    try:
        if suffix == ".xlsx":
            sheet = load_workbook(path, read_only=True, data_only=True).active
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [list(row) for row in csv.reader(handle)]
    except Exception as error:  # a broken zip, a bad workbook, a missing file, not UTF-8
        raise Unreadable(path.name) from error
