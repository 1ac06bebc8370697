//! Money (DESIGN.md Part 2, "Money"): amounts kept as written and compared in the base
//! currency, the cost over `horizon_years`, and what the data files publish of both. The
//! `money` fixture has a record in each case: USD with a renewal cost (alpha), yen renewed
//! every year (beta), euros renewed every 5 years (gamma), a renewal of unknown cost
//! (delta) and a currency without a rate (epsilon).

mod common;

use common::Site;
use serde_json::Value;

fn built() -> (Site, common::Run) {
    let site = Site::fixture("money");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    (site, run)
}

fn records(site: &Site) -> Vec<Value> {
    let json: Value =
        serde_json::from_str(&site.read("public/data/certifications.json")).expect("JSON");
    json.as_array().expect("an array").clone()
}

fn record<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter().find(|r| r["id"] == id).expect("the record")
}

#[test]
fn totals_count_renewals_due_strictly_before_the_horizon() {
    let (site, _) = built();
    let all = records(&site);
    let total = |id: &str| record(&all, id)["total_cost"].clone();
    // Every 3 years over 5: one renewal (year 3), at 150 USD.
    assert_eq!(
        total("alpha"),
        serde_json::json!({"years": 5, "amount": 1645, "currency": "USD", "renewals": 1,
            "complete": true, "text": "1,645 USD",
            "how": "1,495 USD + 1 renewal × 150 USD (renewal every 3 years) over 5 years"})
    );
    // Every year over 5: four renewals (years 1 to 4), in yen converted to USD.
    assert_eq!(total("beta")["renewals"], 4);
    assert_eq!(total("beta")["amount"], 1273);
    // Every 5 years over 5: none (the one in year 5 is not before it).
    assert_eq!(total("gamma")["renewals"], 0);
    assert_eq!(total("gamma")["amount"], 1080);
    assert_eq!(total("gamma")["complete"], true);
    // A renewal is due but its cost is unknown: the known part, marked incomplete.
    assert_eq!(total("delta")["complete"], false);
    assert_eq!(total("delta")["amount"], 500);
    assert_eq!(
        total("delta")["text"],
        "at least 500 USD — renewal cost unknown"
    );
    // A currency without a rate has no base amount, hence no total.
    assert!(record(&all, "epsilon").get("total_cost").is_none());
}

#[test]
fn the_horizon_comes_from_site_yaml() {
    let site = Site::fixture("money");
    let yaml = site
        .read("site.yaml")
        .replace("horizon_years: 5", "horizon_years: 10");
    site.write("site.yaml", yaml);
    assert_eq!(site.build().code, 0);
    let all = records(&site);
    // Every 3 years over 10: years 3, 6 and 9.
    assert_eq!(record(&all, "alpha")["total_cost"]["renewals"], 3);
    assert_eq!(
        record(&all, "alpha")["total_cost"]["amount"],
        1495 + 3 * 150
    );
}

#[test]
fn data_files_publish_base_amounts_beside_the_amounts_as_written() {
    let (site, _) = built();
    let all = records(&site);
    let beta = record(&all, "beta");
    assert_eq!(beta["cost"]["amount"], 150000);
    assert_eq!(beta["cost"]["currency"], "JPY");
    assert_eq!(beta["cost"]["amount_base"], 1005);
    assert_eq!(beta["renewal"]["cost"]["amount"], 10000);
    assert_eq!(beta["renewal"]["cost"]["amount_base"], 67);
    assert!(record(&all, "epsilon")["cost"].get("amount_base").is_none());
}

#[test]
fn cells_show_the_amount_as_written_and_sort_and_filter_by_the_base_amount() {
    let (site, _) = built();
    let html = site.read("public/index.html");
    assert!(html.contains("150,000 JPY (≈ 1,005 USD)"), "{html}");
    assert!(html.contains("1,000 EUR (≈ 1,080 USD)"));
    assert!(html.contains(">at least 500 USD<"));
    // An amount in the base currency says so too, as the totals beside it do.
    assert!(html.contains(">1,495 USD<"), "{html}");
    // The filter script's index: facet values and sort keys in USD; none for CHF.
    let index = table_index(&site);
    let beta = entry(&index, "beta");
    assert_eq!(beta[3], "ba beta analyst");
    assert_eq!(beta[4], serde_json::json!([1005, 1273]));
    assert_eq!(
        sort_keys(beta),
        serde_json::json!(["ba", "beta analyst", 1005, 1273, 60])
    );
    let epsilon = entry(&index, "epsilon");
    assert_eq!(epsilon[4], serde_json::json!([null, null]));
    assert_eq!(
        sort_keys(epsilon),
        serde_json::json!(["el", "epsilon lead", null, null, 30])
    );
    // The Cost facet's range is in USD.
    assert!(html.contains("From 500 to 1,495 USD"), "{html}");
}

