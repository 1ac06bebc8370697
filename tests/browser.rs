//! The comparison experience in a real browser: headless Chromium driven through
//! chromedriver (see tests/webdriver/mod.rs) on the fixture site tests/fixtures/browser,
//! built by the real binary and served from a local port. Expected results come from the
//! site's own data/certifications.json through a small reference implementation of the
//! filters, never from the page under test.
//!
//! Needs chromium and chromium-driver (Debian packages), and for the audits npm (axe-core,
//! vnu-jar, installed once under target/) and java. Where one is missing a test prints
//! "SKIPPED: ..." and passes, unless `CI` is set.

mod common;
mod webdriver;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};
use webdriver::{Browser, axe, fold, skip};

/// The built fixture: where it is served and its published data.
struct Fixture {
    root: PathBuf,
    url: String,
    records: Vec<Value>,
}

fn build_site(name: &str, from: &Path, extra: impl FnOnce(&Path)) -> PathBuf {
    let root = webdriver::scratch().join(name);
    common::copy_dir(from, &root);
    common::copy_dir(&common::repo().join("themes"), &root.join("themes"));
    extra(&root);
    let run = common::run_in(&root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "building {name}: {}", run.stderr);
    root
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = build_site(
            "site",
            &common::repo().join("tests/fixtures/browser"),
            |_| {},
        );
        let data = std::fs::read_to_string(root.join("public/data/certifications.json"))
            .expect("data file");
        let records: Vec<Value> = serde_json::from_str(&data).expect("JSON array");
        let url = webdriver::serve(&root.join("public"));
        Fixture { root, url, records }
    })
}

// ---- A reference implementation of the filters, over the published data ----------------

#[derive(Clone, Default, Debug)]
struct Filter {
    q: &'static str,
    /// Tags/choice facets: field and ticked values (OR inside, AND across).
    tags: Vec<(&'static str, Vec<&'static str>)>,
    /// Range facets: field, minimum, maximum, include records without a value.
    ranges: Vec<(&'static str, Option<f64>, Option<f64>, bool)>,
}

fn field<'a>(record: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(record, |v, k| &v[k])
}

/// A record's values for a tags/choice facet, "unknown" when it has none.
fn values_of(record: &Value, path: &str) -> Vec<String> {
    let v = field(record, path);
    let list: Vec<String> = match v {
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().unwrap_or("").to_string())
            .collect(),
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    };
    if list.is_empty() {
        vec!["unknown".into()]
    } else {
        list
    }
}

fn matches(record: &Value, f: &Filter) -> bool {
    let mut hay = format!(
        "{} {} {}",
        record["acronym"].as_str().unwrap_or(""),
        record["name"].as_str().unwrap_or(""),
        field(record, "provider.name").as_str().unwrap_or("")
    );
    for s in record["skills"].as_array().into_iter().flatten() {
        hay.push(' ');
        hay.push_str(s.as_str().unwrap_or(""));
    }
    let hay = fold(&hay);
    if !fold(f.q).split_whitespace().all(|term| hay.contains(term)) {
        return false;
    }
    for (path, wanted) in &f.tags {
        if !wanted.is_empty() {
            let have = values_of(record, path);
            if !wanted.iter().any(|w| have.iter().any(|h| h == w)) {
                return false;
            }
        }
    }
    for (path, min, max, unknown) in &f.ranges {
        if min.is_none() && max.is_none() {
            continue;
        }
        match field(record, path).as_f64() {
            None if !unknown => return false,
            None => {}
            Some(x) if min.is_some_and(|m| x < m) || max.is_some_and(|m| x > m) => return false,
            Some(_) => {}
        }
    }
    true
}

fn expected(records: &[Value], f: &Filter) -> BTreeSet<String> {
    records
        .iter()
        .filter(|r| matches(r, f))
        .map(|r| r["id"].as_str().unwrap_or("").to_string())
        .collect()
}

// ---- Reading the page ----------------------------------------------------------------------

fn shown_ids(b: &Browser) -> Vec<String> {
    let v = b.js(
        "return Array.from(document.querySelectorAll('#cert-table tbody tr')).map(r => r.dataset.id)",
        json!([]),
    );
    serde_json::from_value(v).expect("a list of ids")
}

fn status(b: &Browser) -> String {
    b.js(
        "return document.querySelector('[role=status]').textContent.trim()",
        json!([]),
    )
    .as_str()
    .unwrap_or("")
    .to_string()
}

/// Opens the home page afresh: no compare selection or last view kept from another test
/// (the browser, and so its storage, is shared).
fn open_home(b: &Browser, query: &str) {
    forget_storage(b, &fixture().url);
    b.goto(&format!("{}{query}", fixture().url));
    wait_for_script(b);
}

fn forget_storage(b: &Browser, url: &str) {
    b.goto(&format!("{url}404.html"));
    b.js("localStorage.clear(); sessionStorage.clear()", json!([]));
}

/// Waits for the filter script to have read its index and applied the address.
fn wait_for_script(b: &Browser) {
    b.wait_for(
        "the filter script",
        "return document.documentElement.classList.contains('has-guide-js')",
        json!([]),
    );
}

/// Waits until the address bar's query is `query` (the script writes it after a frame).
fn wait_for_query(b: &Browser, query: &str) {
    b.wait_for(
        &format!("the address to end in `{query}`"),
        "return location.search === arguments[0]",
        json!([query]),
    );
}

/// The counts shown beside each value of each tags/choice facet.
fn shown_counts(b: &Browser) -> BTreeMap<String, BTreeMap<String, usize>> {
    let v = b.js(
        "const out = {};
         for (const fs of document.querySelectorAll('fieldset.facet[data-kind=tags], fieldset.facet[data-kind=choice]')) {
           const m = out[fs.dataset.field] = {};
           for (const box of fs.querySelectorAll('input[type=checkbox]')) {
             const c = fs.querySelector(`label[for='${box.id}'] .count`).textContent;
             m[box.value] = Number(c.replace(/[^0-9]/g, ''));
           }
         }
         return out;",
        json!([]),
    );
    serde_json::from_value(v).expect("counts")
}

/// Sets up `f` through the controls, the way a user would.
fn apply_through_controls(b: &Browser, f: &Filter) {
    for (path, values) in &f.tags {
        for v in values {
            b.click(&format!(
                "fieldset[data-field='{path}'] input[type=checkbox][value='{v}']"
            ));
        }
    }
    for (path, min, max, unknown) in &f.ranges {
        if let Some(m) = min {
            b.type_into(&format!("input[name='{path}.min']"), &m.to_string());
        }
        if let Some(m) = max {
            b.type_into(&format!("input[name='{path}.max']"), &m.to_string());
        }
        if *unknown {
            b.click(&format!("input[name='{path}.unknown']"));
        }
    }
    if !f.q.is_empty() {
        b.type_into("#cert-search", f.q);
    }
}

fn count_text(shown: usize, total: usize) -> String {
    let noun = if total == 1 {
        "certification"
    } else {
        "certifications"
    };
    if shown == total {
        format!("{total} {noun} shown")
    } else {
        format!("{shown} of {total} {noun} shown")
    }
}

fn cases() -> Vec<(&'static str, Filter)> {
    let tags = |t: Vec<(&'static str, Vec<&'static str>)>| Filter {
        tags: t,
        ..Filter::default()
    };
    vec![
        ("one tag", tags(vec![("audience", vec!["manager"])])),
        (
            "two tags of one facet (OR)",
            tags(vec![("audience", vec!["manager", "trainer"])]),
        ),
        (
            "two facets (AND)",
            tags(vec![
                ("audience", vec!["supervisor"]),
                ("level", vec!["professional"]),
            ]),
        ),
        ("unknown level", tags(vec![("level", vec!["unknown"])])),
        (
            "unknown delivery or in-person",
            tags(vec![("delivery", vec!["in-person", "unknown"])]),
        ),
        (
            "cost range",
            Filter {
                ranges: vec![("cost.amount", Some(100.0), Some(1500.0), false)],
                ..Filter::default()
            },
        ),
        (
            "cost minimum, unknown included",
            Filter {
                ranges: vec![("cost.amount", Some(1000.0), None, true)],
                ..Filter::default()
            },
        ),
        (
            "text in a skill",
            Filter {
                q: "forecast",
                ..Filter::default()
            },
        ),
        (
            "text in provider and name, two words",
            Filter {
                q: "alpha lead",
                ..Filter::default()
            },
        ),
        (
            "text without its accent",
            Filter {
                q: "cafe",
                ..Filter::default()
            },
        ),
        (
            "text, tag and range together",
            Filter {
                q: "o",
                tags: vec![("audience", vec!["manager", "supervisor"])],
                ranges: vec![("effort.hours", None, Some(100.0), false)],
            },
        ),
    ]
}

// ---- The tests -----------------------------------------------------------------------------

#[test]
fn filters_show_exactly_the_matching_records_with_counts_and_chart() {
    let Some(b) = Browser::get("filters_show_exactly_the_matching_records_with_counts_and_chart")
    else {
        return;
    };
    let fx = fixture();
    let total = fx.records.len();
    open_home(&b, "");
    assert_eq!(shown_ids(&b).len(), total, "every record shows at first");
    assert_eq!(status(&b), count_text(total, total));

    for (name, f) in cases() {
        open_home(&b, "");
        apply_through_controls(&b, &f);
        let want = expected(&fx.records, &f);
        let got: BTreeSet<String> = shown_ids(&b).into_iter().collect();
        assert_eq!(got, want, "case `{name}`: {f:?}");
        assert_eq!(status(&b), count_text(want.len(), total), "case `{name}`");
        assert!(want.len() < total, "case `{name}` should filter something");

        // Each count says how many rows that value gives with the other facets as they are.
        for (path, counts) in shown_counts(&b) {
            for (value, count) in counts {
                let mut g = f.clone();
                g.tags.retain(|(p, _)| *p != path);
                let v: &'static str = Box::leak(value.clone().into_boxed_str());
                let p: &'static str = Box::leak(path.clone().into_boxed_str());
                g.tags.push((p, vec![v]));
                assert_eq!(
                    count,
                    expected(&fx.records, &g).len(),
                    "case `{name}`: count of {path} = {value}"
                );
            }
        }

        // The chart (drawn when its view is first opened) highlights exactly the shown
        // records that it plots.
        b.click("#view-chart");
        let plotted: usize = want
            .iter()
            .filter(|id| {
                let r = fx
                    .records
                    .iter()
                    .find(|r| r["id"] == id.as_str())
                    .expect("record");
                field(r, "cost.amount").is_number() && field(r, "effort.hours").is_number()
            })
            .count();
        let lit = b.js(
            "return Array.from(document.querySelectorAll('.chart-overlay .chart-hl'))
               .map(p => (p.getAttribute('d').match(/M/g) || []).length).reduce((a, b) => a + b, 0)",
            json!([]),
        );
        assert_eq!(lit, json!(plotted), "case `{name}`: highlighted points");
    }

    // "Clear all" brings every record back and empties every control.
    b.click("#filters-reset");
    assert_eq!(shown_ids(&b).len(), total);
    let dirty = b.js(
        "return Array.from(document.querySelectorAll('#cert-filters input'))
           .filter(i => i.type === 'checkbox' ? i.checked : i.value !== '').length",
        json!([]),
    );
    assert_eq!(dirty, json!(0), "Clear all leaves no control set");
}

