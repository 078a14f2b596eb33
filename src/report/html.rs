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

fn page(title: &str, body: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n",
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
    let heading = match &summary.scenario {
        Some(s) if !s.description.is_empty() => format!(
            "<h1>{}</h1>\n<p class=\"meta\">scenario {}: {}</p>\n",
            escape(&summary.formula),
            escape(&s.name),
            escape(&s.description)
        ),
        Some(s) => format!(
            "<h1>{}</h1>\n<p class=\"meta\">scenario {}</p>\n",
            escape(&summary.formula),
            escape(&s.name)
        ),
        None => format!("<h1>{}</h1>\n", escape(&summary.formula)),
    };
    let mut body = heading;
    body.push_str(&format!(
        "<p class=\"meta\">{} units · formula {} · data {} · amounts in {}</p>\n",
        summary.units,
        escape(&summary.formula_file),
        escape(&summary.data),
        escape(&summary.unit)
    ));
    body.push_str("<div class=\"cards\">");
    body.push_str(&format!(
        "<div class=\"card\">total<b>{}</b></div>",
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
    body.push_str("<h2>Stages</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>stage</th><th>pool</th><th>k</th><th>at floor</th><th>at cap</th><th>sum</th></tr></thead><tbody>\n");
    for s in &summary.stages {
        let k = if s.groups.is_empty() {
            s.k.as_deref()
                .map_or_else(|| format!("{} groups", s.groups.len()), round4)
        } else {
            format!("{} groups", s.groups.len())
        };
        let name = if s.in_total {
            escape(&s.name)
        } else {
            format!("({}) not in total", escape(&s.name))
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
            "<h2>Equalization: {} per {}</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>metric</th><th>before</th><th>after</th></tr></thead><tbody>\n",
            escape(&m.capacity), escape(&m.population)
        ));
        for (name, before, after) in m.rows() {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                name.english(),
                round4(before),
                round4(after)
            ));
        }
        body.push_str(&format!(
            "<tr><td>poorest fifth's share of the transfers</td><td colspan=\"2\">{}</td></tr>\n</tbody></table></div>\n",
            round4(&m.poorest_quintile_share)
        ));
    }
    if let Some(units) = per_capita {
        body.push_str("<h2>Per-capita capacity before and after, units sorted by capacity before</h2>\n");
        let what = match &summary.metrics {
            Some(m) => format!("{} per {}, {} per person", m.capacity, m.population, summary.unit),
            None => format!("{} per person", summary.unit),
        };
        body.push_str(&capacity_chart(units, &what));
        body.push_str("<p class=\"legend\"><span style=\"background:var(--before)\"></span>before transfers<span style=\"background:var(--after)\"></span>after transfers</p>\n");
        body.push_str("<h2>Lorenz curves (population-weighted)</h2>\n");
        body.push_str(&lorenz_chart(units));
        body.push_str("<p class=\"legend\"><span style=\"background:var(--before)\"></span>before<span style=\"background:var(--after)\"></span>after<span style=\"background:var(--line)\"></span>equality</p>\n");
    }
    body.push_str("<h2>Allocations</h2>\n<p class=\"meta\">Click a column to sort.</p>\n");
    body.push_str(&sortable_table_labelled(allocations, text_columns, &summary.labels));
    let title = match &summary.scenario {
        Some(s) => format!("{} ({})", summary.formula, s.name),
        None => summary.formula.clone(),
    };
    page(&title, &body)
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
fn sortable_table(csv_bytes: &[u8], text_columns: usize) -> String {
    sortable_table_labelled(csv_bytes, text_columns, &std::collections::BTreeMap::new())
}

/// As [`sortable_table`], the headings as the formula labels them.
fn sortable_table_labelled(
    csv_bytes: &[u8],
    text_columns: usize,
    labels: &std::collections::BTreeMap<String, String>,
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
        out.push_str(&format!("<th{class}>{}</th>", escape(labels.get(h).unwrap_or(h))));
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

fn capacity_chart(units: &[PerCapita], what: &str) -> String {
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
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"per-capita capacity before and after\">{}{}{dots}</svg>\n",
        axes(
            width,
            height,
            margin,
            &if clipped > 0 {
                format!("{what}: axis to {} (98th percentile); {clipped} values above, drawn at the top", axis_value(top))
            } else {
                format!("{what}: axis to {}", axis_value(top))
            }
        ),
        polyline(&before, "var(--before)", 2.5)
    )
}

fn lorenz_chart(units: &[PerCapita]) -> String {
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
        "<svg viewBox=\"0 0 {size} {size}\" style=\"max-width:480px\" role=\"img\" aria-label=\"Lorenz curves\">{}<line x1=\"{m}\" y1=\"{b}\" x2=\"{e}\" y2=\"{m}\" stroke=\"#d8dde6\" stroke-width=\"2\"/>{}{}<text x=\"{m}\" y=\"{l}\" font-size=\"12\" fill=\"#5b6473\">cumulative population →</text></svg>\n",
        axes(size, size, margin, "cumulative capacity ↑"),
        polyline(&before, "var(--before)", 2.5),
        polyline(&after, "var(--after)", 2.5),
        m = margin,
        b = size - margin,
        e = size - margin,
        l = size - 12.0
    )
}

