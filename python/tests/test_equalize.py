"""The Python package on the real engine: every call, exactness, errors, and files the
command line accepts. Run from anywhere: paths are taken from the repository root."""

import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import equalize as eq

ROOT = Path(__file__).resolve().parents[2]
FORMULA = """[formula]
name = "tiny"
key = "code"
label = "name"

[inputs.need]
[inputs.revenue]

[params]
pool = "1000"

[vars]
gap = "max(need - revenue, 0)"

[[allocation]]
name = "grant"
pool = "pool"
weight = "gap"
round = "0.01"
"""


@pytest.fixture()
def tiny(tmp_path):
    (tmp_path / "f.toml").write_text(FORMULA, encoding="utf-8")
    return tmp_path


def test_a_built_in_formula_on_a_dataset_folder_is_exact():
    run = eq.run("cn", data=ROOT / "datasets/cn-national")
    a = run.allocations
    assert len(a) == 2943
    assert all(isinstance(v, Decimal) for v in a["total"])
    assert sum(a["total"]) == Decimal(run.summary["total"])
    assert run.summary["units"] == 2943
    assert "2943 units" in repr(run)
    assert "<table>" in run._repr_html_()


def test_a_data_frame_gives_the_same_bytes_as_the_csv_file(tiny):
    csv = "code,name,need,revenue\nA,Alpha,0.1,0\nB,Beta,0.2,0\nC,Gamma,0.3,0.1\n"
    (tiny / "d.csv").write_text(csv, encoding="utf-8")
    from_file = eq.run(tiny / "f.toml", data=tiny / "d.csv")
    exact = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "name": ["Alpha", "Beta", "Gamma"],
            "need": [Decimal("0.1"), Decimal("0.2"), Decimal("0.3")],
            "revenue": [Decimal("0"), Decimal("0"), Decimal("0.1")],
        }
    )
    from_frame = eq.run(tiny / "f.toml", data=exact)
    assert from_frame.allocations_csv == from_file.allocations_csv
    # Floats are read by their shortest round-trip text: 0.1 is 0.1, not 0.1000000000000000055.
    floats = exact.assign(need=[0.1, 0.2, 0.3], revenue=[0.0, 0.0, 0.1])
    assert eq.run(tiny / "f.toml", data=floats).allocations_csv == from_file.allocations_csv
    # The amounts: gaps 0.1, 0.2, 0.2 share 1000 in hundredths: 200, 400, 400.
    assert list(from_frame.allocations["grant"]) == [Decimal("200.00"), Decimal("400.00"), Decimal("400.00")]
    # Floats only when asked.
    assert isinstance(eq.run(tiny / "f.toml", data=exact, dtype="float").allocations["grant"][0], float)


def test_a_float_beyond_fifteen_digits_is_warned(tiny):
    frame = pd.DataFrame({"code": ["A", "B"], "name": ["a", "b"], "need": [0.1234567890123456789, 1.0], "revenue": [0.0, 0.0]})
    with pytest.warns(UserWarning, match="more than 15 significant digits"):
        eq.run(tiny / "f.toml", data=frame)


def test_params_are_set_exactly_and_runs_compare(tiny):
    frame = pd.DataFrame({"code": ["A", "B"], "name": ["a", "b"], "need": ["3", "1"], "revenue": ["0", "0"]})
    base = eq.run(tiny / "f.toml", data=frame)
    more = eq.run(tiny / "f.toml", data=frame, set={"pool": "2000"})
    changes = eq.compare(base, more)
    assert list(changes["change"]) == [Decimal("750.00"), Decimal("250.00")]
    assert list(changes["growth"]) == [Decimal(1), Decimal(1)]


def test_errors_carry_their_place_and_print_as_the_command_line(tiny):
    (tiny / "bad.toml").write_text(FORMULA.replace("max(need", "max(nede"), encoding="utf-8")
    frame = pd.DataFrame({"code": ["A"], "name": ["a"], "need": ["1"], "revenue": ["0"]})
    with pytest.raises(eq.FormulaError) as caught:
        eq.check(tiny / "bad.toml", data=frame)
    e = caught.value
    assert (e.line, e.column) == (13, 12)
    assert e.file.endswith("bad.toml")
    assert "unknown name 'nede' (did you mean 'need'?)" in e.message
    assert "did you mean 'need'?" in str(e) and "^" in str(e)
    with pytest.raises(eq.DataError) as caught:
        eq.run(tiny / "f.toml", data=frame.assign(need=["many"]))
    assert caught.value.diagnostics[0]["file"] == "data.csv"
    with pytest.raises(eq.UsageError, match="no param 'pol'"):
        eq.run(tiny / "f.toml", data=frame, set={"pol": "1"})
    assert eq.check(tiny / "f.toml", data=frame) == []