/// The preview's reload script sends `certguide:data` when only the data files changed:
/// the home page fetches its index again and shows the same view (filters, ticks, address)
/// over the new records, without reloading; an event for another file leaves it alone.
#[test]
fn the_index_read_again_keeps_the_view() {
    let Some(b) = Browser::get("the_index_read_again_keeps_the_view") else {
        return;
    };
    let root = build_site(
        "reload-index",
        &common::repo().join("tests/fixtures/browser"),
        |_| {},
    );
    let url = webdriver::serve(&root.join("public"));
    forget_storage(&b, &url);
    b.goto(&format!("{url}?audience=manager"));
    wait_for_script(&b);
    b.js(
        "document.getElementById('compare-alpha').click()",
        json!([]),
    );
    let mut ids = shown_ids(&b);
    ids.sort();
    assert_eq!(ids, ["alpha", "delta"]);
    let fetches = "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/data/table.json')).length";
    let before = b.js(fetches, json!([]));

    // Zeta now speaks to managers too; alpha has a new name.
    let edit = |file: &str, from: &str, to: &str| {
        let path = root.join("content/certifications").join(file);
        let text = std::fs::read_to_string(&path).expect("a record");
        assert!(text.contains(from), "{file}: {text}");
        std::fs::write(&path, text.replace(from, to)).expect("write a record");
    };
    edit(
        "zeta.yaml",
        "audience: [trainer]",
        "audience: [trainer, manager]",
    );
    edit(
        "alpha.yaml",
        "name: Alpha Contact Center Manager",
        "name: Alpha Contact Center Director",
    );
    let run = common::run_in(&root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Another data file: nothing is fetched.
    b.js(
        "window.dispatchEvent(new CustomEvent('certguide:data', { detail: { url: '/data/certifications.json' } }))",
        json!([]),
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(b.js(fetches, json!([])), before);

    b.js(
        "window.dispatchEvent(new CustomEvent('certguide:data', { detail: { url: '/data/table.json' } }))",
        json!([]),
    );
    b.wait_for(
        "the new index applied",
        "return !!document.querySelector('#cert-table tbody tr[data-id=zeta]')",
        json!([]),
    );
    let mut ids = shown_ids(&b);
    ids.sort();
    assert_eq!(ids, ["alpha", "delta", "zeta"]);
    assert_eq!(status(&b), count_text(3, 6));
    let view = b.js(
        "return [location.search, document.querySelector('#cert-table tbody tr[data-id=alpha]').textContent.includes('Director'),
                 document.getElementById('compare-alpha').checked,
                 document.querySelector('fieldset[data-field=audience] input[value=manager]').checked]",
        json!([]),
    );
    assert_eq!(view, json!(["?audience=manager", true, true, true]));
    forget_storage(&b, &url);
}

#[test]
fn the_address_restores_the_view_on_reload_link_and_history() {
    let Some(b) = Browser::get("the_address_restores_the_view_on_reload_link_and_history") else {
        return;
    };
    let fx = fixture();
    open_home(&b, "");
    b.click("fieldset[data-field='audience'] input[value='manager']");
    wait_for_query(&b, "?audience=manager");
    b.click("fieldset[data-field='audience'] input[value='supervisor']");
    b.click("#cert-table th button[data-sort='cost.amount']");
    b.click("#cert-table th button[data-sort='cost.amount']");
    wait_for_query(
        &b,
        "?audience=manager&audience=supervisor&sort=cost.amount&dir=desc",
    );
    let view = shown_ids(&b);
    let want = expected(
        &fx.records,
        &Filter {
            tags: vec![("audience", vec!["manager", "supervisor"])],
            ..Filter::default()
        },
    );
    assert_eq!(view.iter().cloned().collect::<BTreeSet<_>>(), want);
    let link = b.url();

    let check = |how: &str| {
        assert_eq!(shown_ids(&b), view, "rows after {how}");
        let ticked = b.js(
            "return Array.from(document.querySelectorAll('#cert-filters input:checked')).map(i => i.value)",
            json!([]),
        );
        assert_eq!(
            ticked,
            json!(["manager", "supervisor"]),
            "ticks after {how}"
        );
        let sort = b.js(
            "return document.querySelector(\"th[data-field='cost.amount']\").getAttribute('aria-sort')",
            json!([]),
        );
        assert_eq!(sort, json!("descending"), "aria-sort after {how}");
    };
    b.refresh();
    wait_for_script(&b);
    check("a reload");
    b.goto("about:blank");
    b.goto(&link);
    wait_for_script(&b);
    check("opening the link");

    // Back goes through the history of changes, forward comes back.
    b.back(); // about:blank
    b.back(); // the same view, before the reload
    wait_for_script(&b);
    b.back(); // ascending cost
    let asc = b.js(
        "return document.querySelector(\"th[data-field='cost.amount']\").getAttribute('aria-sort')",
        json!([]),
    );
    assert_eq!(asc, json!("ascending"));
    b.back(); // unsorted, two tags
    b.back(); // one tag
    assert_eq!(
        b.js("return location.search", json!([])),
        json!("?audience=manager")
    );
    let one = expected(
        &fx.records,
        &Filter {
            tags: vec![("audience", vec!["manager"])],
            ..Filter::default()
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), one);
    b.back(); // the page as first opened
    assert_eq!(shown_ids(&b).len(), fx.records.len());
    let checked = b.js(
        "return document.querySelectorAll('#cert-filters input:checked').length",
        json!([]),
    );
    assert_eq!(checked, json!(0));
    for _ in 0..4 {
        b.forward();
    }
    check("going forward again");
}

#[test]
fn sorting_orders_numbers_as_numbers_and_puts_missing_values_last() {
    let Some(b) = Browser::get("sorting_orders_numbers_as_numbers_and_puts_missing_values_last")
    else {
        return;
    };
    let fx = fixture();
    open_home(&b, "");
    let by = |path: &str| -> Vec<(String, Option<f64>)> {
        fx.records
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap_or("").to_string(),
                    field(r, path).as_f64(),
                )
            })
            .collect()
    };
    // The table's first order is by acronym, as its header says.
    let acronym_sort = b.js(
        "return document.querySelector(\"th[data-field='acronym']\").getAttribute('aria-sort')",
        json!([]),
    );
    assert_eq!(acronym_sort, json!("ascending"));
    let table_order = shown_ids(&b);
    let mut by_acronym: Vec<&Value> = fx.records.iter().collect();
    by_acronym.sort_by_key(|r| r["acronym"].as_str().unwrap_or("").to_lowercase());
    assert_eq!(
        table_order,
        by_acronym
            .iter()
            .map(|r| r["id"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    );
    let position = |id: &str| table_order.iter().position(|x| x == id).unwrap_or(0);

    for (path, desc) in [("cost.amount", false), ("cost.amount", true)] {
        b.click(&format!("#cert-table th button[data-sort='{path}']"));
        let mut want = by(path);
        // Numbers by value; missing values last, in table order, whatever the direction.
        want.sort_by(|(a_id, a), (b_id, b)| match (a, b) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(y).expect("numbers");
                if desc { o.reverse() } else { o }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => position(a_id).cmp(&position(b_id)),
        });
        let want: Vec<String> = want.into_iter().map(|(id, _)| id).collect();
        assert_eq!(shown_ids(&b), want, "sorted by {path}, descending: {desc}");
        let aria = b.js(
            "return Array.from(document.querySelectorAll('#cert-table th[aria-sort]')).map(th => [th.dataset.field, th.getAttribute('aria-sort')]).filter(p => p[0])",
            json!([]),
        );
        for pair in aria.as_array().expect("list") {
            let expect = if pair[0] == path {
                if desc { "descending" } else { "ascending" }
            } else {
                "none"
            };
            assert_eq!(pair[1], json!(expect), "aria-sort of {}", pair[0]);
        }
    }
    // 95 < 300 < 1495 < 2000 as numbers: text order would put "1495" first.
    b.click("#cert-table th button[data-sort='cost.amount']");
    let first = shown_ids(&b)[0].clone();
    let cheapest = fx
        .records
        .iter()
        .filter(|r| field(r, "cost.amount").is_number())
        .min_by(|a, b| {
            field(a, "cost.amount")
                .as_f64()
                .partial_cmp(&field(b, "cost.amount").as_f64())
                .expect("numbers")
        })
        .expect("a cost");
    assert_eq!(first, cheapest["id"].as_str().unwrap_or(""));

    // Text columns sort without regard to case; missing providers go last.
    b.click("#cert-table th button[data-sort='provider.name']");
    let ids = shown_ids(&b);
    let providers: Vec<Option<String>> = ids
        .iter()
        .map(|id| {
            let r = fx
                .records
                .iter()
                .find(|r| r["id"] == id.as_str())
                .expect("record");
            field(r, "provider.name").as_str().map(str::to_lowercase)
        })
        .collect();
    let mut sorted = providers.clone();
    sorted.sort_by(|a, b| match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    assert_eq!(providers, sorted, "sorted by provider: {ids:?}");
    assert_eq!(providers.last(), Some(&None));

    // Levels sort in their own order, not alphabetically.
    b.click("#cert-table th button[data-sort='level']");
    let levels: Vec<String> = shown_ids(&b)
        .iter()
        .map(|id| {
            let r = fx
                .records
                .iter()
                .find(|r| r["id"] == id.as_str())
                .expect("record");
            r["level"].as_str().unwrap_or("—").to_string()
        })
        .collect();
    let rank = |l: &str| {
        ["foundation", "professional", "expert", "—"]
            .iter()
            .position(|x| *x == l)
    };
    assert!(
        levels.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "levels in order: {levels:?}"
    );
}

#[test]
fn compare_opens_from_ticked_rows_and_from_a_shared_link() {
    let Some(b) = Browser::get("compare_opens_from_ticked_rows_and_from_a_shared_link") else {
        return;
    };
    let fx = fixture();
    open_home(&b, "");
    // One row is not enough: the button stays disabled and the bar says so.
    b.click("#compare-alpha");
    let bar = b.js(
        "return [document.getElementById('compare-button').disabled, document.getElementById('compare-hint').textContent]",
        json!([]),
    );
    assert_eq!(bar[0], json!(true), "{bar}");
    assert!(
        bar[1].as_str().unwrap_or("").contains("Tick one more"),
        "hint: {bar}"
    );
    // Ticks survive filtering: filter the first ticked row away, tick another, compare.
    b.click("fieldset[data-field='audience'] input[value='quality-assurance']");
    b.click("#compare-beta");
    b.click("#compare-button");
    b.wait_for(
        "the compare page",
        "return location.pathname.endsWith('/compare/') && document.getElementById('compare-table')",
        json!([]),
    );
    assert_eq!(
        b.js("return location.search", json!([])),
        json!("?ids=alpha,beta")
    );

    let check = |ids: &[&str]| {
        let heads = b.js(
            "return Array.from(document.querySelectorAll('#compare-table thead .cmp-acronym')).map(a => a.textContent)",
            json!([]),
        );
        let want: Vec<&str> = ids
            .iter()
            .map(|id| {
                fx.records
                    .iter()
                    .find(|r| r["id"] == *id)
                    .and_then(|r| r["acronym"].as_str())
                    .expect("record")
            })
            .collect();
        assert_eq!(heads, json!(want));
        // Every field is one row, with one cell per record, in the same order as the data:
        // text as published, lists as lists, the date worded as on the record page.
        let rows = b.js(
            "return Array.from(document.querySelectorAll('#compare-table tbody tr')).map(tr => [tr.dataset.key, tr.dataset.differs, Array.from(tr.querySelectorAll('td')).map(td => { const v = td.querySelector('.cmp-value'); return [v ? v.textContent : null, Array.from(td.querySelectorAll('.cmp-list > li')).map(li => li.textContent), td.textContent]; })])",
            json!([]),
        );
        let mut differing = 0;
        for row in rows.as_array().expect("rows") {
            let key = row[0].as_str().expect("key");
            for (id, cell) in ids.iter().zip(row[2].as_array().expect("cells")) {
                let r = fx.records.iter().find(|r| r["id"] == *id).expect("record");
                let want = &r["compare"][key];
                let text = want["text"].as_str().expect("text");
                match key {
                    "verified" if want.get("date").is_some() => {
                        assert!(
                            cell[0].as_str().unwrap_or("").starts_with("Last verified"),
                            "{key}: {cell}"
                        )
                    }
                    "sources" => {}
                    _ if text == "\u{2014}" => assert_eq!(cell[2], json!("\u{2014}"), "{key}"),
                    _ if want.get("items").is_some() => {
                        assert_eq!(
                            cell[1].as_array().map(Vec::len),
                            want["items"].as_array().map(Vec::len),
                            "{key}"
                        );
                        if key != "pros" && key != "cons" {
                            assert_eq!(cell[1], want["items"], "{key}");
                        }
                    }
                    _ => assert_eq!(cell[0], json!(text), "{key}"),
                }
            }
            if row[1] == json!("true") {
                differing += 1;
            }
        }
        // No row repeats the column headers, and slugs read as labels.
        assert!(
            rows.as_array()
                .expect("rows")
                .iter()
                .all(|r| r[0] != json!("name"))
        );
        differing
    };
    let differing = check(&["alpha", "beta"]);
    assert!(differing > 0);
    // "Show only differences" hides exactly the rows in which both read the same.
    b.click("label[for='only-diff']");
    let shown = b.js(
        "return document.querySelectorAll('#compare-table tbody tr:not([hidden])').length",
        json!([]),
    );
    assert_eq!(shown, json!(differing));
    b.wait_for(
        "diff=1 in the address",
        "return location.search.includes('diff=1')",
        json!([]),
    );

    // A shared link opens the same view, highlight included.
    b.goto(&format!(
        "{}compare/?ids=delta,gamma,epsilon&diff=1",
        fx.url
    ));
    b.wait_for(
        "the compare table",
        "return document.getElementById('compare-table')",
        json!([]),
    );
    let differing = check(&["delta", "gamma", "epsilon"]);
    let on = b.js(
        "return [document.getElementById('only-diff').checked, document.querySelectorAll('#compare-table tbody tr:not([hidden])').length]",
        json!([]),
    );
    assert_eq!(on, json!([true, differing]));
    // Unticking shows every row again.
    b.click("label[for='only-diff']");
    let all = b.js(
        "return [document.querySelectorAll('#compare-table tbody tr[hidden]').length, document.querySelectorAll('#compare-table tbody tr').length]",
        json!([]),
    );
    assert_eq!(all[0], json!(0));
    assert!(all[1].as_u64().unwrap_or(0) > differing as u64);
}

/// The `money` fixture built and served: amounts in USD, JPY, EUR and CHF (no rate).
fn money_site() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let root = build_site(
            "money",
            &common::repo().join("tests/fixtures/money"),
            |_| {},
        );
        webdriver::serve(&root.join("public"))
    })
}

