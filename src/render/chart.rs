//! The home page's cost-versus-effort chart: an SVG scatter plot drawn at build time, one
//! point per record that has both a cost and a number of study hours, each a link to its
//! record with an accessible name, its level told by shape as well as colour (circle,
//! square, triangle, diamond), and after the SVG a legend of the levels present. No script
//! is needed to see it; the theme's script dims the points that the filters hide (each
//! point carries the record's `data-id`) and moves the focus between points with the arrow
//! keys (one point is in the tab order).

use std::collections::BTreeSet;
use std::fmt::Write;

use super::data::xml_escape;
use super::views::{amount_text, number};
use crate::config::Money;
use crate::content::Record;
use crate::routes::Route;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 340.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 18.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 52.0;
const TICKS: f64 = 5.0;

/// A tick step of 1, 2, 2.5 or 5 times a power of ten, and the axis end (a whole number
/// of steps, at least `max`): of the steps giving 3 to 8 ticks, the one whose end is
/// closest to `max` (the axis stops where the data does), then the one nearest `TICKS`.
fn axis(max: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / TICKS;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut best: Option<(f64, f64, f64)> = None; // (end, distance from TICKS, step)
    for power in [magnitude / 10.0, magnitude, magnitude * 10.0] {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * power;
            let count = (max / step - 1e-9).ceil();
            if !(3.0..=8.0).contains(&count) {
                continue;
            }
            let candidate = (count * step, (count - TICKS).abs(), step);
            if best.is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                best = Some(candidate);
            }
        }
    }
    if let Some((end, _, step)) = best.filter(|b| b.0.is_finite()) {
        return (step, end);
    }
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    (step, (max / step).ceil() * step)
}

/// The tick values `0, step, 2·step, ...` up to `end`. Counted in whole steps, never by
/// adding floats until they pass the end (which never happens once they stop growing), and
/// never more than `MAX_TICKS` whatever the numbers.
fn ticks(step: f64, end: f64) -> impl Iterator<Item = f64> {
    const MAX_TICKS: usize = 50;
    let steps = (end / step).round();
    let count = if steps.is_finite() && steps >= 0.0 {
        (steps as usize).min(MAX_TICKS)
    } else {
        0
    };
    (0..=count).map(move |i| i as f64 * step)
}

/// `from A to B`, or just `A` when both ends are the same (in the site's language).
fn span(low: String, high: String, money: &Money) -> String {
    if low == high {
        low
    } else {
        money
            .format
            .word("span", "from {low} to {high}")
            .replace("{low}", &low)
            .replace("{high}", &high)
    }
}

/// One decimal is plenty inside a 640-wide view box, and keeps the SVG small.
fn coord(v: f64) -> String {
    number((v * 10.0).round() / 10.0)
}

/// The levels a point can show, in legend order (class suffixes; `other` for a record
/// without a level).
const LEVELS: [&str; 4] = ["foundation", "professional", "expert", "other"];

/// A point's shape centred on `x y`, as path data starting `M{x} {y}` (the script reads the
/// centre back from it) and drawn with relative moves.
fn shape(level: &str, x: &str, y: &str) -> String {
    let rest = match level {
        "foundation" => "m-5 0a5 5 0 1 0 10 0a5 5 0 1 0-10 0z",
        "professional" => "m-4.5-4.5h9v9h-9z",
        "expert" => "m0-6.5l6 10.5h-12z",
        _ => "m0-6l6 6-6 6-6-6z",
    };
    format!("M{x} {y}{rest}")
}

/// The legend: one item per level present, its shape beside its name (`level_label`).
fn legend(present: &BTreeSet<&str>, level_label: &dyn Fn(&str) -> String) -> String {
    let mut out = String::from("<ul class=\"chart-legend\">");
    for level in LEVELS.iter().filter(|l| present.contains(*l)) {
        let label = xml_escape(&level_label(level));
        let _ = write!(
            out,
            "<li><svg class=\"swatch pt-{level}\" viewBox=\"0 0 14 14\" width=\"14\" height=\"14\" \
             aria-hidden=\"true\" focusable=\"false\"><path d=\"{}\"/></svg>{label}</li>",
            shape(level, "7", "7.5")
        );
    }
    out.push_str("</ul>");
    out
}

