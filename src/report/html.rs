//! HTML reports: one self-contained file (no network), readable on a phone and printable.
//!
//! `run --report html` gives the summary, the metrics, a sortable table of every unit,
//! and two charts drawn as inline SVG: per-capita capacity before and after the
//! transfers (units sorted by capacity before) and the Lorenz curves before and after.
//! `compare --out x.html` gives the comparison and the distribution of the changes.
//! Chart coordinates are floats: drawing only, never a reported amount.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::compare::Comparison;
use super::metrics::PerCapita;
use super::summary::Summary;
use super::ReportOptions;
use crate::i18n::{text_in, Lang};

/// A fixed text of the page in its language.
fn w(lang: Lang, id: &str) -> String {
    text_in(lang, id, &[])
}

const STYLE: &str = r#"
:root { --ink: #1d2330; --muted: #5b6473; --line: #d8dde6; --before: #9aa5b8; --after: #1f6feb; --gain: #1a7f37; --loss: #cf222e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 16px; }
h1 { font-size: 1.4em; margin: 0 0 4px; } h2 { font-size: 1.1em; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-wrap: anywhere; } .card b { display: block; font-size: 1.2em; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child, th.text, td.text { text-align: left; }
thead th { position: sticky; top: 0; background: #f6f8fa; cursor: pointer; user-select: none; }
thead th[aria-sort="ascending"]::after { content: " ▲"; } thead th[aria-sort="descending"]::after { content: " ▼"; }
.scroll { overflow-x: auto; max-height: 70vh; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; }
svg { width: 100%; height: auto; display: block; } .legend { color: var(--muted); font-size: 0.9em; }
.legend span { display: inline-block; width: 12px; height: 3px; margin: 0 4px 3px 12px; vertical-align: middle; }
.gain { color: var(--gain); } .loss { color: var(--loss); }
table.published thead th { cursor: default; } tr.subtotal td { font-weight: 600; background: #f6f8fa; } tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
@media (max-width: 600px) { body { padding: 8px; font-size: 14px; } th, td { padding: 3px 5px; } }
@media print { .scroll { max-height: none; overflow: visible; border: 0; } thead th { position: static; } a { color: inherit; } }
"#;

const SORT_SCRIPT: &str = r#"
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, column) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-v") || a.cells[column].textContent;
        var y = b.cells[column].getAttribute("data-v") || b.cells[column].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"#;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn f(value: Decimal) -> f64 /* float-ok */ {
    value.to_f64().unwrap_or(0.0) // float-ok: chart coordinates only
}

fn page(title: &str, body: &str, lang: Lang) -> Vec<u8> {
    let tag = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n",
        escape(title)
    )
    .into_bytes()
}

fn round4(text: &str) -> String {
    crate::money::parse_decimal(text)
        .map(|d| crate::money::format_fixed(d, 4))
        .unwrap_or_else(|_| text.to_string())
}

/// The run report.
pub fn run(
    summary: &Summary,
    published: &super::published::Published,
    allocations: &[u8],
    text_columns: usize,
    per_capita: Option<&[PerCapita]>,
) -> Vec<u8> {
    run_with(
        summary,
        published,
        allocations,
        text_columns,
        per_capita,
        &ReportOptions::default(),
    )
}

/// As [`run`], in the language `options` asks for.
pub fn run_with(
    summary: &Summary,
    published: &super::published::Published,
    allocations: &[u8],
    text_columns: usize,
    per_capita: Option<&[PerCapita]>,
    options: &ReportOptions,
) -> Vec<u8> {
    let lang = options.language;
    let heading = match &summary.scenario {
        Some(s) if !s.description.is_empty() => format!(
            "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
            escape(&summary.formula),
            text_in(
                lang,
                "html-scenario-described",
                crate::args![name = escape(&s.name), description = escape(&s.description)]
            )
        ),
        Some(s) => format!(
            "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
            escape(&summary.formula),
            text_in(lang, "html-scenario", crate::args![name = escape(&s.name)])
        ),
        None => format!("<h1>{}</h1>\n", escape(&summary.formula)),
    };
    let mut body = heading;
    body.push_str(&format!(
        "<p class=\"meta\">{}</p>\n",
        text_in(
            lang,
            "html-run-meta",
            crate::args![
                units = summary.units,
                formula = escape(&summary.formula_file),
                data = escape(&summary.data),
                unit = escape(&summary.unit)
            ]
        )
    ));
    body.push_str("<div class=\"cards\">");
    body.push_str(&format!(
        "<div class=\"card\">{}<b>{}</b></div>",
        w(lang, "html-total"),
        escape(&grouped(&summary.total))
    ));
    for stage in summary.stages.iter().filter(|s| s.in_total) {
        body.push_str(&format!(
            "<div class=\"card\">{}<b>{}</b></div>",
            escape(stage.label.as_deref().unwrap_or(&stage.name)),
            escape(&grouped(&stage.sum))
        ));
    }
    body.push_str("</div>\n");
    body.push_str(&published_table(published));
    body.push_str(&format!(
        "<h2>{}</h2>\n<div class=\"scroll\"><table>\n<thead><tr>",
        w(lang, "html-stages")
    ));
    for id in [
        "html-stage",
        "html-pool",
        "html-k",
        "html-at-floor",
        "html-at-cap",
        "html-sum",
    ] {
        body.push_str(&format!("<th>{}</th>", w(lang, id)));
    }
    body.push_str("</tr></thead><tbody>\n");
    for s in &summary.stages {
        let groups = || text_in(lang, "html-groups", crate::args![groups = s.groups.len()]);
        let k = if s.groups.is_empty() {
            s.k.as_deref().map_or_else(groups, round4)
        } else {
            groups()
        };
        let name = if s.in_total {
            escape(&s.name)
        } else {
            text_in(lang, "html-not-in-total", crate::args![stage = escape(&s.name)])
        };
        body.push_str(&format!(
            "<tr><td>{name}</td><td>{}</td><td>{k}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&grouped(&s.pool)),
            s.units_at_floor,
            s.units_at_cap,
            escape(&grouped(&s.sum))
        ));
    }
    body.push_str("</tbody></table></div>\n");
    if let Some(m) = &summary.metrics {
        body.push_str(&format!(
            "<h2>{}</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            text_in(
                lang,
                "html-equalization",
                crate::args![capacity = escape(&m.capacity), population = escape(&m.population)]
            ),
            w(lang, "html-metric"),
            w(lang, "html-before"),
            w(lang, "html-after")
        ));
        for (name, before, after) in m.rows() {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                w(lang, name.message_id()),
                round4(before),
                round4(after)
            ));
        }
        body.push_str(&format!(
            "<tr><td>{}</td><td colspan=\"2\">{}</td></tr>\n</tbody></table></div>\n",
            w(lang, "html-poorest-fifth-share"),
            round4(&m.poorest_quintile_share)
        ));
    }
    if let Some(units) = per_capita {
        body.push_str(&format!("<h2>{}</h2>\n", w(lang, "html-capacity-heading")));
        let what = match &summary.metrics {
            Some(m) => text_in(
                lang,
                "html-capacity-axis-metric",
                crate::args![capacity = &m.capacity, population = &m.population, unit = &summary.unit],
            ),
            None => text_in(lang, "html-capacity-axis", crate::args![unit = &summary.unit]),
        };
        body.push_str(&capacity_chart(units, &what, lang));
        body.push_str(&format!(
            "<p class=\"legend\"><span style=\"background:var(--before)\"></span>{}<span style=\"background:var(--after)\"></span>{}</p>\n",
            w(lang, "html-before-transfers"),
            w(lang, "html-after-transfers")
        ));
        body.push_str(&format!("<h2>{}</h2>\n", w(lang, "html-lorenz-heading")));
        body.push_str(&lorenz_chart(units, lang));
        body.push_str(&format!(
            "<p class=\"legend\"><span style=\"background:var(--before)\"></span>{}<span style=\"background:var(--after)\"></span>{}<span style=\"background:var(--line)\"></span>{}</p>\n",
            w(lang, "html-before"),
            w(lang, "html-after"),
            w(lang, "html-equality")
        ));
    }
    body.push_str(&format!(
        "<h2>{}</h2>\n<p class=\"meta\">{}</p>\n",
        w(lang, "html-allocations"),
        w(lang, "html-click-to-sort")
    ));
    body.push_str(&sortable_table_labelled(
        allocations,
        text_columns,
        &summary.labels,
        lang,
    ));
    let title = match &summary.scenario {
        Some(s) => format!("{} ({})", summary.formula, s.name),
        None => summary.formula.clone(),
    };
    page(&title, &body, lang)
}