/// The demo guide (examples/demo, with the repository's theme through `themes_dir`) built
/// in place into the scratch folder and served: its output folder and URL.
fn demo_site() -> &'static (PathBuf, String) {
    static SITE: OnceLock<(PathBuf, String)> = OnceLock::new();
    SITE.get_or_init(|| {
        let public = webdriver::scratch().join("demo/public");
        let run = common::build_demo(&public);
        assert_eq!(run.code, 0, "building the demo: {}", run.stderr);
        let url = webdriver::serve(&public);
        (public, url)
    })
}

/// Every HTML page under `public`, as a path in the site (`""`, `"articles/roi/"`,
/// `"404.html"`), sorted.
fn site_pages(public: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(public).expect("under public");
            let rel = rel.to_string_lossy().replace('\\', "/");
            match rel.strip_suffix("index.html") {
                Some(dir) => dir.to_string(),
                None => rel,
            }
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn money_sorts_filters_and_plots_by_the_base_amount() {
    let Some(b) = Browser::get("money_sorts_filters_and_plots_by_the_base_amount") else {
        return;
    };
    let url = money_site();
    b.goto(&format!("{url}?sort=cost.amount"));
    let ids = || {
        b.js(
            "return Array.from(document.querySelectorAll('#cert-table tbody tr:not([hidden])')).map(tr => tr.dataset.id)",
            json!([]),
        )
    };
    // By USD: 500, 150,000 JPY (1,005 USD), 1,000 EUR (1,080 USD), 1,495; CHF (no rate) last.
    b.wait_for(
        "sorted by cost",
        "return document.querySelector('th[data-field=\"cost.amount\"]').getAttribute('aria-sort') === 'ascending'",
        json!([]),
    );
    assert_eq!(ids(), json!(["delta", "beta", "gamma", "alpha", "epsilon"]));
    // Cost at most 1,100 USD: the yen and euro records are in, the dollar one at 1,495 out.
    b.goto(&format!("{url}?cost.amount.max=1100"));
    b.wait_for(
        "the filter applied",
        "return document.querySelectorAll('#cert-table tbody tr:not([hidden])').length === 3",
        json!([]),
    );
    let mut shown: Vec<String> = serde_json::from_value(ids()).expect("ids");
    shown.sort();
    assert_eq!(shown, ["beta", "delta", "gamma"]);
    // The chart: every point inside the plot, the yen one at its USD height, and the
    // CHF one left out.
    b.click("#view-chart");
    let points = b.js(
        "const svg = document.querySelector('.chart-svg'); const [x, y, w, h] = svg.dataset.plot.split(' ').map(Number); return Array.from(svg.querySelectorAll('a.pt')).map(a => { const cy = Number(a.querySelector('path').getAttribute('d').match(/^M[-0-9.]+ ([-0-9.]+)/)[1]); return [a.dataset.id, cy >= y && cy <= y + h, cy]; })",
        json!([]),
    );
    let points = points.as_array().expect("points");
    assert_eq!(points.len(), 4, "{points:?}");
    assert!(points.iter().all(|p| p[1] == json!(true)), "{points:?}");
    let cy = |id: &str| {
        points
            .iter()
            .find(|p| p[0] == json!(id))
            .and_then(|p| p[2].as_f64())
            .expect("point")
    };
    // 1,005 USD sits between 500 USD and 1,495 USD (a lower cost is further down).
    assert!(
        cy("beta") < cy("delta") && cy("beta") > cy("alpha"),
        "{points:?}"
    );
}

#[test]
fn money_cells_fit_their_column() {
    let Some(b) = Browser::get("money_cells_fit_their_column") else {
        return;
    };
    let url = money_site();
    for width in [1280, 1024] {
        b.set_size(width, 900);
        b.goto(url);
        // The amount as written and its base amount (a line of its own) stay inside the
        // cell: nothing is drawn over the next column.
        let over = b.js(
            "return Array.from(document.querySelectorAll('#cert-table td.col-cost-amount, #cert-table td.col-total_cost')).filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent.trim())",
            json!([]),
        );
        assert_eq!(over, json!([]), "at {width} px");
        let base = b.js(
            "return Array.from(document.querySelectorAll('#cert-table .base-amount')).map(s => s.textContent)",
            json!([]),
        );
        assert!(base.as_array().is_some_and(|a| !a.is_empty()), "{base}");
    }
    b.set_size(1280, 900);
}

#[test]
fn the_compare_page_marks_the_best_value_in_words() {
    let Some(b) = Browser::get("the_compare_page_marks_the_best_value_in_words") else {
        return;
    };
    let url = money_site();
    b.goto(&format!("{url}compare/?ids=alpha,beta,gamma"));
    b.wait_for(
        "the compare table",
        "return document.getElementById('compare-table')",
        json!([]),
    );
    // It fetched the three records' own files, not the whole data file (data/words.js,
    // the scripts' words, every page loads).
    let fetched = b.js(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.includes('/data/') && p.endsWith('.json')).sort()",
        json!([]),
    );
    let fetched: Vec<String> = serde_json::from_value(fetched).expect("paths");
    let names: Vec<&str> = fetched
        .iter()
        .filter_map(|p| p.rsplit('/').next())
        .collect();
    assert_eq!(
        names,
        ["alpha.json", "beta.json", "gamma.json"],
        "{fetched:?}"
    );
    let best = b.js(
        "return Array.from(document.querySelectorAll('#compare-table td.is-best')).map(td => [td.closest('tr').dataset.key, Array.from(td.parentNode.children).indexOf(td), td.querySelector('.best-mark').textContent])",
        json!([]),
    );
    // Columns: 1 alpha, 2 beta, 3 gamma. Lowest cost is the yen one in USD (1,005);
    // the lowest total the euro one (1,080, no renewal within 5 years); the longest
    // renewal interval gamma's 5 years; fewest hours gamma's 20.
    assert_eq!(
        best,
        json!([
            ["cost", 2, "★ Lowest cost"],
            ["total_cost", 3, "★ Lowest total"],
            ["effort.hours", 3, "★ Fewest hours"],
            ["renewal", 3, "★ Longest interval"],
        ])
    );
    // An incomplete total ("at least 500 USD") is not the lowest: nothing to choose from.
    b.goto(&format!("{url}compare/?ids=alpha,delta"));
    b.wait_for(
        "the compare table",
        "return document.querySelector('#compare-table tr[data-key=\"total_cost\"]')",
        json!([]),
    );
    let total = b.js(
        "return document.querySelectorAll('#compare-table tr[data-key=\"total_cost\"] td.is-best').length",
        json!([]),
    );
    assert_eq!(total, json!(0));
}

