#!/usr/bin/env python3
"""Reads report.xlsx back with openpyxl, a reader independent of the one that wrote it, and
checks it cell by cell against allocations.csv and audit.csv.

    python3 scripts/check-xlsx.py [path/to/equalize]
"""
import csv
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl

binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/equalize"
failures = 0
checks = 0
with tempfile.TemporaryDirectory() as out:
    subprocess.run([binary, "run", "-q", "--report", "xlsx", "--out", out], check=True)
    book = openpyxl.load_workbook(Path(out) / "report.xlsx")
    checks += 1
    if book.sheetnames != ["Table", "Summary", "Allocations", "Audit"]:
        failures += 1
        print("FAIL sheet names:", book.sheetnames)
    sheet = book["Allocations"]
    checks += 1
    if sheet.freeze_panes != "A2":
        failures += 1
        print("FAIL the header row is not frozen:", sheet.freeze_panes)
    checks += 1
    if not sheet.auto_filter.ref:
        failures += 1
        print("FAIL no autofilter on Allocations")
    with open(Path(out) / "allocations.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    cells = 0
    for r, row in enumerate(rows, start=1):
        for c, expected in enumerate(row, start=1):
            got = sheet.cell(row=r, column=c).value
            same = str(got) == expected if isinstance(got, str) else Decimal(str(got)) == Decimal(expected)
            cells += 1
            if not same:
                failures += 1
                print(f"FAIL Allocations {r},{c}: {got!r} != {expected!r}")
    audit = book["Audit"]
    with open(Path(out) / "audit.csv", encoding="utf-8") as f:
        audit_rows = list(csv.reader(f))
    for r, row in enumerate(audit_rows, start=1):
        for c, expected in enumerate(row, start=1):
            got = audit.cell(row=r, column=c).value
            cells += 1
            # Numbers where a float holds the exact value; the exact text otherwise.
            if isinstance(got, (int, float)) and not isinstance(got, bool):
                same = Decimal(repr(got)) == Decimal(expected)
            else:
                same = (got or "") == expected
            if not same:
                failures += 1
                print(f"FAIL Audit {r},{c}: {got!r} != {expected!r}")
    checks += 1
    # The published table: its total row is the pool, and amounts are numbers.
    table = book["Table"]
    last = table.max_row
    checks += 1
    if table.cell(row=last, column=1).value != "total" or table.cell(row=last, column=3).value != 50000000000:
        failures += 1
        print("FAIL Table total row:", [c.value for c in table[last]])
    checks += 1
    if table.page_setup.orientation != "landscape" or table.print_title_rows != "$1:$3":
        failures += 1
        print("FAIL Table print setup:", table.page_setup.orientation, table.print_title_rows)
    print(f"xlsx: read {cells} cells back with openpyxl")
print(f"xlsx: {checks - min(failures, checks)} passed, {min(failures, checks)} failed")
sys.exit(1 if failures else 0)