def test_messages_in_chinese_on_request_and_the_same_files(tiny):
    (tiny / "bad.toml").write_text(FORMULA.replace("max(need", "max(nede"), encoding="utf-8")
    frame = pd.DataFrame({"code": ["A", "B"], "name": ["a", "b"], "need": ["1", "3"], "revenue": ["0", "1"]})
    english = eq.run(tiny / "f.toml", data=frame)
    eq.set_language("zh")
    try:
        with pytest.raises(eq.FormulaError) as caught:
            eq.check(tiny / "bad.toml", data=frame)
        assert "您是不是想写 'need'" in caught.value.message
        assert caught.value.diagnostics[0]["code"] == "check-unknown-name-hint"
        chinese = eq.run(tiny / "f.toml", data=frame)
        assert chinese.allocations.equals(english.allocations)
    finally:
        eq.set_language("en")
    with pytest.raises(ValueError, match="the languages are en and zh"):
        eq.set_language("fr")


def test_explain_gives_the_value_tree(tiny):
    frame = pd.DataFrame({"code": ["A", "B"], "name": ["a", "b"], "need": ["3", "1"], "revenue": ["0", "0"]})
    run = eq.run(tiny / "f.toml", data=frame)
    tree = run.explain("A")
    assert tree["name"] == "total" and Decimal(tree["value"]) == Decimal(750)
    grant = tree["children"][0]
    assert grant["name"] == "grant"
    assert "total = sum of the stages counted in the total = 750" in run.explain("A", format="text")
    assert run.explain("A", format="markdown").startswith("#")
    assert run.explain("A", var="gap")["value"] == "3"


def test_a_run_written_from_python_is_verified_by_the_command_line(tiny, monkeypatch):
    (tiny / "d.csv").write_text("code,name,need,revenue\nA,a,3,0\nB,b,1,0\n", encoding="utf-8")
    monkeypatch.chdir(tiny)
    run = eq.run("f.toml", data="d.csv")
    written = run.write("out", reports=["xlsx"])
    assert sorted(Path(p).name for p in written) == ["allocations.csv", "audit.csv", "manifest.json", "report.xlsx", "summary.json"]
    verified, report = eq.verify("out")
    assert verified, report
    binary = os.environ.get("EQUALIZE_BIN") or shutil.which("equalize") or str(ROOT / "target/debug/equalize")
    if Path(binary).exists():
        done = subprocess.run([binary, "verify", "out"], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    # A DataFrame run records its table by name: saved under that name, it verifies too.
    frame = pd.read_csv("d.csv", dtype=str)
    eq.run("f.toml", data=frame, name="frame.csv").write("out2")
    manifest = json.loads((tiny / "out2/manifest.json").read_text())
    assert manifest["inputs"]["data"] == ["frame.csv"]
    frame.to_csv("frame.csv", index=False, lineterminator="\n")
    assert eq.verify("out2")[0]


def test_polars_frames_in_and_out(tiny):
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"code": ["A", "B"], "name": ["a", "b"], "need": ["3", "1"], "revenue": ["0", "0"]})
    run = eq.run(tiny / "f.toml", data=frame, frame="polars")
    out = run.allocations
    assert isinstance(out, pl.DataFrame)
    assert [Decimal(str(v)) for v in out["grant"].to_list()] == [Decimal("750.00"), Decimal("250.00")]