#[test]
fn everything_works_from_the_keyboard() {
    let Some(b) = Browser::get("everything_works_from_the_keyboard") else {
        return;
    };
    let fx = fixture();
    open_home(&b, "");
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    // Tab (or Shift+Tab) until `selector` has the focus, which must be visible.
    let move_to = |selector: &str, backwards: bool| {
        for _ in 0..80 {
            if backwards {
                b.shift(TAB);
            } else {
                b.keys(TAB);
            }
            let state = b.js(
                "const a = document.activeElement;
                 return [a.matches(arguments[0]), a.matches(':focus-visible'), a.outerHTML.slice(0, 80)]",
                json!([selector]),
            );
            if state[0] == json!(true) {
                assert_eq!(state[1], json!(true), "focus is visible on {}", state[2]);
                return;
            }
        }
        panic!("Tab never reached {selector}");
    };
    let tab_to = |selector: &str| move_to(selector, false);
    let shift_tab_to = |selector: &str| move_to(selector, true);
    // Search: type and the table follows.
    tab_to("#cert-search");
    b.keys("forecast");
    let want = expected(
        &fx.records,
        &Filter {
            q: "forecast",
            ..Filter::default()
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), want);
    // Clear the search with the keyboard, then tick a value with Space.
    for _ in 0.."forecast".len() {
        b.keys("\u{E003}"); // Backspace
    }
    assert_eq!(shown_ids(&b).len(), fx.records.len());
    tab_to("fieldset[data-field='level'] input[value='professional']");
    b.keys(" ");
    let want = expected(
        &fx.records,
        &Filter {
            tags: vec![("level", vec!["professional"])],
            ..Filter::default()
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), want);
    // A range by typing.
    tab_to("input[name='cost.amount.max']");
    b.keys("1500");
    let want = expected(
        &fx.records,
        &Filter {
            tags: vec![("level", vec!["professional"])],
            ranges: vec![("cost.amount", None, Some(1500.0), false)],
            ..Filter::default()
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), want);
    // Clear all (at the top of the filters) with Enter.
    shift_tab_to("#filters-reset");
    b.keys(ENTER);
    assert_eq!(shown_ids(&b).len(), fx.records.len());
    // Sort with Enter on a header button, then with Space.
    tab_to("#cert-table th button[data-sort='cost.amount']");
    b.keys(ENTER);
    let sort = b.js(
        "return document.querySelector(\"th[data-field='cost.amount']\").getAttribute('aria-sort')",
        json!([]),
    );
    assert_eq!(sort, json!("ascending"));
    b.keys(" ");
    let sort = b.js(
        "return document.querySelector(\"th[data-field='cost.amount']\").getAttribute('aria-sort')",
        json!([]),
    );
    assert_eq!(sort, json!("descending"));
    // Tick two rows with Space and open the comparison with Enter.
    let rows = shown_ids(&b);
    tab_to(&format!("#compare-{}", rows[0]));
    b.keys(" ");
    tab_to(&format!("#compare-{}", rows[1]));
    b.keys(" ");
    // On to the compare bar, after the table.
    tab_to("#compare-button");
    b.keys(ENTER);
    b.wait_for(
        "the compare page",
        "return document.getElementById('compare-table')",
        json!([]),
    );
    assert_eq!(
        b.js("return location.search", json!([])),
        json!(format!("?ids={},{}", rows[0], rows[1]))
    );
    // "Show only differences" with Space.
    tab_to("#only-diff");
    b.keys(" ");
    let on = b.js(
        "return document.getElementById('only-diff').checked && document.querySelectorAll('#compare-table tbody tr[hidden]').length > 0",
        json!([]),
    );
    assert_eq!(on, json!(true));
}

#[test]
fn pages_log_no_console_errors() {
    let Some(b) = Browser::get("pages_log_no_console_errors") else {
        return;
    };
    let fx = fixture();
    let pages = [
        "",
        "?audience=manager&sort=cost.amount&dir=desc&q=a",
        "certifications/alpha/",
        "certifications/gamma/",
        "compare/?ids=alpha,beta,gamma&diff=1",
        "compare/",
        "articles/",
        "articles/roi/",
        "about/",
        "no-such-page/",
    ];
    let mut problems = Vec::new();
    for page in pages {
        b.goto(&format!("{}{page}", fx.url));
        // Let late work (fetches, idle callbacks) finish.
        b.js_async(
            "const done = arguments[arguments.length - 1]; setTimeout(done, 300)",
            json!([]),
        );
        for (level, message) in b.console() {
            let missing_page = page == "no-such-page/" && message.contains("404");
            if (level == "SEVERE" || level == "WARNING") && !missing_page {
                problems.push(format!("{page}: {level}: {message}"));
            }
        }
    }
    assert!(problems.is_empty(), "console:\n{}", problems.join("\n"));
}

#[test]
fn axe_finds_no_serious_or_critical_violation() {
    let tools = match webdriver::npm_tools() {
        Ok(t) => t,
        Err(reason) => return skip("axe_finds_no_serious_or_critical_violation", &reason),
    };
    let Some(b) = Browser::get("axe_finds_no_serious_or_critical_violation") else {
        return;
    };
    let source = std::fs::read_to_string(tools.join("axe-core/axe.min.js")).expect("axe.min.js");
    let fx = fixture();
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        b.emulate("", &[("prefers-color-scheme", scheme)]);
        for page in [
            "",
            "?level=professional&sort=cost.amount",
            "certifications/alpha/",
            "certifications/gamma/",
            "articles/roi/",
            "compare/?ids=alpha,beta,delta&diff=1",
            "compare/",
            "certifications/",
            "?q=zzzz",
        ] {
            b.goto(&format!("{}{page}", fx.url));
            if page.starts_with("compare/?") {
                b.wait_for(
                    "the compare table",
                    "return document.getElementById('compare-table')",
                    json!([]),
                );
            } else if page == "compare/" {
                b.wait_for(
                    "the checklist",
                    "return document.querySelector('#chooser-list input')",
                    json!([]),
                );
            } else if page.is_empty() || page.starts_with('?') {
                wait_for_script(&b);
            }
            for v in axe(&b, &source) {
                problems.push(format!("/{page} ({scheme}): {v}"));
            }
            // The chart, drawn when its view is first opened.
            if page.is_empty() {
                b.click("#view-chart");
                for v in axe(&b, &source) {
                    problems.push(format!("/ chart view ({scheme}): {v}"));
                }
            }
        }
    }
    // On a phone, where the table and the chart scroll in boxes of their own.
    b.emulate("", &[]);
    b.set_size(375, 800);
    for page in ["", "compare/?ids=alpha,beta"] {
        b.goto(&format!("{}{page}", fx.url));
        if page.starts_with("compare") {
            b.wait_for(
                "the compare table",
                "return document.getElementById('compare-table')",
                json!([]),
            );
        }
        for v in axe(&b, &source) {
            problems.push(format!("/{page} (375 px wide): {v}"));
        }
    }
    // Every page of the demo guide (its notice banner included) in light mode, one page of
    // each kind in dark mode; the compare page with three records in three currencies.
    let (public, url) = demo_site();
    let pages = site_pages(public);
    assert!(pages.len() >= 55, "demo pages: {pages:?}");
    let one_of_each_kind: Vec<String> = [
        "",
        "certifications/wwb-cxp/",
        "compare/",
        "articles/",
        "articles/when-the-price-is-missing/",
        "about/",
        "search/",
        "404.html",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    b.set_size(1280, 900);
    for (scheme, pages) in [("light", &pages), ("dark", &one_of_each_kind)] {
        b.emulate("", &[("prefers-color-scheme", scheme)]);
        for page in pages {
            let page = match page.as_str() {
                "compare/" => "compare/?ids=nsi-tl,wst-ss,tqg-qa&diff=1",
                p => p,
            };
            b.goto(&format!("{url}{page}"));
            if page.starts_with("compare") {
                b.wait_for(
                    "the compare table",
                    "return document.getElementById('compare-table')",
                    json!([]),
                );
            }
            for v in axe(&b, &source) {
                problems.push(format!("demo /{page} ({scheme}): {v}"));
            }
        }
    }
    b.emulate("", &[]);
    assert!(problems.is_empty(), "axe-core:\n{}", problems.join("\n"));
}