#[test]
fn the_record_page_shows_the_total_and_how_it_was_counted() {
    let (site, _) = built();
    let html = site.read("public/certifications/delta/index.html");
    assert!(html.contains("Cost over 5 years"));
    assert!(html.contains("at least 500 USD — renewal cost unknown"));
    assert!(
        html.contains("500 USD + 1 renewal (renewal every 3 years) of unknown cost over 5 years")
    );
    let beta = site.read("public/certifications/beta/index.html");
    assert!(beta.contains("150,000 JPY (≈ 1,005 USD)"));
    assert!(beta.contains("Converted to USD at the rates of"));
    assert!(beta.contains("10,000 JPY (≈ 67 USD)"));
    // A study hour's cost is written as the cost is: grouped, with the base amount beside
    // it (it read `2500 JPY`).
    assert!(beta.contains("<dd>2,500 JPY (≈ 17 USD)</dd>"), "{beta}");
}

#[test]
fn the_chart_plots_base_amounts_and_leaves_out_what_does_not_convert() {
    let (site, _) = built();
    let page = site.read("public/index.html");
    let start = page.find("<svg class=\"chart-svg\"").expect("the chart");
    let html = &page[start..start + page[start..].find("</svg>").expect("its end")];
    assert!(html.contains("aria-label=\"BA: 150,000 JPY (≈ 1,005 USD), 60 hours\""));
    assert!(!html.contains("data-id=\"epsilon\""), "CHF has no rate");
    assert!(html.contains("Cost (USD)"));
    // The y axis ends near the largest base amount (1,495), not at 150,000.
    assert!(html.contains(">1,500</text>") && !html.contains(">150,000</text>"));
}

#[test]
fn a_code_without_a_rate_is_a_warning_and_strict_check_fails() {
    let (site, run) = built();
    assert!(
        run.stderr.lines().any(|l| l.starts_with(
            "content/certifications/epsilon.yaml:5:13: warning: currency `CHF` has no rate"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(site.check().code, 0);
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn without_a_currency_block_the_odd_currency_is_left_out_not_compared_as_written() {
    let site = Site::fixture("basic");
    // alpha and beta are in USD, the currency most amounts are written in: the yen
    // amount has no rate, so it shows its currency and is left out of sorting and facets.
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nverified: 2026-11-01\ncost: { amount: 150000, currency: JPY }\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("compared in USD"), "{}", run.stderr);
    let html = site.read("public/index.html");
    assert!(html.contains(">150,000 JPY<"), "{html}");
    assert!(html.contains("From 300 to 1,495 USD"), "{html}");
    assert!(!html.contains("150000 USD"), "{html}");
    let index = table_index(&site);
    let gamma = sort_keys(entry(&index, "gamma"));
    assert_eq!(gamma[0], "gsb");
    assert_eq!(gamma[1], "gamma");
    assert!(gamma[2].is_null(), "{gamma}");
    // The chart leaves it out too.
    let start = html.find("<svg class=\"chart-svg\"").expect("the chart");
    let chart = &html[start..start + html[start..].find("</svg>").expect("its end")];
    assert!(!chart.contains("data-id=\"gamma\""), "{chart}");
}

#[test]
fn the_renewal_burden_counts_the_renewals_the_total_counts() {
    let (site, _) = built();
    // Every year over 5: years 1 to 4, as in the total (not 5 // 1 = 5).
    let beta = site.read("public/certifications/beta/index.html");
    assert!(
        beta.contains("4 renewals due in the first 5 years"),
        "{beta}"
    );
    assert!(!beta.contains("5 renewals"), "{beta}");
    // Every 5 years over 5: none before year 5.
    let gamma = site.read("public/certifications/gamma/index.html");
    assert!(
        gamma.contains("no renewal due in the first 5 years"),
        "{gamma}"
    );
    // The horizon is named.
    let yaml = site
        .read("site.yaml")
        .replace("horizon_years: 5", "horizon_years: 10");
    site.write("site.yaml", yaml);
    assert_eq!(site.build().code, 0);
    let alpha = site.read("public/certifications/alpha/index.html");
    assert!(
        alpha.contains("3 renewals due in the first 10 years"),
        "{alpha}"
    );
}

#[test]
fn base_amounts_and_totals_are_published_without_float_noise() {
    let site = Site::fixture("money");
    // 900 EUR × 1.08 is 972.0000000000001 in floating point.
    let gamma = site
        .read("content/certifications/gamma.yaml")
        .replace("amount: 1000, currency: EUR", "amount: 900, currency: EUR");
    site.write("content/certifications/gamma.yaml", gamma);
    assert_eq!(site.build().code, 0);
    let json = site.read("public/data/certifications.json");
    assert!(json.contains("\"amount_base\":972}"), "{json}");
    assert!(!json.contains("972.0000"), "{json}");
    let all = records(&site);
    assert_eq!(record(&all, "gamma")["total_cost"]["amount"], 972);
}

/// The home table's index, `data/table.json`.
fn table_index(site: &Site) -> Vec<serde_json::Value> {
    serde_json::from_str(&site.read("public/data/table.json")).expect("valid JSON")
}

fn entry<'a>(index: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    index.iter().find(|e| e[0] == id).expect("an entry")
}

/// An entry's sort key per column (null where the cell or its key is missing).
fn sort_keys(entry: &serde_json::Value) -> serde_json::Value {
    entry[5]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| c[1].clone())
        .collect()
}