/// The chart as an `<svg>` element followed by its legend, or an empty string when no
/// record has both a cost and study hours. Points are drawn in `order` (indices into
/// `records`).
/// `level_label` names a level in the legend (`other`: no level).
pub fn svg(
    records: &[Record],
    order: &[usize],
    base_path: &str,
    money: &Money,
    level_label: &dyn Fn(&str) -> String,
) -> String {
    let records = order.iter().filter_map(|&i| records.get(i));
    let mut points = Vec::new();
    let mut left_out = 0usize;
    let mut currencies = BTreeSet::new();
    for r in records {
        // The amount in the base currency: a yen price is never plotted as dollars.
        let cost = r.cost.as_ref().and_then(|c| c.amount_base);
        let hours = r.effort.as_ref().and_then(|e| e.hours);
        match (cost, hours) {
            (Some(c), Some(h)) if c.is_finite() && h.is_finite() => {
                match (
                    money.base(),
                    r.cost.as_ref().and_then(|c| c.currency.as_deref()),
                ) {
                    (Some(base), _) => {
                        currencies.insert(base);
                    }
                    (None, Some(cur)) => {
                        currencies.insert(cur);
                    }
                    (None, None) => {}
                }
                points.push((r, c, h));
            }
            _ => left_out += 1,
        }
    }
    if points.is_empty() {
        return String::new();
    }
    let currency = match currencies.len() {
        0 => String::new(),
        1 => currencies
            .iter()
            .next()
            .copied()
            .unwrap_or_default()
            .to_string(),
        _ => money
            .format
            .word("mixed_currencies", "mixed currencies")
            .to_string(),
    };
    let unit = |n: f64| {
        if currencies.len() == 1 {
            format!("{} {currency}", money.format.number(n))
        } else {
            money.format.number(n)
        }
    };
    let fold = |f: fn(f64, f64) -> f64, pick: fn(&(&Record, f64, f64)) -> f64| {
        points.iter().map(pick).fold(f64::NAN, f)
    };
    let (cost_min, cost_max) = (fold(f64::min, |p| p.1), fold(f64::max, |p| p.1));
    let (hours_min, hours_max) = (fold(f64::min, |p| p.2), fold(f64::max, |p| p.2));
    let (x_step, x_end) = axis(hours_max);
    let (y_step, y_end) = axis(cost_max);
    // Room at the left for the widest cost tick, so long amounts never run into the
    // axis title.
    let widest = ticks(y_step, y_end)
        .map(|t| money.format.number(t).chars().count())
        .max()
        .unwrap_or(1);
    let left = LEFT.max((widest as f64 * 6.5 + 36.0).ceil());
    let plot_w = WIDTH - left - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x_of = |h: f64| left + (h.max(0.0) / x_end) * plot_w;
    let y_of = |c: f64| TOP + plot_h - (c.max(0.0) / y_end) * plot_h;

    let count = points.len();
    let mut svg = String::with_capacity(2048 + count * 160);
    let words = &money.format;
    let desc = words
        .counted(
            "chart_desc",
            count as f64,
            "{n} certification plotted: study hours {hours} across, cost {cost} up.",
            "{n} certifications plotted: study hours {hours} across, cost {cost} up.",
        )
        .replace(
            "{hours}",
            &span(number(hours_min), number(hours_max), money),
        )
        .replace(
            "{cost}",
            &xml_escape(&span(unit(cost_min), unit(cost_max), money)),
        );
    let omitted = match (left_out, money.base()) {
        (0, _) => String::new(),
        (n, None) => format!(
            " {}",
            words.counted(
                "chart_omitted",
                n as f64,
                "{n} certification without a cost or study hours is not plotted.",
                "{n} certifications without a cost or study hours are not plotted.",
            )
        ),
        (n, Some(base)) => format!(
            " {}",
            words
                .counted(
                    "chart_omitted_base",
                    n as f64,
                    "{n} certification without a cost in {base} (or a rate to convert it) or \
                     study hours is not plotted.",
                    "{n} certifications without a cost in {base} (or a rate to convert it) or \
                     study hours are not plotted.",
                )
                .replace("{base}", base)
        ),
    };
    let _ = write!(
        svg,
        "<svg class=\"chart-svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"group\" \
         aria-labelledby=\"chart-title\" aria-describedby=\"chart-desc\" \
         data-plot=\"{left} {TOP} {} {}\">\
         <title id=\"chart-title\">{}</title>\
         <desc id=\"chart-desc\">{desc}{omitted} {}</desc>",
        number(plot_w),
        number(plot_h),
        xml_escape(words.word("chart_title", "Cost versus study hours")),
        xml_escape(words.word(
            "chart_every",
            "Every point is a row of the comparison table."
        )),
    );

    // Grid lines and tick labels.
    svg.push_str("<g class=\"chart-grid\" aria-hidden=\"true\">");
    let bottom = TOP + plot_h;
    let right = left + plot_w;
    for tick in ticks(x_step, x_end) {
        let x = coord(x_of(tick));
        let _ = write!(
            svg,
            "<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{bottom}\"/>\
             <text class=\"chart-tick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            bottom + 18.0,
            money.format.number(tick)
        );
    }
    for tick in ticks(y_step, y_end) {
        let y = coord(y_of(tick));
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{right}\" y2=\"{y}\"/>\
             <text class=\"chart-tick\" x=\"{}\" y=\"{y}\" dy=\"0.32em\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            money.format.number(tick)
        );
    }
    let _ = write!(
        svg,
        "<path class=\"chart-axis\" d=\"M{left} {TOP}V{bottom}H{right}\"/>\
         <text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text class=\"chart-label\" transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">{}{}</text>\
         </g>",
        left + plot_w / 2.0,
        HEIGHT - 10.0,
        xml_escape(money.format.word("chart_hours", "Study hours")),
        TOP + plot_h / 2.0,
        xml_escape(money.format.word("chart_cost", "Cost")),
        if currency.is_empty() {
            String::new()
        } else {
            format!(" ({})", xml_escape(&currency))
        }
    );

    // The points: links to their records, coloured and shaped by level. Only the first is
    // in the tab order; the arrow keys move between them.
    svg.push_str("<g class=\"chart-points\">");
    let mut present = BTreeSet::new();
    for (i, (r, cost, hours)) in points.iter().enumerate() {
        let level = r
            .level
            .as_deref()
            .filter(|l| ["foundation", "professional", "expert"].contains(l))
            .unwrap_or("other");
        present.insert(level);
        let cost_text = match r.cost.as_ref() {
            Some(c) => amount_text(
                c.amount.unwrap_or(*cost),
                c.currency.as_deref(),
                Some(*cost),
                money,
            ),
            None => money.format.number(*cost),
        };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"pt pt-{level}\" data-id=\"{}\"{} aria-label=\"{}: {}, {}\">\
             <path d=\"{}\"/></a>",
            xml_escape(&Route::Record(&r.id).url(base_path)),
            xml_escape(&r.id),
            if i == 0 { "" } else { " tabindex=\"-1\"" },
            xml_escape(&r.acronym),
            xml_escape(&cost_text),
            xml_escape(&money.format.counted("hours", *hours, "hour", "hours")),
            shape(level, &coord(x_of(*hours)), &coord(y_of(*cost))),
        );
    }
    svg.push_str("</g></svg>");
    svg.push_str(&legend(&present, level_label));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(axis(1495.0), (250.0, 1500.0));
        assert_eq!(axis(40.0), (10.0, 40.0));
        // The axis stops at the data: 160 hours end at 160, not 200.
        assert_eq!(axis(160.0), (20.0, 160.0));
        assert_eq!(axis(3995.0), (1000.0, 4000.0));
        assert_eq!(axis(0.0), (0.2, 1.0));
        assert_eq!(axis(12.0), (2.0, 12.0));
        assert_eq!(axis(95.0), (20.0, 100.0));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(xml_escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(coord(12.345), "12.3");
    }

    #[test]
    fn ticks_are_counted_not_accumulated() {
        assert_eq!(
            ticks(2.5, 10.0).collect::<Vec<_>>(),
            [0.0, 2.5, 5.0, 7.5, 10.0]
        );
        // Adding a step to 1e308 never reaches infinity's end; counting stops regardless.
        let (step, end) = axis(f64::MAX);
        assert!(ticks(step, end).count() <= 51);
        assert!(ticks(0.0, 1.0).count() <= 51);
        assert_eq!(ticks(1.0, f64::NAN).count(), 1);
        let (step, end) = axis(5e-324);
        assert!(ticks(step, end).count() <= 51);
    }
}