#[test]
fn every_built_page_passes_the_nu_html_checker() {
    let Some(java) = webdriver::find_tool("CERTGUIDE_JAVA", &["java"]) else {
        return skip(
            "every_built_page_passes_the_nu_html_checker",
            "java not found (Debian: default-jre-headless)",
        );
    };
    let tools = match webdriver::npm_tools() {
        Ok(t) => t,
        Err(reason) => return skip("every_built_page_passes_the_nu_html_checker", &reason),
    };
    let fx = fixture();
    let html = |dir: &Path| -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect()
    };
    let mut pages = html(&fx.root.join("public"));
    assert!(pages.len() >= 10, "pages: {pages:?}");
    // And every page of the demo guide, in the same run of the checker.
    let demo = html(&demo_site().0);
    assert!(demo.len() >= 55, "demo pages: {demo:?}");
    pages.extend(demo);
    nu_html_checker(&java, tools, &pages);
}

/// Runs the Nu HTML Checker (errors only) over `pages` in one Java run; fails on any error.
fn nu_html_checker(
    java: impl AsRef<std::ffi::OsStr>,
    tools: &Path,
    pages: &[impl AsRef<std::ffi::OsStr>],
) {
    let out = std::process::Command::new(java)
        .arg("-jar")
        .arg(tools.join("vnu-jar/build/dist/vnu.jar"))
        .arg("--errors-only")
        .args(pages)
        .output()
        .expect("run the Nu HTML Checker");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "Nu HTML Checker errors:\n{report}"
    );
}

#[test]
fn detail_pages_say_how_long_ago_the_facts_were_checked() {
    let Some(b) = Browser::get("detail_pages_say_how_long_ago_the_facts_were_checked") else {
        return;
    };
    let fx = fixture();
    // Today as the browser sees it (the label is computed there).
    let today = b.js(
        "const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]",
        json!([]),
    );
    let today: Vec<i64> = serde_json::from_value(today).expect("date");
    for r in &fx.records {
        let id = r["id"].as_str().expect("id");
        b.goto(&format!("{}certifications/{id}/", fx.url));
        let label = b
            .js(
                "const b = document.querySelector('.badge-verified, .badge-unverified'); return b && b.textContent.trim()",
                json!([]),
            )
            .as_str()
            .unwrap_or("")
            .to_string();
        match r["verified"].as_str() {
            None => assert_eq!(label, "Unverified", "{id}"),
            Some(date) => {
                let p: Vec<i64> = date
                    .split('-')
                    .map(|x| x.parse().expect("number"))
                    .collect();
                let mut months = (today[0] - p[0]) * 12 + (today[1] - p[1]);
                if today[2] < p[2] {
                    months -= 1;
                }
                let ago = match months {
                    0 => "less than a month ago".to_string(),
                    1 => "1 month ago".to_string(),
                    n => format!("{n} months ago"),
                };
                // Flagged as stale or not, the label and the class agree; where the page
                // states its limit (data-stale-after, from site.yaml), the flag follows it.
                let badge = b.js(
                    "const b = document.querySelector('.badge-verified');
                     return [b.classList.contains('is-stale'), b.getAttribute('data-stale-after')]",
                    json!([]),
                );
                let stale = badge[0] == json!(true);
                if let Some(limit) = badge[1].as_str() {
                    let limit: i64 = limit.parse().expect("a number of months");
                    assert_eq!(stale, months > limit, "{id}: stale after {limit} months");
                }
                let want = if stale {
                    format!("Last verified {ago}: check before you budget")
                } else {
                    format!("Last verified {ago}")
                };
                assert_eq!(label, want, "{id}");
                // The plain date stays in the page (for readers without JavaScript too).
                let time = b.js(
                    "return document.querySelector('.badge-verified time').getAttribute('datetime')",
                    json!([]),
                );
                assert_eq!(time, json!(date));
            }
        }
        // Pros, cons, renewal and related articles are all on the page.
        for anchor in ["facts", "pros-cons", "renewal", "articles"] {
            assert!(
                b.try_find(&format!("#{anchor}")).is_some(),
                "{id} has #{anchor}"
            );
        }
    }
    // A related article is listed on the record's page.
    b.goto(&format!("{}certifications/delta/", fx.url));
    let links = b.js(
        "return Array.from(document.querySelectorAll('#articles a')).map(a => a.getAttribute('href'))",
        json!([]),
    );
    assert!(
        links
            .as_array()
            .expect("links")
            .iter()
            .any(|l| l.as_str().is_some_and(|h| h.ends_with("/articles/roi/"))),
        "links: {links}"
    );
}

#[test]
fn narrow_screens_fit_and_print_keeps_only_the_sheet() {
    let Some(b) = Browser::get("narrow_screens_fit_and_print_keeps_only_the_sheet") else {
        return;
    };
    let fx = fixture();
    b.set_size(375, 800);
    for page in [
        "",
        "certifications/alpha/",
        "articles/roi/",
        "compare/?ids=alpha,beta,delta",
    ] {
        b.goto(&format!("{}{page}", fx.url));
        // The page itself never scrolls sideways; wide tables scroll in their own box.
        let widths = b.js(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
            json!([]),
        );
        assert!(
            widths[0].as_i64() <= widths[1].as_i64(),
            "/{page} is wider than a 375px screen: {widths}"
        );
    }
    b.set_size(1280, 900);
    b.emulate("print", &[]);
    for (page, hidden, kept) in [
        (
            "?level=professional",
            vec![
                "#cert-filters",
                ".site-nav",
                ".results-bar",
                ".chart",
                ".col-select",
            ],
            vec!["#cert-table"],
        ),
        (
            "compare/?ids=alpha,beta",
            vec![".compare-toolbar", ".site-nav", ".cmp-remove"],
            vec!["#compare-table"],
        ),
    ] {
        b.goto(&format!("{}{page}", fx.url));
        if page.starts_with("compare") {
            b.wait_for(
                "the compare table",
                "return document.getElementById('compare-table')",
                json!([]),
            );
        }
        let shown = b.js(
            "const shown = s => Array.from(document.querySelectorAll(s)).some(e => e.getClientRects().length > 0);
             return [arguments[0].filter(shown), arguments[1].filter(s => !shown(s))]",
            json!([hidden, kept]),
        );
        assert_eq!(
            shown,
            json!([[], []]),
            "/{page} when printed: [shown but should not be, hidden but should not be]"
        );
    }
    // Printing the filtered home page prints the filtered rows.
    b.goto(&format!("{}?level=professional", fx.url));
    wait_for_script(&b);
    let want = expected(
        &fx.records,
        &Filter {
            tags: vec![("level", vec!["professional"])],
            ..Filter::default()
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), want);
}

#[test]
fn the_table_is_complete_without_javascript() {
    let Some(b) = Browser::get("the_table_is_complete_without_javascript") else {
        return;
    };
    let fx = fixture();
    b.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    )
    .expect("turn scripts off");
    b.goto(&format!("{}?level=expert", fx.url));
    // Every record in the HTML and on screen, the notice about filtering visible.
    let rows = b.cmd(
        "POST",
        "/elements",
        Some(json!({"using": "css selector", "value": "#cert-table tbody tr"})),
    );
    b.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    )
    .expect("turn scripts on");
    let rows = rows.expect("rows");
    assert_eq!(rows.as_array().map(Vec::len), Some(fx.records.len()));
}

/// The browser fixture with 600 generated records (no delivery, a level each, a cost),
/// built and served; the number of records in all.
fn long_site() -> &'static (String, usize) {
    static SITE: OnceLock<(String, usize)> = OnceLock::new();
    SITE.get_or_init(|| {
        let count = 600;
        let root = build_site(
            "long",
            &common::repo().join("tests/fixtures/browser"),
            |root| {
                for i in 0..count {
                    let level = ["foundation", "professional", "expert"][i % 3];
                    std::fs::write(
                        root.join(format!("content/certifications/gen-{i:03}.yaml")),
                        format!(
                            "name: Generated {i}\nacronym: GEN{i:03}\nlevel: {level}\n\
                             cost: {{ amount: {}, currency: USD }}\n",
                            100 + i * 7 % 900
                        ),
                    )
                    .expect("write a record");
                }
            },
        );
        let home = std::fs::read_to_string(root.join("public/index.html")).expect("home");
        assert_eq!(
            home.matches("<tr id=\"cert-").count(),
            500,
            "the HTML holds the first 500 rows"
        );
        (
            webdriver::serve(&root.join("public")),
            count + fixture().records.len(),
        )
    })
}

fn open_long(b: &Browser, query: &str) -> usize {
    let (url, total) = long_site();
    forget_storage(b, url);
    b.goto(&format!("{url}{query}"));
    wait_for_script(b);
    *total
}

fn settled(b: &Browser, n: usize) {
    b.wait_for(
        &format!("{n} rows"),
        "return document.querySelectorAll('#cert-table tbody tr').length === arguments[0]",
        json!([n]),
    );
}

#[test]
fn every_match_is_in_the_page_up_to_500_and_more_on_request() {
    let Some(b) = Browser::get("every_match_is_in_the_page_up_to_500_and_more_on_request") else {
        return;
    };
    let total = open_long(&b, "");
    // Over 500 matches: the first 500, then the rest on request.
    settled(&b, 500);
    assert_eq!(status(&b), count_text(total, total));
    let more = b.find(".more-rows button");
    let _ = more;
    let label = b.js(
        "return document.querySelector('.more-rows button').textContent",
        json!([]),
    );
    assert_eq!(label, json!(format!("Show {} more", total - 500)));
    b.click(".more-rows button");
    settled(&b, total);
    let hidden = b.js(
        "const m = document.querySelector('.more-rows'); return !m || m.hidden",
        json!([]),
    );
    assert_eq!(hidden, json!(true), "no more button once everything shows");
    // 500 or fewer matches: every one of them is in the page (the browser's find sees
    // them), rows drawn from the index included.
    b.click("fieldset[data-field='level'] input[value='expert']");
    b.click("fieldset[data-field='level'] input[value='foundation']");
    let want = 400
        + fixture()
            .records
            .iter()
            .filter(|r| r["level"] == "expert" || r["level"] == "foundation")
            .count();
    assert!(want <= 500 && want > 100, "{want}");
    settled(&b, want);
    assert_eq!(status(&b), count_text(want, total));
    let last = b.js(
        "const rows = document.querySelectorAll('#cert-table tbody tr'); const r = rows[rows.length - 1]; return [r.querySelector('a').getAttribute('href'), r.querySelectorAll('td').length]",
        json!([]),
    );
    assert!(
        last[0].as_str().unwrap_or("").contains("/certifications/"),
        "{last}"
    );
    // A row drawn by the script has the server's cells: the checkbox and one per column.
    let columns = b.js(
        "return document.querySelectorAll('#cert-table thead th').length",
        json!([]),
    );
    assert_eq!(last[1], columns);
}