def test_the_walkthrough_in_docs_runs_as_written(monkeypatch):
    """Every ```python block of docs/python.md, in order, from the repository root."""
    text = (ROOT / "docs/python.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(ROOT)
    scope: dict = {"__name__": "walkthrough"}
    try:
        exec(compile("\n".join(blocks), "docs/python.md", "exec"), scope)
    finally:
        shutil.rmtree(ROOT / "results-python", ignore_errors=True)


def test_a_sweep_equals_the_command_lines_and_its_shards_add_up(tmp_path):
    whole = eq.sweep(ROOT / "scenarios/cn-sweep.toml")
    scenarios = whole.scenarios
    assert len(scenarios) == 60
    assert "ok" in set(scenarios["status"]) and set(scenarios["status"]) <= {"ok", "infeasible"}
    assert all(isinstance(t, Decimal) for t, s in zip(scenarios["total"], scenarios["status"]) if s == "ok")
    parts = [eq.sweep(ROOT / "scenarios/cn-sweep.toml", shard=f"{i}/4").scenarios for i in range(1, 5)]
    assert pd.concat(parts, ignore_index=True).equals(scenarios)
    binary = os.environ.get("EQUALIZE_BIN") or str(ROOT / "target/debug/equalize")
    if Path(binary).exists():
        done = subprocess.run(
            [binary, "sweep", "-q", str(ROOT / "scenarios/cn-sweep.toml"), "--out", str(tmp_path / "sw")],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "sw/scenarios.csv").read_text(encoding="utf-8") == whole.files["scenarios.csv"]
    with pytest.raises(eq.UsageError):
        eq.sweep(ROOT / "scenarios/cn-sweep.toml", shard="5/4")


def test_pandas_cells_of_every_kind_are_read_exactly(tiny):
    np = pytest.importorskip("numpy")
    (tiny / "d.csv").write_text("code,name,need,revenue\nA,a,0.7,0\nB,b,0.3,0\nC,c,0,0\n", encoding="utf-8")
    expected = eq.run(tiny / "f.toml", data=tiny / "d.csv").allocations_csv
    base = pd.DataFrame({"code": ["A", "B", "C"], "name": ["a", "b", "c"], "need": [0.7, 0.3, 0.0], "revenue": [0, 0, 0]})
    variants = {
        "nullable Float64": base.convert_dtypes(),
        "object column of numpy floats": base.assign(need=pd.Series([np.float64(0.7), np.float64(0.3), np.float64(0)], dtype=object)),
        "float32": base.assign(need=base["need"].astype("float32")),
        "key as the index": base.set_index("code"),
    }
    for what, frame in variants.items():
        run = eq.run(tiny / "f.toml", data=frame)
        assert run.allocations_csv == expected, what
        assert list(run.audit["need"]) == [Decimal("0.7"), Decimal("0.3"), Decimal("0")], what
    # pd.NA and NaN are empty cells (then the input's default, or an error naming the cell).
    with_na = base.convert_dtypes()
    with_na.loc[2, "need"] = pd.NA
    with pytest.raises(eq.DataError, match="need"):
        eq.run(tiny / "f.toml", data=with_na)
    # A numpy number in set= is its value.
    assert eq.run(tiny / "f.toml", data=base, set={"pool": np.float64(1000.0)}).allocations_csv == expected


def test_text_stays_text_and_compare_handles_units_in_one_run_only(tiny):
    (tiny / "g.toml").write_text(
        FORMULA.replace("[inputs.need]", "[inputs.region]\ntype = \"text\"\n[inputs.need]"), encoding="utf-8"
    )
    frame = pd.DataFrame(
        {"code": ["A", "B"], "name": ["a", "b"], "region": ["0451", "1e3"], "need": ["3", "1"], "revenue": ["0", "0"]}
    )
    run = eq.run(tiny / "g.toml", data=frame)
    assert list(run.audit["region"]) == ["0451", "1e3"]
    assert list(run.audit["code"]) == ["A", "B"]
    with pytest.warns(UserWarning, match="rows left out"):
        smaller = eq.run(tiny / "g.toml", data=frame, where="need > 2")
    changes = eq.compare(run, smaller)
    assert list(changes["change"]) == [Decimal("250.00"), Decimal("-250.00")]
    with pytest.warns(UserWarning, match="rows left out"):
        eq.run(tiny / "g.toml", data=frame.assign(code=["A", None]))


def test_ctrl_c_interrupts_a_long_sweep_at_once(tmp_path):
    import signal
    import threading
    import time

    base = ROOT / "scenarios/cn-baseline.toml"
    (tmp_path / "long.toml").write_text(
        f'[sweep]\nname = "long"\nscenario = "{base.as_posix()}"\n[grid]\n'
        'pool = { from = "2700000000000", to = "2990000000000", step = "1000000000" }\n'
        '"growth.max" = { from = "0.08", to = "0.17", step = "0.001" }\n',
        encoding="utf-8",
    )
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        eq.sweep(tmp_path / "long.toml")  # 26,000 scenarios: minutes, unless interrupted
    assert time.monotonic() - started < 5