/// The comparison report: totals, metrics, the distribution of changes, the table.
/// A baseline and several scenarios: a table of the scenarios (total, change, gain, lose,
/// metrics) and every unit with each scenario's difference, sortable.
pub fn comparison_many(m: &super::compare_many::Many, rows_csv: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "<h1>Comparison of {} scenarios with a base</h1>\n<p class=\"meta\">base: {}<br>amounts in {}</p>\n",
        m.scenarios.len(),
        escape(&m.base),
        escape(&m.unit)
    );
    body.push_str("<div class=\"scroll\"><table>\n<thead><tr><th></th><th class=\"text\">scenario</th><th>total</th><th>change</th><th>gain</th><th>lose</th>");
    let metric_names: Vec<String> = m
        .against_base
        .first()
        .map(|c| c.metrics.iter().map(|x| x.metric.clone()).collect())
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
    body.push_str("<h2>Distribution of changes from the base (percent, units with an amount in the base)</h2>\n");
    for (i, c) in m.against_base.iter().enumerate() {
        body.push_str(&format!("<h3>S{}: {}</h3>\n", i + 1, escape(&c.b)));
        body.push_str(&histogram(c));
    }
    body.push_str("<h2>Every unit</h2>\n<p class=\"meta\">sN_difference is scenario N minus the base. Click a column to sort.</p>\n");
    body.push_str(&sortable_table(rows_csv, 2));
    page("Comparison", &body)
}

/// A number with thousands separators, or the text as it is.
fn grouped(text: &str) -> String {
    crate::money::parse_decimal(text)
        .map(crate::money::format_grouped)
        .unwrap_or_else(|_| text.to_string())
}

pub fn comparison(c: &Comparison, rows_csv: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "<h1>Comparison</h1>\n<p class=\"meta\">A: {}<br>B: {}<br>amounts in {}</p>\n<div class=\"cards\">",
        escape(&c.a),
        escape(&c.b),
        escape(&c.unit)
    );
    for (label, value) in [
        ("units", c.units.to_string()),
        ("gain", c.winners.to_string()),
        ("lose", c.losers.to_string()),
        ("unchanged", c.unchanged.to_string()),
        ("total A", c.total_a.clone()),
        ("total B", c.total_b.clone()),
        ("difference", c.total_difference.clone()),
    ] {
        body.push_str(&format!("<div class=\"card\">{label}<b>{}</b></div>", escape(&value)));
    }
    body.push_str("</div>\n");
    let reconciled = c.sum_of_differences == c.total_difference;
    body.push_str(&format!(
        "<p>The sum of the differences, {}, {} the difference of the totals.</p>\n",
        escape(&c.sum_of_differences),
        if reconciled { "equals" } else { "does NOT equal" }
    ));
    if !c.metrics.is_empty() {
        body.push_str("<h2>Metrics</h2>\n<div class=\"scroll\"><table><thead><tr><th>metric</th><th>A</th><th>B</th></tr></thead><tbody>\n");
        for m in &c.metrics {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&m.metric),
                round4(&m.a),
                round4(&m.b)
            ));
        }
        body.push_str("</tbody></table></div>\n");
    }
    body.push_str("<h2>Distribution of changes (percent, units with an amount in A)</h2>\n");
    body.push_str(&histogram(c));
    body.push_str("<h2>Every unit, largest change first</h2>\n<p class=\"meta\">Click a column to sort.</p>\n");
    body.push_str(&sortable_table(rows_csv, 2));
    page("Comparison", &body)
}

fn histogram(c: &Comparison) -> String {
    let changes: Vec<f64> = c.rows.iter().filter_map(|r| r.percent.parse::<f64>().ok()).collect(); // float-ok: drawing
    let (width, height, margin) = (1000.0, 260.0, 40.0);
    if changes.is_empty() {
        return "<p class=\"meta\">No unit had an amount in A.</p>\n".into();
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
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{color}\"><title>{left:.2}% to {:.2}%: {count}</title></rect>",
            margin + bar * i as f64, // float-ok
            height - margin - h,
            (bar - 1.0).max(0.5),
            left + step
        ));
    }
    format!(
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"distribution of percent changes\">{}{bars}<text x=\"{margin}\" y=\"{y}\" font-size=\"12\" fill=\"#5b6473\">{low:.1}%</text><text x=\"{r}\" y=\"{y}\" font-size=\"12\" fill=\"#5b6473\" text-anchor=\"end\">{high:.1}%</text></svg>\n",
        axes(width, height, margin, &format!("most units in one bin: {most:.0}")),
        y = height - margin + 16.0,
        r = width - 10.0
    )
}
