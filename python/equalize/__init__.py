"""equalize: exact, auditable fiscal transfer allocation, from Python.

    import equalize as eq
    run = eq.run("cn", data="datasets/cn-national")
    run.allocations          # pandas DataFrame; amounts are decimal.Decimal
    run.explain("990121")    # the value tree as nested dicts

The package calls the Rust library (``equalize._native``) directly; nothing goes through
the command line or a temporary file. Amounts are exact: ``decimal.Decimal`` values (or, with
``frame="polars"``, polars Decimal columns), floats only when asked (``dtype="float"``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import warnings
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Optional, Union

from . import _native

__version__ = _native.__version__
__all__ = [
    "run",
    "check",
    "compare",
    "verify",
    "sweep",
    "set_language",
    "Sweep",
    "Run",
    "EqualizeError",
    "FormulaError",
    "DataError",
    "UsageError",
    "InfeasibleError",
]


class EqualizeError(Exception):
    """An error of equalize: ``str(e)`` is what the command line prints.

    ``e.diagnostics`` lists every problem as a dict with ``severity``, ``code`` (the
    message's stable English identifier, the same in every language), ``message``,
    ``file``, ``line``, ``column``, ``unit``, ``cell`` and ``notes``; the first one's
    place is also on the exception as ``file``, ``line``, ``column`` and ``message``.
    """

    def __init__(self, kind: str, text: str, diagnostics: list):
        super().__init__(text.rstrip())
        self.kind = kind
        self.text = text
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else {}
        self.file = first.get("file")
        self.line = first.get("line")
        self.column = first.get("column")
        self.message = first.get("message", text)


class FormulaError(EqualizeError):
    """The formula (or a scenario) is wrong: every problem, each at its place."""


class DataError(EqualizeError):
    """The data is wrong: every problem, each at its file, cell or unit."""


class UsageError(EqualizeError):
    """An argument is wrong (an unknown param in ``set``, a missing file)."""


class InfeasibleError(EqualizeError):
    """The allocation has no solution (floors above the pool, caps below it)."""


def _error(native: Exception) -> EqualizeError:
    kind, text, diagnostics = native.args
    if kind == "usage":
        return UsageError(kind, text, diagnostics)
    if kind == "infeasible":
        return InfeasibleError(kind, text, diagnostics)
    files = [d.get("file") or "" for d in diagnostics]
    if kind == "invalid" and files and all(f.endswith(".toml") or f.startswith("built-in") for f in files if f):
        return FormulaError(kind, text, diagnostics)
    if kind == "invalid":
        return DataError(kind, text, diagnostics)
    return EqualizeError(kind, text, diagnostics)


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except _native.NativeError as native:
        raise _error(native) from None


# --- Data in -------------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.api.types.is_scalar(value) and pd.isna(value))
    except ImportError:  # pragma: no cover
        return isinstance(value, float) and math.isnan(value)


def _cell(value: Any) -> tuple[str, bool]:
    """A cell's exact text, and whether it came from a float with more than 15 significant
    digits (which a float cannot be trusted to hold)."""
    if value is None or _is_missing(value):
        return "", False
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, Decimal):
        return format(value, "f"), False
    try:  # numpy scalars: their own shortest text (float32's 0.7 is 0.7, not 0.699999988)
        import numpy as np

        if isinstance(value, np.bool_):
            return _cell(bool(value))
        if isinstance(value, np.integer):
            return str(int(value)), False
        if isinstance(value, np.floating) and not isinstance(value, np.float64):
            return np.format_float_positional(value, unique=True, trim="-"), False
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float):  # float and numpy float64
        # The shortest text that reads back as the same float, as the workbook loader
        # reads Excel's numbers.
        text = float.__repr__(float(value))
        digits = text.split("e")[0].replace("-", "").replace(".", "").lstrip("0")
        return text, len(digits) > 15
    return str(value), False


def _frame_csv(frame: Any) -> bytes:
    """A pandas or polars DataFrame as CSV bytes, every cell written exactly."""
    if hasattr(frame, "collect") and not hasattr(frame, "iter_rows"):  # a polars LazyFrame
        frame = frame.collect()
    if hasattr(frame, "index") and hasattr(frame, "reset_index"):
        # A named index (set_index("county_code")) is data: keep it as a column.
        names = [n for n in getattr(frame.index, "names", [frame.index.name]) if n is not None]
        if names:
            frame = frame.reset_index()
    if hasattr(frame, "to_dicts") and hasattr(frame, "columns"):  # polars
        columns = list(frame.columns)
        rows = (tuple(r[c] for c in columns) for r in frame.iter_rows(named=True))
    else:  # pandas: column by column, so float32 cells keep their own (shortest) text
        columns = [str(c) for c in frame.columns]

        def values(series):
            if str(series.dtype) == "float32":
                return list(series.to_numpy())
            return series.tolist()

        rows = zip(*[values(frame[c]) for c in frame.columns])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    imprecise = []
    for row in rows:
        cells = []
        for column, value in zip(columns, row):
            text, wide = _cell(value)
            if wide:
                imprecise.append(column)
            cells.append(text)
        writer.writerow(cells)
    if imprecise:
        warnings.warn(
            f"{len(imprecise)} float cells (first in column '{imprecise[0]}') hold more than 15 significant "
            "digits, which a float cannot store exactly; pass them as str or decimal.Decimal to keep every digit",
            stacklevel=5,
        )
    return out.getvalue().encode("utf-8")


def _data_args(data: Any, name: str) -> tuple[list, list]:
    """Paths and in-memory tables from ``data``: a path, a DataFrame, or a list of them."""
    if data is None:
        return [], []
    items = data if isinstance(data, (list, tuple)) else [data]
    paths, tables = [], []
    for i, item in enumerate(items):
        if isinstance(item, (str, os.PathLike)):
            paths.append(os.fspath(item))
        elif hasattr(item, "columns"):
            table_name = name if len(items) == 1 else f"{os.path.splitext(name)[0]}-{i + 1}.csv"
            tables.append((table_name, _frame_csv(item)))
        else:
            raise TypeError(f"data must be a path or a DataFrame, not {type(item).__name__}")
    return paths, tables


def _kwargs(formula, data, set, scenario, date, prior, where, name) -> dict:
    paths, tables = _data_args(data, name)
    return dict(
        formula=None if formula is None else os.fspath(formula),
        data=paths,
        tables=tables,
        set=[(str(k), _cell(v)[0]) for k, v in (set or {}).items()],
        scenario=None if scenario is None else os.fspath(scenario),
        date=date,
        prior=None if prior is None else os.fspath(prior),
        filter=where,
    )


# --- Results out ---------------------------------------------------------------------------

def _decimal_or_none(text: str) -> Optional[Decimal]:
    if text == "":
        return None
    value = Decimal(text)
    if not value.is_finite():  # "NaN", "Infinity": text, never an amount
        raise InvalidOperation(text)
    return value


def _frame(text: str, text_columns: Iterable[str], frame: str, dtype: str, label_row: bool = False):
    """A CSV of the run as a DataFrame: numbers as Decimal (or float), the rest as str."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    if label_row:
        next(reader, None)
    rows = list(reader)
    keep_text = set(text_columns)
    columns: dict[str, list] = {}
    for index, name in enumerate(header):
        values = [r[index] if index < len(r) else "" for r in rows]
        if name in keep_text:
            columns[name] = values
            continue
        if all(v in ("true", "false") for v in values) and values:
            columns[name] = [v == "true" for v in values]
            continue
        try:
            numbers = [_decimal_or_none(v) for v in values]
        except InvalidOperation:
            columns[name] = values
            continue
        columns[name] = [None if n is None else float(n) for n in numbers] if dtype == "float" else numbers
    if frame == "polars":
        import polars as pl

        return pl.DataFrame(columns)
    import pandas as pd

    return pd.DataFrame(columns, columns=header)


class Run:
    """A computed run: allocations, audit and summary as the command line writes them."""

    def __init__(self, native, frame: str = "pandas", dtype: str = "decimal"):
        self._native = native
        self._frame, self._dtype = _check_kinds(frame, dtype)
        self._outputs = None
        self._tables: dict = {}

    def _files(self):
        if self._outputs is None:
            self._outputs = _call(self._native.outputs)
        return self._outputs

    @property
    def summary(self) -> dict:
        """summary.json as a dict."""
        return json.loads(self._files()[2])

    def _table(self, index: int):
        if index not in self._tables:
            self._tables[index] = _frame(self._files()[index], self._native.text_columns(), self._frame, self._dtype)
        return self._tables[index]

    @property
    def allocations(self):
        """allocations.csv as a DataFrame (amounts in the output unit, exact). A copy: change it freely."""
        return self._table(0).clone() if self._frame == "polars" else self._table(0).copy()

    @property
    def audit(self):
        """audit.csv as a DataFrame: every input, var and stage value of every unit."""
        return self._table(1).clone() if self._frame == "polars" else self._table(1).copy()

    @property
    def allocations_csv(self) -> str:
        """allocations.csv exactly as the command line writes it."""
        return self._files()[0]

    @property
    def warnings(self) -> list:
        """Warnings about the data and the rounding, as the command line prints them."""
        return list(self._native.warnings())

    def explain(self, key: str, var: Optional[str] = None, format: str = "dict"):
        """How one unit's amount (or one var) was computed: nested dicts (``format="dict"``),
        or the text of ``equalize explain`` (``"text"``, ``"markdown"``, ``"json"``)."""
        if format == "dict":
            return json.loads(_call(self._native.explain, str(key), var, "json"))
        if format not in ("json", "markdown", "text"):
            raise ValueError(f"format must be 'dict', 'json', 'markdown' or 'text', not {format!r}")
        return _call(self._native.explain, str(key), var, format)

    def write(self, out: Union[str, os.PathLike], trace: bool = False, reports: Iterable[str] = ()) -> list:
        """Write the run's files into ``out``, all at once, as ``equalize run --out`` does
        (allocations.csv, audit.csv, summary.json, manifest.json; trace.jsonl and reports
        when asked). ``equalize verify out`` accepts the folder."""
        return _call(self._native.write, os.fspath(out), trace, list(reports))

    def _repr_html_(self) -> str:
        s = self.summary
        head = self.allocations.head(10)
        rows = "".join(
            f"<tr><td>{st['name']}</td><td>{st['pool']}</td><td>{st['sum']}</td></tr>" for st in s.get("stages", [])
        )
        table = head.to_html(index=False) if hasattr(head, "to_html") else head._repr_html_()
        return (
            f"<p><b>{s.get('formula', '')}</b>: {s.get('units', '')} units, total {_grouped(s.get('total', ''))}"
            f"{'' if s.get('unit') in (None, '', '1') else ' ' + s.get('unit')}</p><table><tr><th>stage</th><th>pool</th><th>sum</th></tr>{rows}</table>{table}"
        )

    def __repr__(self) -> str:
        s = self.summary
        return f"<equalize.Run {s.get('formula', '')!r}: {s.get('units', '')} units, total {s.get('total', '')}>"


def _grouped(text: str) -> str:
    """1234567.5 as 1,234,567.5 (for people; the files keep plain digits)."""
    whole, _, fraction = str(text).partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + ("." + fraction if fraction else "")


def _check_kinds(frame: Any, dtype: Any) -> tuple:
    if dtype is float:
        dtype = "float"
    if frame not in ("pandas", "polars"):
        raise ValueError(f"frame must be 'pandas' or 'polars', not {frame!r}")
    if dtype not in ("decimal", "float"):
        raise ValueError(f"dtype must be 'decimal' or 'float', not {dtype!r}")
    return frame, dtype


def run(
    formula: Union[str, os.PathLike, None] = None,
    data: Any = None,
    *,
    set: Optional[Mapping[str, Any]] = None,
    scenario: Union[str, os.PathLike, None] = None,
    date: Optional[str] = None,
    prior: Union[str, os.PathLike, None] = None,
    where: Optional[str] = None,
    name: str = "data.csv",
    frame: str = "pandas",
    dtype: str = "decimal",
) -> Run:
    """Run a formula (a file, or a built-in name like ``"cn"``) on data: a path (a file or a
    dataset folder), a pandas or polars DataFrame, or a list of them joined on the key.

    Keyword arguments mirror the command line: ``set`` (``--set``), ``scenario``, ``date``,
    ``prior``, ``where``. A DataFrame is read exactly (str and Decimal cells as written,
    floats by their shortest round-trip text) under ``name``, which the manifest records.
    """
    frame, dtype = _check_kinds(frame, dtype)
    kwargs = _kwargs(formula, data, set, scenario, date, prior, where, name)
    result = Run(_call(_native.run, **kwargs), frame=frame, dtype=dtype)
    left_out = result.summary.get("rows_left_out") or []
    if left_out:
        warnings.warn("rows left out of the run: " + "; ".join(left_out), stacklevel=2)
    return result


def set_language(lang: str) -> None:
    """Messages and errors from now on in ``"zh"`` (中文) or ``"en"`` (the default). Output
    files (allocations, audit, summary) do not depend on it."""
    _native.set_language(lang)


def check(
    formula: Union[str, os.PathLike, None] = None,
    data: Any = None,
    *,
    set: Optional[Mapping[str, Any]] = None,
    scenario: Union[str, os.PathLike, None] = None,
    date: Optional[str] = None,
    prior: Union[str, os.PathLike, None] = None,
    where: Optional[str] = None,
    name: str = "data.csv",
) -> list:
    """Load and check a formula on its data: the warnings, or a FormulaError / DataError
    listing every problem."""
    return _call(_native.check, **_kwargs(formula, data, set, scenario, date, prior, where, name))


def verify(folder: Union[str, os.PathLike], inputs: Union[str, os.PathLike, None] = None) -> tuple:
    """Verify a published run folder, as ``equalize verify``: (verified, report text)."""
    return _call(_native.verify, os.fspath(folder), None if inputs is None else os.fspath(inputs))


def _pandas(frame):
    if hasattr(frame, "iter_rows"):  # polars, without needing pyarrow
        import pandas as pd

        return pd.DataFrame({c: frame[c].to_list() for c in frame.columns})
    return frame


def compare(base: Run, other: Run, column: str = "total"):
    """Each unit's change from ``base`` to ``other``: a pandas DataFrame with the key, both
    amounts, the change and the growth (None where the base amount is 0 or missing). A unit
    in one run only counts as 0 in the other. Exact when both runs are Decimal."""
    key = base.summary["key"]
    a, b = _pandas(base.allocations), _pandas(other.allocations)
    merged = a[[key, column]].merge(b[[key, column]], on=key, how="outer", suffixes=("_base", "_other"))

    def number(value):
        if value is None or _is_missing(value):
            return None
        return value if isinstance(value, Decimal) else Decimal(repr(float(value)))

    old = [number(v) for v in merged[f"{column}_base"]]
    new = [number(v) for v in merged[f"{column}_other"]]
    merged[f"{column}_base"], merged[f"{column}_other"] = old, new
    merged["change"] = [(n or Decimal(0)) - (o or Decimal(0)) for o, n in zip(old, new)]
    merged["growth"] = [None if not o else ((n or Decimal(0)) - o) / o for o, n in zip(old, new)]
    return merged.sort_values(key, kind="stable").reset_index(drop=True)


class Sweep:
    """A sweep's results: ``scenarios`` (one row per scenario: its grid values and draws,
    status, total and metrics) and ``units`` (the amounts of the units the file follows),
    as DataFrames; ``files`` holds the tables as the command line writes them."""

    def __init__(self, files: dict, frame: str, dtype: str):
        self.files = files
        self._frame = frame
        self._dtype = dtype

    def _table(self, name: str):
        text = self.files.get(name)
        if text is None:
            return None
        return _frame(text, ["status", "message", "key"], self._frame, self._dtype)

    @property
    def scenarios(self):
        return self._table("scenarios.csv")

    @property
    def units(self):
        return self._table("units.csv")

    def __repr__(self) -> str:
        return f"<equalize.Sweep: {', '.join(sorted(self.files))}>"


def sweep(
    file: Union[str, os.PathLike],
    *,
    shard: Union[str, tuple, None] = None,
    frame: str = "pandas",
    dtype: str = "decimal",
) -> Sweep:
    """Run a sweep file's scenarios (docs/batch.md), all of them or shard ``"I/N"`` (or
    ``(I, N)``): the same tables as ``equalize sweep FILE --shard I/N``, as DataFrames.
    Shards of one sweep run on different workers (Dask, Ray) and their scenario tables
    concatenate into the whole sweep's."""
    frame, dtype = _check_kinds(frame, dtype)
    if isinstance(shard, tuple):
        shard = f"{shard[0]}/{shard[1]}"
    files = dict(_call(_native.sweep, os.fspath(file), shard))
    return Sweep(files, frame, dtype)