/// The published table (`report::published`): amounts with thousands separators, growth
/// to two places, subtotal and total rows in bold.
fn published_table(table: &super::published::Published) -> String {
    use super::published::{Cell, ColumnKind, RowKind};
    let mut out = format!(
        "<h2>{}</h2>\n<p class=\"meta\">{}</p>\n<div class=\"scroll\"><table class=\"published\">\n<thead><tr>",
        escape(&table.title),
        escape(&table.subtitle)
    );
    for column in &table.columns {
        let class = if column.kind == ColumnKind::Text {
            " class=\"text\""
        } else {
            ""
        };
        out.push_str(&format!("<th{class}>{}</th>", escape(&column.heading)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str(match row.kind {
            RowKind::Unit => "<tr>",
            RowKind::Subtotal => "<tr class=\"subtotal\">",
            RowKind::Total => "<tr class=\"total\">",
        });
        for cell in &row.cells {
            match cell {
                Cell::Text(t) => out.push_str(&format!("<td class=\"text\">{}</td>", escape(t))),
                Cell::Amount(v) => out.push_str(&format!("<td>{}</td>", crate::money::format_grouped(*v))),
                Cell::Percent(Some(v)) => out.push_str(&format!("<td>{}</td>", crate::money::format_fixed(*v, 2))),
                Cell::Percent(None) | Cell::Empty => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// All rows of a CSV as a sortable table; the first `text_columns` columns are text.
fn sortable_table(csv_bytes: &[u8], text_columns: usize, lang: Lang) -> String {
    sortable_table_labelled(csv_bytes, text_columns, &std::collections::BTreeMap::new(), lang)
}

/// As [`sortable_table`], the headings as the formula labels them.
fn sortable_table_labelled(
    csv_bytes: &[u8],
    text_columns: usize,
    labels: &std::collections::BTreeMap<String, String>,
    lang: Lang,
) -> String {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv_bytes);
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_default();
    let numeric_from = text_columns;
    let mut out = String::from("<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr>");
    for (c, h) in header.iter().enumerate() {
        let class = if c < numeric_from { " class=\"text\"" } else { "" };
        let heading = match labels.get(h) {
            Some(label) => label.clone(),
            // A fixed column (total) in the page's language; English keeps the CSV's name.
            None if h == "total" && lang == Lang::Zh => w(lang, "html-column-total"),
            None => h.clone(),
        };
        out.push_str(&format!("<th{class}>{}</th>", escape(&heading)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for record in reader.records().flatten() {
        out.push_str("<tr>");
        for (c, value) in record.iter().enumerate() {
            if c < numeric_from {
                out.push_str(&format!("<td class=\"text\">{}</td>", escape(value)));
                continue;
            }
            // Numbers shown with thousands separators, sorted by their plain value.
            match crate::money::parse_decimal(value) {
                Ok(d) => out.push_str(&format!(
                    "<td data-v=\"{}\">{}</td>",
                    escape(value),
                    crate::money::format_grouped(d)
                )),
                Err(_) => out.push_str(&format!("<td>{}</td>", escape(value))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

fn polyline(points: &[(f64, f64)], color: &str, width: f64) -> String /* float-ok */ {
    let coordinates: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    format!(
        "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\" points=\"{}\"/>",
        coordinates.join(" ")
    )
}

fn axes(width: f64, height: f64, margin: f64, top_label: &str) -> String /* float-ok */ {
    format!(
        "<line x1=\"{margin}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#5b6473\"/><line x1=\"{margin}\" y1=\"10\" x2=\"{margin}\" y2=\"{b}\" stroke=\"#5b6473\"/><text x=\"{t}\" y=\"20\" font-size=\"12\" fill=\"#5b6473\">{}</text>",
        escape(top_label),
        b = height - margin,
        r = width - 10.0,
        t = margin + 6.0
    )
}

/// A value on an axis: whole above 100, else to 4 significant digits.
fn axis_value(v: f64) -> String /* float-ok: display */ {
    if v >= 100.0 {
        crate::money::format_grouped(rust_decimal::Decimal::from(v.round() as i64))
    } else {
        format!("{v:.4}")
    }
}

fn capacity_chart(units: &[PerCapita], what: &str, lang: Lang) -> String {
    let (width, height, margin) = (1000.0, 360.0, 50.0);
    let mut order: Vec<&PerCapita> = units.iter().collect();
    order.sort_by(|a, b| a.before.cmp(&b.before).then(a.key.cmp(&b.key)));
    // The axis stops at the 98th percentile so a few extreme units do not flatten the rest;
    // units above it are drawn on the top edge.
    let mut values: Vec<f64> = order.iter().flat_map(|u| [f(u.before), f(u.after)]).collect(); // float-ok
    values.sort_by(|a, b| a.total_cmp(b));
    let top = values.get(values.len() * 98 / 100).copied().unwrap_or(1.0);
    let top = if top > 0.0 { top } else { 1.0 };
    let clipped = values.iter().filter(|v| **v > top).count();
    let n = order.len().max(2) as f64; // float-ok
    let x = |i: usize| margin + (width - margin - 10.0) * i as f64 / (n - 1.0); // float-ok
    let y = |v: f64| height - margin - (height - margin - 10.0) * v.min(top) / top; // float-ok
    let before: Vec<(f64, f64)> = order.iter().enumerate().map(|(i, u)| (x(i), y(f(u.before)))).collect(); // float-ok
    let after: Vec<(f64, f64)> = order.iter().enumerate().map(|(i, u)| (x(i), y(f(u.after)))).collect(); // float-ok
    let dots: String = after
        .iter()
        .map(|(px, py)| format!("<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"1.6\" fill=\"var(--after)\"/>"))
        .collect();
    format!(
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">{}{}{dots}</svg>\n",
        escape(&w(lang, "html-capacity-chart-label")),
        axes(
            width,
            height,
            margin,
            &if clipped > 0 {
                text_in(
                    lang,
                    "html-axis-clipped",
                    crate::args![what = what, top = axis_value(top), clipped = clipped],
                )
            } else {
                text_in(lang, "html-axis-to", crate::args![what = what, top = axis_value(top)])
            }
        ),
        polyline(&before, "var(--before)", 2.5)
    )
}

fn lorenz_chart(units: &[PerCapita], lang: Lang) -> String {
    let (size, margin) = (420.0, 40.0);
    let curve = |key: &dyn Fn(&PerCapita) -> Decimal| -> Vec<(f64, f64)> /* float-ok */ {
        let mut order: Vec<&PerCapita> = units.iter().collect();
        order.sort_by(|a, b| key(a).cmp(&key(b)).then(a.key.cmp(&b.key)));
        let total_population: f64 = order.iter().map(|u| f(u.population)).sum(); // float-ok
        let total_capacity: f64 = order.iter().map(|u| f(u.population) * f(key(u))).sum(); // float-ok
        let mut points = vec![(0.0, 0.0)];
        let (mut p, mut c) = (0.0, 0.0);
        for u in order {
            p += f(u.population);
            c += f(u.population) * f(key(u));
            points.push((p / total_population.max(1e-300), c / total_capacity.max(1e-300)));
        }
        let span = size - 2.0 * margin;
        points
            .into_iter()
            .map(|(px, py)| (margin + span * px, size - margin - span * py))
            .collect()
    };
    let before = curve(&|u| u.before);
    let after = curve(&|u| u.after);
    format!(
        "<svg viewBox=\"0 0 {size} {size}\" style=\"max-width:480px\" role=\"img\" aria-label=\"{}\">{}<line x1=\"{m}\" y1=\"{b}\" x2=\"{e}\" y2=\"{m}\" stroke=\"#d8dde6\" stroke-width=\"2\"/>{}{}<text x=\"{m}\" y=\"{l}\" font-size=\"12\" fill=\"#5b6473\">{}</text></svg>\n",
        escape(&w(lang, "html-lorenz-label")),
        axes(size, size, margin, &w(lang, "html-lorenz-y")),
        polyline(&before, "var(--before)", 2.5),
        polyline(&after, "var(--after)", 2.5),
        escape(&w(lang, "html-lorenz-x")),
        m = margin,
        b = size - margin,
        e = size - margin,
        l = size - 12.0
    )
}

/// A metric of a comparison by its name in `lang` (its English name when it has no
/// identifier).
fn metric_name(lang: Lang, m: &super::compare::MetricChange) -> String {
    match m.id {
        Some(id) => w(lang, id),
        None => m.metric.clone(),
    }
}

/// A baseline and several scenarios: a table of the scenarios (total, change, gain, lose,
/// metrics) and every unit with each scenario's difference, sortable.
pub fn comparison_many(m: &super::compare_many::Many, rows_csv: &[u8]) -> Vec<u8> {
    comparison_many_with(m, rows_csv, &ReportOptions::default())
}

/// As [`comparison_many`], in the language `options` asks for.
pub fn comparison_many_with(m: &super::compare_many::Many, rows_csv: &[u8], options: &ReportOptions) -> Vec<u8> {
    let lang = options.language;
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        text_in(lang, "html-many-title", crate::args![scenarios = m.scenarios.len()]),
        text_in(
            lang,
            "html-many-meta",
            crate::args![base = escape(&m.base), unit = escape(&m.unit)]
        )
    );
    body.push_str(&format!(
        "<div class=\"scroll\"><table>\n<thead><tr><th></th><th class=\"text\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        w(lang, "html-scenario-column"),
        w(lang, "html-total"),
        w(lang, "html-change"),
        w(lang, "html-gain"),
        w(lang, "html-lose")
    ));
    let metric_names: Vec<String> = m
        .against_base
        .first()
        .map(|c| c.metrics.iter().map(|x| metric_name(lang, x)).collect())
        .unwrap_or_default();
    for name in &metric_names {
        body.push_str(&format!("<th>{}</th>", escape(name)));
    }
    body.push_str("</tr></thead><tbody>\n");
    for (i, c) in m.against_base.iter().enumerate() {
        body.push_str(&format!(
            "<tr><td>S{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            i + 1,
            escape(&c.b),
            grouped(&c.total_b),
            grouped(&c.total_difference),
            c.winners,
            c.losers
        ));
        for metric in &c.metrics {
            body.push_str(&format!("<td>{}</td>", round4(&metric.b)));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody></table></div>\n");
    body.push_str(&published_table(&super::compare_many::published(m)));
    body.push_str(&format!("<h2>{}</h2>\n", w(lang, "html-many-distribution")));
    for (i, c) in m.against_base.iter().enumerate() {
        body.push_str(&format!("<h3>S{}: {}</h3>\n", i + 1, escape(&c.b)));
        body.push_str(&histogram(c, lang));
    }
    body.push_str(&format!(
        "<h2>{}</h2>\n<p class=\"meta\">{}</p>\n",
        w(lang, "html-every-unit"),
        w(lang, "html-many-every-unit-note")
    ));
    body.push_str(&sortable_table(rows_csv, 2, lang));
    page(&w(lang, "html-comparison"), &body, lang)
}

/// A number with thousands separators, or the text as it is.
fn grouped(text: &str) -> String {
    crate::money::parse_decimal(text)
        .map(crate::money::format_grouped)
        .unwrap_or_else(|_| text.to_string())
}

/// The comparison report: totals, metrics, the distribution of changes, the table.
pub fn comparison(c: &Comparison, rows_csv: &[u8]) -> Vec<u8> {
    comparison_with(c, rows_csv, &ReportOptions::default())
}

/// As [`comparison`], in the language `options` asks for.
pub fn comparison_with(c: &Comparison, rows_csv: &[u8], options: &ReportOptions) -> Vec<u8> {
    let lang = options.language;
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n<div class=\"cards\">",
        w(lang, "html-comparison"),
        text_in(
            lang,
            "html-comparison-meta",
            crate::args![a = escape(&c.a), b = escape(&c.b), unit = escape(&c.unit)]
        )
    );
    for (id, value) in [
        ("html-units", c.units.to_string()),
        ("html-gain", c.winners.to_string()),
        ("html-lose", c.losers.to_string()),
        ("html-unchanged", c.unchanged.to_string()),
        ("html-total-a", c.total_a.clone()),
        ("html-total-b", c.total_b.clone()),
        ("html-difference", c.total_difference.clone()),
    ] {
        body.push_str(&format!(
            "<div class=\"card\">{}<b>{}</b></div>",
            w(lang, id),
            escape(&value)
        ));
    }
    body.push_str("</div>\n");
    let reconciled = c.sum_of_differences == c.total_difference;
    body.push_str(&format!(
        "<p>{}</p>\n",
        text_in(
            lang,
            if reconciled {
                "html-reconciled"
            } else {
                "html-not-reconciled"
            },
            crate::args![sum = escape(&c.sum_of_differences)]
        )
    ));
    if !c.metrics.is_empty() {
        body.push_str(&format!(
            "<h2>{}</h2>\n<div class=\"scroll\"><table><thead><tr><th>{}</th><th>A</th><th>B</th></tr></thead><tbody>\n",
            w(lang, "html-metrics"),
            w(lang, "html-metric")
        ));
        for m in &c.metrics {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&metric_name(lang, m)),
                round4(&m.a),
                round4(&m.b)
            ));
        }
        body.push_str("</tbody></table></div>\n");
    }
    body.push_str(&format!("<h2>{}</h2>\n", w(lang, "html-distribution")));
    body.push_str(&histogram(c, lang));
    body.push_str(&format!(
        "<h2>{}</h2>\n<p class=\"meta\">{}</p>\n",
        w(lang, "html-every-unit-largest-first"),
        w(lang, "html-click-to-sort")
    ));
    body.push_str(&sortable_table(rows_csv, 2, lang));
    page(&w(lang, "html-comparison"), &body, lang)
}

fn histogram(c: &Comparison, lang: Lang) -> String {
    let changes: Vec<f64> = c.rows.iter().filter_map(|r| r.percent.parse::<f64>().ok()).collect(); // float-ok: drawing
    let (width, height, margin) = (1000.0, 260.0, 40.0);
    if changes.is_empty() {
        return format!("<p class=\"meta\">{}</p>\n", w(lang, "html-no-amount-in-a"));
    }
    let low = changes.iter().copied().fold(f64::INFINITY, f64::min).floor(); // float-ok
    let high = changes
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max) // float-ok
        .ceil()
        .max(low + 1.0);
    let bins = 40usize;
    let step = (high - low) / bins as f64; // float-ok
    let mut counts = vec![0usize; bins];
    for v in &changes {
        let i = (((v - low) / step) as usize).min(bins - 1);
        counts[i] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64; // float-ok
    let bar = (width - margin - 10.0) / bins as f64; // float-ok
    let mut bars = String::new();
    for (i, count) in counts.iter().enumerate() {
        let h = (height - margin - 20.0) * *count as f64 / most; // float-ok
        let left = low + step * i as f64; // float-ok
        let color = if left + step <= 0.0 {
            "var(--loss)"
        } else if left >= 0.0 {
            "var(--gain)"
        } else {
            "var(--before)"
        };
        bars.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{color}\"><title>{}</title></rect>",
            margin + bar * i as f64, // float-ok
            height - margin - h,
            (bar - 1.0).max(0.5),
            text_in(
                lang,
                "html-bin",
                crate::args![
                    from = format!("{left:.2}"),
                    to = format!("{:.2}", left + step),
                    count = *count
                ]
            )
        ));
    }
    format!(
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">{}{bars}<text x=\"{margin}\" y=\"{y}\" font-size=\"12\" fill=\"#5b6473\">{low:.1}%</text><text x=\"{r}\" y=\"{y}\" font-size=\"12\" fill=\"#5b6473\" text-anchor=\"end\">{high:.1}%</text></svg>\n",
        escape(&w(lang, "html-histogram-label")),
        axes(
            width,
            height,
            margin,
            &text_in(lang, "html-histogram-most", crate::args![most = format!("{most:.0}")])
        ),
        y = height - margin + 16.0,
        r = width - 10.0
    )
}

#[cfg(test)]
mod language_tests {
    use super::*;

    #[test]
    fn the_page_is_in_the_language_asked_for_and_english_by_default() {
        let summary = Summary {
            formula: "f".into(),
            formula_file: "f.toml".into(),
            data: "d".into(),
            data_files: Vec::new(),
            data_source: String::new(),
            rows_left_out: Vec::new(),
            scenario: None,
            formula_unit: String::new(),
            labels: Default::default(),
            report: None,
            units: 1,
            key: "code".into(),
            label_column: None,
            csv_label_row: false,
            unit: "1".into(),
            params: Default::default(),
            stages: Vec::new(),
            total: "1".into(),
            metrics: None,
        };
        let published = super::super::published::Published {
            title: String::new(),
            subtitle: String::new(),
            columns: Vec::new(),
            rows: Vec::new(),
        };
        let csv = b"code,total\nA,1\n";
        let render = |language| {
            String::from_utf8(run_with(
                &summary,
                &published,
                csv,
                1,
                None,
                &ReportOptions { language },
            ))
            .unwrap()
        };
        let english = render(Lang::En);
        assert_eq!(english.as_bytes(), run(&summary, &published, csv, 1, None));
        assert!(english.contains("<html lang=\"en\">"));
        assert!(english.contains("<h2>Stages</h2>"));
        assert!(english.contains("<p class=\"meta\">1 units · formula f.toml · data d · amounts in 1</p>"));
        assert!(english.contains("<th class=\"text\">code</th><th>total</th>"));
        let chinese = render(Lang::Zh);
        assert!(chinese.contains("<html lang=\"zh-CN\">"));
        assert!(chinese.contains("<h2>分配阶段</h2>"));
        assert!(chinese.contains("<th class=\"text\">code</th><th>合计</th>"));
        assert!(!chinese.contains("Stages"));
    }
}