/// Whether the accessibility tree exposes the cell `css` (not ignored, e.g. as "not
/// rendered"): what a screen reader can read.
fn cell_is_exposed(b: &Browser, css: &str) -> Value {
    let doc = b.cdp("DOM.getDocument", json!({"depth": 0})).expect("DOM");
    let node = b
        .cdp(
            "DOM.querySelector",
            json!({"nodeId": doc["root"]["nodeId"], "selector": css}),
        )
        .expect("DOM.querySelector");
    let tree = b
        .cdp(
            "Accessibility.getPartialAXTree",
            json!({"nodeId": node["nodeId"], "fetchRelatives": false}),
        )
        .expect("the accessibility tree");
    let cell = &tree["nodes"][0];
    json!([cell["role"]["value"], cell["ignored"]])
}

/// Rows below the screen skip their style and layout at first (content-visibility, so
/// the page loads quickly), yet the browser's find sees them; while the page is idle the
/// script lays every row out for good, so that their cells reach screen readers (which do
/// not see a skipped row's cells), rows drawn after a filter change included.
#[test]
fn rows_below_the_screen_are_found_and_reach_screen_readers() {
    let Some(b) = Browser::get("rows_below_the_screen_are_found_and_reach_screen_readers") else {
        return;
    };
    b.set_size(1280, 900);
    open_long(&b, "");
    settled(&b, 500);
    let last = "#cert-table tbody tr:last-child td.col-name";
    let all_open = "return Array.from(document.querySelectorAll('#cert-table tbody tr')).every(tr => tr.classList.contains('is-open'))";
    b.wait_for("every row laid out", all_open, json!([]));
    b.wait_for(
        "the settled mark",
        "return performance.getEntriesByName('certguide:settled').length",
        json!([]),
    );
    assert_eq!(cell_is_exposed(&b, last), json!(["cell", false]));
    // Rows the script draws after a change: the same, once the page is idle again.
    b.click("fieldset[data-field='level'] input[value='foundation']");
    settled(
        &b,
        200 + fixture()
            .records
            .iter()
            .filter(|r| r["level"] == "foundation")
            .count(),
    );
    b.wait_for("every row laid out", all_open, json!([]));
    assert_eq!(cell_is_exposed(&b, last), json!(["cell", false]));
    // The browser's find sees the last row (it scrolls it into view: checked last).
    let name = b.js(
        "return document.querySelector(arguments[0]).textContent.trim()",
        json!([last]),
    );
    let found = b.js(
        "getSelection().removeAllRanges(); return [window.find(arguments[0]), String(getSelection())]",
        json!([name]),
    );
    assert_eq!(found, json!([true, name]), "the browser's find");
}

#[test]
fn headers_stick_while_the_page_scrolls() {
    let Some(b) = Browser::get("headers_stick_while_the_page_scrolls") else {
        return;
    };
    b.set_size(1280, 900);
    open_long(&b, "");
    settled(&b, 500);
    let top = |css: &str| {
        b.js(
            "return document.querySelector(arguments[0]).getBoundingClientRect().top",
            json!([css]),
        )
        .as_f64()
        .expect("a number")
    };
    let before = top("#cert-table thead th[data-field='name']");
    assert!(before > 100.0, "below the page's header at first: {before}");
    b.js("window.scrollTo(0, 6000)", json!([]));
    let after = top("#cert-table thead th[data-field='name']");
    assert!(
        after.abs() < 1.5,
        "the header row sticks to the top: {after}"
    );
    // The compare bar stays in view at the bottom.
    let bar = b.js(
        "const r = document.getElementById('compare-form').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]",
        json!([]),
    );
    let (t, bottom, h) = (
        bar[0].as_f64().unwrap_or(-1.0),
        bar[1].as_f64().unwrap_or(-1.0),
        bar[2].as_f64().unwrap_or(0.0),
    );
    assert!(t > 0.0 && bottom <= h + 0.5, "compare bar in view: {bar}");

    // The compare table's header too, on a short window.
    b.set_size(1280, 500);
    b.goto(&format!("{}compare/?ids=alpha,beta,gamma", fixture().url));
    b.wait_for(
        "the compare table",
        "return document.getElementById('compare-table')",
        json!([]),
    );
    b.js("window.scrollTo(0, 900)", json!([]));
    let head = top("#compare-table thead th:nth-child(2)");
    b.set_size(1280, 900);
    assert!(head.abs() < 1.5, "the compare header sticks: {head}");
}

#[test]
fn no_match_says_so_and_one_button_clears_every_filter() {
    let Some(b) = Browser::get("no_match_says_so_and_one_button_clears_every_filter") else {
        return;
    };
    let total = fixture().records.len();
    open_home(&b, "?q=zzzz&level=expert");
    assert_eq!(shown_ids(&b).len(), 0);
    assert_eq!(
        status(&b),
        format!("No certification matches these filters (0 of {total}).")
    );
    let table_shown = b.js(
        "return ['cert-table', 'cert-table-wrap'].some(id => document.getElementById(id).getClientRects().length > 0)",
        json!([]),
    );
    assert_eq!(
        table_shown,
        json!(false),
        "no empty header row, no empty frame"
    );
    b.click("#clear-filters");
    assert_eq!(shown_ids(&b).len(), total);
    assert_eq!(status(&b), count_text(total, total));
    wait_for_query(&b, "");
    let state = b.js(
        "return [document.getElementById('cert-search').value, document.querySelectorAll('#cert-filters input:checked').length, document.getElementById('clear-filters').hidden]",
        json!([]),
    );
    assert_eq!(state, json!(["", 0, true]));
}

/// The scripts write numbers as the build does, in the site's number format (here a
/// site's own `number.group`, which the browser's locale data would not give).
#[test]
fn the_scripts_write_numbers_in_the_sites_format() {
    let Some(b) = Browser::get("the_scripts_write_numbers_in_the_sites_format") else {
        return;
    };
    let root = build_site(
        "number-format",
        &common::repo().join("tests/fixtures/browser"),
        |root| {
            std::fs::create_dir_all(root.join("i18n")).expect("i18n folder");
            std::fs::write(
                root.join("i18n/en.yaml"),
                "number.group: \"'\"\nnumber.decimal: \".\"\n",
            )
            .expect("write i18n/en.yaml");
        },
    );
    let url = webdriver::serve(&root.join("public"));
    forget_storage(&b, &url);
    b.goto(&format!("{url}?cost.amount.min=1500.5"));
    wait_for_script(&b);
    let chips = b.js(
        "return Array.from(document.querySelectorAll('#active-filters button.chip')).map(c => c.firstChild.textContent)",
        json!([]),
    );
    assert_eq!(chips, json!(["Cost \u{2265} 1'500.5 USD"]));
    let home = std::fs::read_to_string(root.join("public/index.html")).expect("home page");
    assert!(
        home.contains("From 95 to 2'000 USD"),
        "the build uses it too"
    );
}

#[test]
fn chips_name_the_active_filters_and_remove_them() {
    let Some(b) = Browser::get("chips_name_the_active_filters_and_remove_them") else {
        return;
    };
    let fx = fixture();
    open_home(
        &b,
        "?q=o&audience=manager&audience=supervisor&cost.amount.max=1500",
    );
    // The index is fetched once: the preload in the head is the script's fetch.
    let fetched = b.js(
        "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/data/table.json')).length",
        json!([]),
    );
    assert_eq!(fetched, json!(1));
    let chips = || {
        b.js(
            "return Array.from(document.querySelectorAll('#active-filters button.chip')).map(c => c.getAttribute('aria-label'))",
            json!([]),
        )
    };
    // Each chip names the value as its checkbox does.
    assert_eq!(
        chips(),
        json!([
            "Remove filter Search: \u{201c}o\u{201d}",
            "Remove filter Audience: Manager",
            "Remove filter Audience: Supervisor",
            "Remove filter Cost \u{2264} 1,500 USD"
        ])
    );
    b.click("#active-filters button.chip[aria-label='Remove filter Audience: Manager']");
    wait_for_query(&b, "?q=o&audience=supervisor&cost.amount.max=1500");
    let want = expected(
        &fx.records,
        &Filter {
            q: "o",
            tags: vec![("audience", vec!["supervisor"])],
            ranges: vec![("cost.amount", None, Some(1500.0), false)],
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), want);
    let ticked = b.js(
        "return Array.from(document.querySelectorAll('#cert-filters input:checked')).map(i => i.value)",
        json!([]),
    );
    assert_eq!(ticked, json!(["supervisor"]));
    b.click("#active-filters button.chip[aria-label^='Remove filter Cost']");
    b.click("#active-filters button.chip[aria-label^='Remove filter Search']");
    b.click("#active-filters button.chip");
    assert_eq!(shown_ids(&b).len(), fx.records.len());
    let hidden = b.js(
        "return document.getElementById('active-filters').hidden",
        json!([]),
    );
    assert_eq!(hidden, json!(true), "no chips without filters");
}

#[test]
fn the_compare_bar_counts_refuses_a_fifth_and_keeps_the_view() {
    let Some(b) = Browser::get("the_compare_bar_counts_refuses_a_fifth_and_keeps_the_view") else {
        return;
    };
    let fx = fixture();
    assert!(fx.records.len() >= 5);
    open_home(&b, "");
    let bar = || {
        b.js(
            "return [document.getElementById('compare-button').disabled, document.getElementById('compare-hint').textContent]",
            json!([]),
        )
    };
    assert_eq!(bar()[0], json!(true), "disabled with nothing ticked");
    let ids: Vec<String> = shown_ids(&b).into_iter().take(5).collect();
    b.click(&format!("#compare-{}", ids[0]));
    assert_eq!(bar()[0], json!(true), "disabled with one ticked");
    b.click(&format!("#compare-{}", ids[1]));
    let state = bar();
    assert_eq!(state[0], json!(false), "enabled with two");
    assert!(
        state[1].as_str().unwrap_or("").starts_with("2 of 4 ticked"),
        "{state}"
    );
    for id in &ids[2..4] {
        b.click(&format!("#compare-{id}"));
    }
    // A fifth tick is refused, with a message.
    b.click(&format!("#compare-{}", ids[4]));
    let fifth = b.js(
        "return document.getElementById(arguments[0]).checked",
        json!([format!("compare-{}", ids[4])]),
    );
    assert_eq!(fifth, json!(false));
    let state = bar();
    assert!(
        state[1].as_str().unwrap_or("").contains("at most 4"),
        "{state}"
    );
    b.click(&format!("#compare-{}", ids[3]));
    // Filter, then compare, then come back: the filters and the ticks are as they were.
    b.click("fieldset[data-field='level'] input[value='professional']");
    wait_for_query(&b, "?level=professional");
    b.click("#compare-button");
    b.wait_for(
        "the compare page",
        "return document.getElementById('compare-table')",
        json!([]),
    );
    assert_eq!(
        b.js("return location.search", json!([])),
        json!(format!("?ids={}", ids[..3].join(",")))
    );
    b.click("#change-selection");
    wait_for_script(&b);
    assert_eq!(
        b.js("return location.search", json!([])),
        json!("?level=professional")
    );
    let ticked = b.js(
        "return Array.from(document.querySelectorAll('#cert-filters input:checked')).map(i => i.value)",
        json!([]),
    );
    assert_eq!(ticked, json!(["professional"]));
    b.click("fieldset[data-field='level'] input[value='professional']");
    let rows = b.js(
        "return Array.from(document.querySelectorAll('#cert-table input[name=ids]:checked')).map(i => i.value)",
        json!([]),
    );
    let mut rows: Vec<String> = serde_json::from_value(rows).expect("ids");
    rows.sort();
    let mut want = ids[..3].to_vec();
    want.sort();
    assert_eq!(rows, want, "the ticks are kept");
}

#[test]
fn record_pages_add_to_compare_and_an_empty_compare_page_lets_you_choose() {
    let Some(b) =
        Browser::get("record_pages_add_to_compare_and_an_empty_compare_page_lets_you_choose")
    else {
        return;
    };
    let fx = fixture();
    forget_storage(&b, &fx.url);
    for id in ["alpha", "gamma"] {
        b.goto(&format!("{}certifications/{id}/", fx.url));
        b.click("#add-compare-button");
        let pressed = b.js(
            "return document.getElementById('add-compare-button').getAttribute('aria-pressed')",
            json!([]),
        );
        assert_eq!(pressed, json!("true"), "{id}");
    }
    let status = b.js(
        "return document.getElementById('add-compare-status').textContent",
        json!([]),
    );
    assert!(
        status.as_str().unwrap_or("").contains("2 of 4 chosen"),
        "{status}"
    );
    // The home page shows them ticked.
    b.goto(&fx.url);
    wait_for_script(&b);
    let rows = b.js(
        "return Array.from(document.querySelectorAll('#cert-table input[name=ids]:checked')).map(i => i.value).sort()",
        json!([]),
    );
    assert_eq!(rows, json!(["alpha", "gamma"]));
    // Pressing it again takes the record out.
    b.goto(&format!("{}certifications/gamma/", fx.url));
    b.click("#add-compare-button");
    let pressed = b.js(
        "return document.getElementById('add-compare-button').getAttribute('aria-pressed')",
        json!([]),
    );
    assert_eq!(pressed, json!("false"));

    // The compare page with nothing in its address: a checklist with a search box.
    b.goto(&format!("{}compare/", fx.url));
    b.wait_for(
        "the checklist",
        "return document.querySelector('#chooser-list input')",
        json!([]),
    );
    let ticked = b.js(
        "return Array.from(document.querySelectorAll('#chooser-list input:checked')).map(i => i.value)",
        json!([]),
    );
    assert_eq!(ticked, json!(["alpha"]), "the kept selection is ticked");
    let go = b.js(
        "return document.getElementById('chooser-compare').disabled",
        json!([]),
    );
    assert_eq!(go, json!(true), "one is not enough");
    b.type_into("#chooser-search", "beta");
    let listed = b.js(
        "return Array.from(document.querySelectorAll('#chooser-list input')).map(i => i.value)",
        json!([]),
    );
    assert_eq!(
        listed,
        json!(["alpha", "beta"]),
        "the search narrows the list"
    );
    b.click("label[for='choose-beta']");
    b.click("#chooser-compare");
    b.wait_for(
        "the compare table",
        "return document.getElementById('compare-table')",
        json!([]),
    );
    assert_eq!(
        b.js("return location.search", json!([])),
        json!("?ids=alpha,beta")
    );
}

#[test]
fn phones_get_collapsed_filters_and_the_table_on_the_first_screen() {
    let Some(b) = Browser::get("phones_get_collapsed_filters_and_the_table_on_the_first_screen")
    else {
        return;
    };
    b.set_size(390, 844);
    open_home(&b, "");
    let layout = b.js(
        "const panel = document.getElementById('filter-panel');
         const th = document.querySelector('#cert-table thead th[data-field=acronym]');
         const cell = document.querySelector('#cert-table tbody td.col-acronym');
         const nav = Array.from(document.querySelectorAll('.site-nav a')).map(a => a.getBoundingClientRect());
         return {
           open: panel.open,
           summary: panel.querySelector('summary').getBoundingClientRect().height > 0,
           table: document.getElementById('cert-table').getBoundingClientRect().top,
           height: innerHeight,
           header: th.getBoundingClientRect().height > 0 && th.getBoundingClientRect().right <= innerWidth,
           key: cell.getBoundingClientRect().right <= innerWidth && cell.getBoundingClientRect().width > 0,
           nav: nav.every(r => r.right <= innerWidth && r.left >= 0 && r.width > 0),
           wide: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
         }",
        json!([]),
    );
    assert_eq!(layout["open"], json!(false), "{layout}");
    assert_eq!(layout["summary"], json!(true), "{layout}");
    assert!(
        layout["table"].as_f64().unwrap_or(9999.0)
            < layout["height"].as_f64().unwrap_or(0.0) - 150.0,
        "the table starts on the first screen: {layout}"
    );
    for key in ["header", "key", "nav", "wide"] {
        assert_eq!(layout[key], json!(true), "{key}: {layout}");
    }
    // Opening the disclosure shows the filters, which still work.
    b.click("#filter-panel summary");
    b.click("fieldset[data-field='level'] input[value='expert']");
    let want = expected(
        &fixture().records,
        &Filter {
            tags: vec![("level", vec!["expert"])],
            ..Filter::default()
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), want);
    // Wide screens: open, and the menu on one row with the search box.
    b.set_size(1280, 900);
    open_home(&b, "");
    let wide = b.js(
        "const tops = Array.from(document.querySelectorAll('.brand, .site-nav a, .site-search-input')).map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2));
         return [document.getElementById('filter-panel').open, Math.max(...tops) - Math.min(...tops), document.querySelectorAll('.site-nav a').length]",
        json!([]),
    );
    assert_eq!(wide[0], json!(true), "{wide}");
    assert!(wide[1].as_f64().unwrap_or(99.0) < 8.0, "one row: {wide}");
    assert!(wide[2].as_u64().unwrap_or(0) >= 4, "{wide}");
    // At 1024 px the default columns fit beside the filters: nothing sticks out.
    b.set_size(1024, 768);
    open_home(&b, "");
    let fit = b.js(
        "const t = document.getElementById('cert-table').getBoundingClientRect();
         const w = document.getElementById('cert-table-wrap').getBoundingClientRect();
         return [t.right <= w.right + 0.5, document.documentElement.scrollWidth <= document.documentElement.clientWidth]",
        json!([]),
    );
    b.set_size(1280, 900);
    assert_eq!(fit, json!([true, true]), "at 1024 px");
}

#[test]
fn ticks_made_before_the_script_starts_are_honoured() {
    let Some(b) = Browser::get("ticks_made_before_the_script_starts_are_honoured") else {
        return;
    };
    let fx = fixture();
    forget_storage(&b, &fx.url);
    // The page without its scripts: tick a level and a row, as a reader would while the
    // script is still on its way.
    b.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    )
    .expect("turn scripts off");
    b.goto(&format!("{}?audience=manager", fx.url));
    b.click("fieldset[data-field='level'] input[value='professional']");
    b.click("#compare-alpha");
    b.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    )
    .expect("turn scripts on");
    // Now the scripts start: the theme's words, then the filter script, in order.
    b.js(
        "for (const name of ['strings.js', 'guide.js']) { const s = document.createElement('script'); s.async = false; s.src = document.querySelector(`script[src$=\"${name}\"]`).src; document.body.appendChild(s); }",
        json!([]),
    );
    wait_for_script(&b);
    wait_for_query(&b, "?audience=manager&level=professional");
    let want = expected(
        &fx.records,
        &Filter {
            tags: vec![
                ("audience", vec!["manager"]),
                ("level", vec!["professional"]),
            ],
            ..Filter::default()
        },
    );
    assert_eq!(shown_ids(&b).into_iter().collect::<BTreeSet<_>>(), want);
    let ticks = b.js(
        "return [Array.from(document.querySelectorAll('#cert-filters input:checked')).map(i => i.value), JSON.parse(localStorage.getItem('certguide-compare@' + document.getElementById('compare-form').getAttribute('action')))]",
        json!([]),
    );
    assert_eq!(ticks, json!([["manager", "professional"], ["alpha"]]));
}

#[test]
fn printing_lists_every_row_of_the_view_and_names_its_filters() {
    let Some(b) = Browser::get("printing_lists_every_row_of_the_view_and_names_its_filters") else {
        return;
    };
    // No delivery on any generated record: over 500 matches.
    open_long(&b, "?delivery=unknown");
    let matches: usize = 600
        + fixture()
            .records
            .iter()
            .filter(|r| values_of(r, "delivery") == ["unknown"])
            .count();
    settled(&b, 500);
    b.emulate("print", &[]);
    b.js("window.dispatchEvent(new Event('beforeprint'))", json!([]));
    let printed = b.js(
        "const line = document.querySelector('.print-summary');
         return [document.querySelectorAll('#cert-table tbody tr').length, line.textContent, line.getClientRects().length > 0]",
        json!([]),
    );
    b.emulate("", &[]);
    assert_eq!(printed[0], json!(matches), "{printed}");
    assert!(
        printed[1]
            .as_str()
            .unwrap_or("")
            .contains("Filters: Delivery: Unknown."),
        "{printed}"
    );
    assert_eq!(printed[2], json!(true), "the line is printed");
}

#[test]
fn the_chart_is_one_click_away_with_shapes_a_legend_and_keyboard_points() {
    let Some(b) =
        Browser::get("the_chart_is_one_click_away_with_shapes_a_legend_and_keyboard_points")
    else {
        return;
    };
    let fx = fixture();
    b.set_size(1280, 900);
    open_home(&b, "");
    // Table | Chart: the chart replaces the table, on the first screen.
    b.click("#view-chart");
    let shown = b.js(
        "const chart = document.getElementById('chart').getBoundingClientRect();
         return [chart.height > 0 && chart.top < innerHeight, document.getElementById('cert-table').getClientRects().length > 0, document.getElementById('view-chart').getAttribute('aria-pressed')]",
        json!([]),
    );
    assert_eq!(shown, json!([true, false, "true"]));
    // The legend names only the levels plotted; each level has its own shape.
    let plotted: Vec<&Value> = fx
        .records
        .iter()
        .filter(|r| field(r, "cost.amount").is_number() && field(r, "effort.hours").is_number())
        .collect();
    let mut levels: Vec<&str> = plotted
        .iter()
        .map(|r| match r["level"].as_str() {
            Some("foundation") => "Foundation",
            Some("professional") => "Professional",
            Some("expert") => "Expert",
            _ => "Level unknown",
        })
        .collect();
    let order = ["Foundation", "Professional", "Expert", "Level unknown"];
    levels.sort_by_key(|l| order.iter().position(|o| o == l));
    levels.dedup();
    let legend = b.js(
        "return Array.from(document.querySelectorAll('.chart-legend li')).map(li => li.textContent.trim())",
        json!([]),
    );
    assert_eq!(legend, json!(levels));
    let shapes = b.js(
        "const out = {}; for (const a of document.querySelectorAll('.chart-svg a.pt')) { const cls = a.getAttribute('class').replace('pt ', ''); out[cls] = a.querySelector('path').getAttribute('d').replace(/^M[-0-9.]+ [-0-9.]+/, ''); } return out",
        json!([]),
    );
    let distinct: BTreeSet<&str> = shapes
        .as_object()
        .expect("shapes")
        .values()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        distinct.len(),
        levels.len(),
        "one shape per level: {shapes}"
    );
    // One point in the tab order; the arrows move between points, each named, with a tip.
    let tabbable = b.js(
        "return Array.from(document.querySelectorAll('.chart-svg a.pt')).filter(a => a.getAttribute('tabindex') !== '-1').length",
        json!([]),
    );
    assert_eq!(tabbable, json!(1));
    b.js(
        "document.querySelector('.chart-svg a.pt').focus()",
        json!([]),
    );
    b.keys("\u{E014}"); // ArrowRight
    let focus = b.js(
        "const a = document.activeElement; const tip = document.querySelector('.chart-tip');
         return [a === document.querySelectorAll('.chart-svg a.pt')[1], a.getAttribute('aria-label'), tip.hidden ? null : tip.textContent, a.getAttribute('href')]",
        json!([]),
    );
    assert_eq!(focus[0], json!(true), "{focus}");
    assert!(
        focus[1].as_str().unwrap_or("").contains("hour"),
        "an accessible name: {focus}"
    );
    assert_eq!(focus[2], focus[1], "the tip shows the point's name");
    assert!(
        focus[3].as_str().unwrap_or("").contains("/certifications/"),
        "{focus}"
    );
    b.click("#view-table");
    let back = b.js(
        "return [document.getElementById('cert-table').getClientRects().length > 0, document.getElementById('chart').getClientRects().length > 0]",
        json!([]),
    );
    assert_eq!(back, json!([true, false]));
}

/// Issue 15: the tag, category and paginated list pages, the redirect pages, and a German
/// site pass the audits too.
#[test]
fn new_page_kinds_and_a_german_site_pass_axe_and_the_nu_html_checker() {
    let name = "new_page_kinds_and_a_german_site_pass_axe_and_the_nu_html_checker";
    let tools = match webdriver::npm_tools() {
        Ok(t) => t,
        Err(reason) => return skip(name, &reason),
    };
    let publishing = build_site(
        "publishing",
        &common::repo().join("tests/fixtures/publishing"),
        |root| {
            let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
            std::fs::write(
                root.join("site.yaml"),
                format!("{config}articles_per_page: 1\n"),
            )
            .unwrap();
        },
    );
    let german = build_site(
        "german",
        &common::repo().join("tests/fixtures/german"),
        |_| {},
    );
    let mut pages: Vec<PathBuf> = Vec::new();
    for root in [&publishing, &german] {
        pages.extend(
            walkdir::WalkDir::new(root.join("public"))
                .into_iter()
                .filter_map(Result::ok)
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|e| e == "html")),
        );
    }
    for page in [
        "public/tags/index.html",
        "public/tags/budget/page/2/index.html",
        "public/categories/policy/index.html",
        "public/articles/page/2/index.html",
        "public/accm.html",
    ] {
        assert!(publishing.join(page).is_file(), "{page}");
    }
    if let Some(java) = webdriver::find_tool("CERTGUIDE_JAVA", &["java"]) {
        nu_html_checker(&java, tools, &pages);
    } else {
        skip(name, "java not found: the Nu HTML Checker part is skipped");
    }
    let Some(b) = Browser::get(name) else {
        return;
    };
    let source = std::fs::read_to_string(tools.join("axe-core/axe.min.js")).expect("axe.min.js");
    let mut problems = Vec::new();
    let url = webdriver::serve(&publishing.join("public"));
    for page in [
        "tags/",
        "tags/budget/",
        "tags/budget/page/2/",
        "categories/policy/",
        "articles/page/2/",
    ] {
        b.goto(&format!("{url}{page}"));
        for v in axe(&b, &source) {
            problems.push(format!("/{page}: {v}"));
        }
    }
    let url = webdriver::serve(&german.join("public"));
    for page in ["", "certifications/zkl/", "articles/rendite/", "tags/"] {
        b.goto(&format!("{url}{page}"));
        for v in axe(&b, &source) {
            problems.push(format!("German /{page}: {v}"));
        }
    }
    assert!(problems.is_empty(), "axe-core:\n{}", problems.join("\n"));
}

/// Issue 15: the German home page filters and sorts like the English one, and every word
/// it shows after a change (the announced count, chips, compare bar, chart note) comes
/// from de.yaml through data/words.js.
#[test]
fn the_german_home_page_filters_and_sorts() {
    let Some(b) = Browser::get("the_german_home_page_filters_and_sorts") else {
        return;
    };
    let german = build_site(
        "german-home",
        &common::repo().join("tests/fixtures/german"),
        |_| {},
    );
    let url = webdriver::serve(&german.join("public"));
    let shown = |b: &Browser| -> Vec<String> {
        let v = b.js(
            "return Array.from(document.querySelectorAll('#cert-table tbody tr:not([hidden])')).map(tr => tr.dataset.id)",
            json!([]),
        );
        serde_json::from_value(v).expect("ids")
    };
    b.goto(&url);
    b.wait_for(
        "the filter script",
        "return document.documentElement.classList.contains('has-guide-js')",
        json!([]),
    );
    assert_eq!(shown(&b), ["qsa", "zkl"]);
    let heading = b.js(
        "return document.querySelector(\"th[data-field='cost.amount'] button\").textContent.trim()",
        json!([]),
    );
    assert_eq!(heading, json!("Kosten"));
    // A facet ticked through its control.
    b.js(
        "document.querySelector(\"fieldset[data-field='level'] input[value='professional']\").click()",
        json!([]),
    );
    wait_for_query(&b, "?level=professional");
    assert_eq!(shown(&b), ["zkl"]);
    // What the page says about it, in German: the count (announced), the chip, the
    // filter toggle's count and the chart's note (the chart follows the filters in view).
    b.click("#view-chart");
    let said = b.js(
        "return [document.getElementById('cert-count').getAttribute('role'),
                 document.getElementById('cert-count').textContent,
                 Array.from(document.querySelectorAll('#active-filters button.chip')).map(c => c.getAttribute('aria-label')),
                 document.getElementById('filter-toggle-count').textContent,
                 document.getElementById('view-chart').textContent,
                 document.getElementById('chart-note').textContent]",
        json!([]),
    );
    assert_eq!(
        said,
        json!([
            "status",
            "1 von 2 Zertifizierungen angezeigt",
            ["Filter Stufe: Fortgeschritten entfernen"],
            "(1 aktiv)",
            "Diagramm",
            "1 von 1 Punkten passt zu den Filtern; die anderen sind abgeblendet."
        ])
    );
    b.click("#view-table");
    // The compare bar: one tick asks for another, two can be compared.
    let bar = |b: &Browser| {
        b.js(
            "return [document.getElementById('compare-hint').textContent, document.getElementById('compare-button').disabled]",
            json!([]),
        )
    };
    b.click("#compare-zkl");
    assert_eq!(
        bar(&b),
        json!([
            "1 von 4 gewählt: ZKL. Wählen Sie noch eine, um zu vergleichen.",
            true
        ])
    );
    b.click("#active-filters button.chip");
    wait_for_query(&b, "");
    assert_eq!(
        b.js(
            "return document.getElementById('cert-count').textContent",
            json!([])
        ),
        json!("2 Zertifizierungen angezeigt")
    );
    b.click("#compare-qsa");
    assert_eq!(bar(&b), json!(["2 von 4 gewählt: ZKL, QSA.", false]));
    b.click("#compare-clear");
    assert_eq!(
        bar(&b)[0],
        json!("Auswahl aufgehoben. Wählen Sie 2–4 Zeilen, um sie nebeneinander zu vergleichen.")
    );
    // Sorting by cost, highest first, from the address.
    b.goto(&format!("{url}?sort=cost.amount&dir=desc"));
    b.wait_for(
        "the sorted table",
        "return document.querySelector(\"th[data-field='cost.amount']\").getAttribute('aria-sort') === 'descending'",
        json!([]),
    );
    assert_eq!(shown(&b), ["zkl", "qsa"]);
}
