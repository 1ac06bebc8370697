//! Site-wide checks, once every file is loaded: duplicate ids and acronyms, related
//! certifications that do not exist, page slugs that collide with the site's own sections,
//! and facets or columns in `site.yaml` that name no record field.

// foldhash: these maps hold every source of the site and are made on every `serve` rebuild.
use foldhash::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config, FacetKind};
use crate::content::{Content, Date, FieldType, Kind, RECORD_FIELDS, Record, record_field};
use crate::diagnostics::{Diagnostic, Pos, display_path};
use crate::yaml;

/// Runs every site-wide check and returns the problems found, warnings included.
pub fn site(config: &Config, content: &Content) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    duplicate_ids(content, &mut diags);
    duplicate_acronyms(content, &mut diags);
    related_certifications(content, &mut diags);
    page_slugs(content, &mut diags);
    article_slugs(content, &mut diags);
    tags(content, &mut diags);
    aliases(config, content, &mut diags);
    fields(config, &mut diags);
    freshness(config, content, Date::today(), &mut diags);
    currencies(config, content, &mut diags);
    quotes(content, &mut diags);
    if config.require_sources {
        unsourced(content, &mut diags);
    }
    diags
}

/// Without a `currency:` block, amounts are compared as written while the records use one
/// currency. Once they use more, the one most amounts are written in is taken as the base
/// (`Money::assumed_base`, set by the loader) and every amount in another gets the warning
/// a code without a rate gets: it is left out of filters, sorting, the chart and totals.
fn currencies(config: &Config, content: &Content, diags: &mut Vec<Diagnostic>) {
    if config.money.currency.is_some() {
        return;
    }
    let Some(base) = config.money.assumed_base.as_deref() else {
        return;
    };
    let mut written: Vec<(&str, &Path, Pos)> = Vec::new();
    for r in &content.records {
        let cost = r
            .cost
            .as_ref()
            .and_then(|c| Some((c.currency.as_deref()?, c.currency_pos?)));
        let renewal = r
            .renewal
            .as_ref()
            .and_then(|x| x.cost.as_ref())
            .and_then(|c| Some((c.currency.as_deref()?, c.currency_pos?)));
        written.extend(
            cost.into_iter()
                .chain(renewal)
                .map(|(c, p)| (c, r.path.as_path(), p)),
        );
    }
    let all: std::collections::BTreeSet<&str> = written.iter().map(|(c, _, _)| *c).collect();
    let all: Vec<&str> = all.into_iter().collect();
    for (code, path, pos) in written {
        if code != base {
            diags.push(Diagnostic::warning(
                path,
                pos.line,
                pos.column,
                format!(
                    "currency `{code}` has no rate: the records use {} and site.yaml has no \
                     `currency:` block, so amounts are compared in {base}, the currency most \
                     of them are written in, and this amount is left out of filters, sorting, \
                     the chart and totals; add `currency: {{ base: {base}, rates: {{ {code}: \
                     N }} }}` to site.yaml",
                    all.join(", ")
                ),
            ));
        }
    }
}

/// With `require_sources: true`, every fact a record has that no source `covers`.
fn unsourced(content: &Content, diags: &mut Vec<Diagnostic>) {
    for r in &content.records {
        for f in RECORD_FIELDS.iter().filter(|f| f.sourced) {
            if (f.get)(r) == crate::content::FieldValue::Missing {
                continue;
            }
            let covered = r
                .sources
                .iter()
                .any(|s| s.covers.iter().any(|c| crate::content::covers(c, f.path)));
            if covered {
                continue;
            }
            let pos = r
                .key_pos
                .iter()
                .find(|(k, _)| *k == f.top_level_key())
                .map_or(Pos::START, |(_, p)| *p);
            diags.push(Diagnostic::warning(
                &r.path,
                pos.line,
                pos.column,
                format!(
                    "`{}` has no source: add a source whose `covers` names it{} to \
                     `sources` (site.yaml sets require_sources)",
                    f.path,
                    f.group()
                        .map(|g| format!(" (or `{g}`)"))
                        .unwrap_or_default()
                ),
            ));
        }
    }
}

/// Pages whose output path a static file already takes: `static/about` (a file) and
/// `content/pages/about.md` (which needs a folder `about/`), or `static/about/index.html`
/// and the same page. Found before anything is written, with both sources named, so
/// `build` and `serve` agree instead of one failing half-way.
pub fn static_collisions(
    content: &Content,
    statics: &std::collections::BTreeMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    let sources = content
        .records
        .iter()
        .map(|r| (Kind::Record, &r.id, &r.path))
        .chain(
            content
                .articles
                .iter()
                .chain(&content.pages)
                .map(|d| (d.kind, &d.slug, &d.path)),
        );
    let mut diags = Vec::new();
    for (kind, id, path) in sources {
        let out = crate::routes::Route::source(kind, id).path();
        // The page's file, and every folder above it, must not be a static file.
        let mut taken = out.match_indices('/').map(|(i, _)| &out[..i]);
        let clash = std::iter::once(out.as_str())
            .chain(&mut taken)
            .find_map(|p| statics.get(p).map(|src| (p, src)));
        if let Some((at, src)) = clash {
            diags.push(Diagnostic::file_error(
                path,
                format!(
                    "this {} is published at `{out}`, but the static file `{}` is published at \
                     `{at}`; rename one of them",
                    kind.noun(),
                    display_path(src),
                ),
            ));
        }
    }
    // An alias's redirect page, likewise.
    let aliases = content.records.iter().map(|r| (&r.path, &r.aliases)).chain(
        content
            .articles
            .iter()
            .chain(&content.pages)
            .map(|d| (&d.path, &d.aliases)),
    );
    for (path, list) in aliases {
        for (alias, pos) in list {
            let Ok(place) = crate::routes::alias_place(alias) else {
                continue;
            };
            let out = crate::routes::Route::Alias(&place).path();
            let mut above = out.match_indices('/').map(|(i, _)| &out[..i]);
            if let Some((at, src)) = std::iter::once(out.as_str())
                .chain(&mut above)
                .find_map(|p| statics.get(p).map(|src| (p, src)))
            {
                diags.push(Diagnostic::at(
                    path,
                    *pos,
                    format!(
                        "the alias `{alias}` is published at `{out}`, but the static file `{}` \
                         is published at `{at}`; change one of them",
                        display_path(src)
                    ),
                ));
            }
        }
    }
    diags
}

/// How fresh a record's facts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// No `verified:` date.
    Unverified,
    /// Verified longer ago than `stale_after_months`.
    Stale {
        months: u32,
    },
    Verified {
        months: u32,
    },
}

/// A record's freshness on `today`.
pub fn freshness_of(record: &Record, stale_after: Option<u32>, today: Date) -> Freshness {
    match record.verified {
        None => Freshness::Unverified,
        Some(d) => {
            let months = d.months_until(today);
            match stale_after {
                Some(limit) if months > limit => Freshness::Stale { months },
                _ => Freshness::Verified { months },
            }
        }
    }
}

/// Warnings for records never verified, or verified too long ago: knowledge sites rot,
/// and this makes the rot visible (`check --strict` fails on them).
fn freshness(config: &Config, content: &Content, today: Date, diags: &mut Vec<Diagnostic>) {
    for r in &content.records {
        match freshness_of(r, config.stale_after_months, today) {
            Freshness::Unverified => diags.push(Diagnostic::warning(
                &r.path,
                1,
                1,
                "unverified: no `verified:` date; check the facts with the provider and add it",
            )),
            Freshness::Stale { months } => diags.push(Diagnostic::warning(
                &r.path,
                r.verified_pos.line,
                r.verified_pos.column,
                format!(
                    "stale: verified {months} months ago (stale_after_months: {}); check the \
                     facts again and update `verified:`",
                    config.stale_after_months.unwrap_or_default()
                ),
            )),
            Freshness::Verified { .. } => {}
        }
        if let Some(d) = r.verified
            && d > today
        {
            diags.push(Diagnostic::warning(
                &r.path,
                r.verified_pos.line,
                r.verified_pos.column,
                format!(
                    "`verified: {d}` is in the future (today is {today}); write the date the \
                     facts were checked"
                ),
            ));
        }
    }
}

fn duplicate_ids(content: &Content, diags: &mut Vec<Diagnostic>) {
    let records = content
        .records
        .iter()
        .map(|r| (Kind::Record, &r.id, &r.path));
    let docs = content
        .articles
        .iter()
        .chain(&content.pages)
        .map(|d| (d.kind, &d.slug, &d.path));
    let mut seen: HashMap<(Kind, &str), &PathBuf> = HashMap::default();
    for (kind, id, path) in records.chain(docs) {
        if let Some(first) = seen.insert((kind, id.as_str()), path) {
            diags.push(Diagnostic::file_error(
                path,
                format!(
                    "duplicate {} id `{id}`: {} has the same file name; ids must be unique",
                    kind.noun(),
                    display_path(first)
                ),
            ));
        }
    }
}

fn duplicate_acronyms(content: &Content, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, (&Path, Pos)> = HashMap::default();
    for r in &content.records {
        let key = r.acronym.to_uppercase();
        if key.is_empty() {
            continue;
        }
        match seen.get(&key) {
            Some((first, pos)) => diags.push(Diagnostic::at(
                &r.path,
                r.acronym_pos,
                format!(
                    "duplicate acronym `{}`: {}:{}:{} uses it already; acronyms must be unique",
                    r.acronym,
                    display_path(first),
                    pos.line,
                    pos.column
                ),
            )),
            None => {
                seen.insert(key, (&r.path, r.acronym_pos));
            }
        }
    }
}

/// The ids (file stems) of the record files among `paths`.
fn record_stems(paths: &[PathBuf]) -> HashSet<String> {
    paths
        .iter()
        .filter(|p| p.starts_with(Kind::Record.dir()))
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .collect()
}

fn related_certifications(content: &Content, diags: &mut Vec<Diagnostic>) {
    let ids: HashSet<&str> = content.records.iter().map(|r| r.id.as_str()).collect();
    let drafts = record_stems(&content.skipped_drafts);
    // Records that failed to parse have their own error already.
    let unparsed = record_stems(&content.unparsed);
    for doc in content.articles.iter().chain(&content.pages) {
        for (id, pos) in &doc.certifications {
            if ids.contains(id.as_str()) || unparsed.contains(id) || content.records_unreadable() {
                continue;
            }
            let msg = if drafts.contains(id) {
                format!("certification `{id}` is a draft; build with --drafts, or remove it here")
            } else {
                let mut known: Vec<&str> = ids.iter().copied().collect();
                known.sort_unstable();
                format!(
                    "no certification with id `{id}`{} (ids are file names in content/certifications/)",
                    yaml::did_you_mean(id, &known)
                )
            };
            diags.push(Diagnostic::at(&doc.path, *pos, msg));
        }
    }
}

/// Facts quoted in articles and pages: every record id and field must exist (errors with a
/// "did you mean"); a fact the record does not have is quoted as "—", with a warning.
fn quotes(content: &Content, diags: &mut Vec<Diagnostic>) {
    let by_id: HashMap<&str, &Record> =
        content.records.iter().map(|r| (r.id.as_str(), r)).collect();
    let drafts = record_stems(&content.skipped_drafts);
    let unparsed = record_stems(&content.unparsed);
    let mut known: Vec<&str> = by_id.keys().copied().collect();
    known.sort_unstable();
    let names = crate::content::quote::quotable();
    for doc in content.articles.iter().chain(&content.pages) {
        for quote in &doc.quotes {
            for field in quote.fields() {
                if !names.contains(&field.value.as_str()) {
                    diags.push(Diagnostic::at(
                        &doc.path,
                        field.pos,
                        format!(
                            "no record field `{}`{}; quote a field as in `columns` \
                             (`effort.hours`), a group (`cost`) or `total_cost`",
                            field.value,
                            yaml::did_you_mean(&field.value, &names)
                        ),
                    ));
                }
            }
            for id in quote.ids() {
                let Some(record) = by_id.get(id.value.as_str()) else {
                    if unparsed.contains(&id.value) || content.records_unreadable() {
                        continue;
                    }
                    let msg = if drafts.contains(&id.value) {
                        format!(
                            "certification `{}` is a draft; build with --drafts, or quote \
                             another",
                            id.value
                        )
                    } else {
                        format!(
                            "no certification with id `{}`{} (ids are file names in \
                             content/certifications/)",
                            id.value,
                            yaml::did_you_mean(&id.value, &known)
                        )
                    };
                    diags.push(Diagnostic::at(&doc.path, id.pos, msg));
                    continue;
                };
                for field in quote.fields() {
                    if names.contains(&field.value.as_str())
                        && !crate::content::quote::present(record, &field.value)
                    {
                        diags.push(Diagnostic::warning(
                            &doc.path,
                            field.pos.line,
                            field.pos.column,
                            format!(
                                "`{}` has no `{}`: the quote shows “—”",
                                id.value, field.value
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// A free page may not take a path the site's own outputs use (`routes::reserved_slugs`).
fn page_slugs(content: &Content, diags: &mut Vec<Diagnostic>) {
    let reserved = crate::routes::reserved_slugs();
    for page in &content.pages {
        if reserved.contains(&page.slug) {
            diags.push(Diagnostic::file_error(
                &page.path,
                format!(
                    "a page cannot be named `{}`: the site uses /{}/ itself; rename the file",
                    page.slug, page.slug
                ),
            ));
        }
    }
}

/// Articles whose slug the articles list's pages take (`articles/page/2/`).
fn article_slugs(content: &Content, diags: &mut Vec<Diagnostic>) {
    let reserved = crate::routes::reserved_article_slugs();
    for a in &content.articles {
        if reserved.contains(&a.slug.as_str()) {
            diags.push(Diagnostic::file_error(
                &a.path,
                format!(
                    "an article cannot be named `{}`: the articles list continues at \
                     /articles/{}/2/; rename the file",
                    a.slug, a.slug
                ),
            ));
        }
    }
}

/// Tags that make no URL (no letter or digit).
fn tags(content: &Content, diags: &mut Vec<Diagnostic>) {
    for a in content.articles.iter().chain(&content.pages) {
        for (tag, pos) in a.tags.iter().zip(&a.tag_pos) {
            if crate::content::taxonomy::tag_slug(tag).is_empty() {
                diags.push(Diagnostic::at(
                    &a.path,
                    *pos,
                    format!(
                        "the tag `{tag}` has no letter or digit, so it has no page; write a \
                         word"
                    ),
                ));
            }
        }
    }
}

/// Every file a build writes besides aliases and static files, as paths in the output.
pub fn output_paths(config: &Config, content: &Content) -> HashSet<String> {
    use crate::routes::{self, DataFile, Route};
    let per_page = config.articles_per_page;
    let order: Vec<usize> = (0..content.articles.len()).collect();
    let mut paths: HashSet<String> = HashSet::default();
    let mut add = |r: Route| {
        paths.insert(r.path());
    };
    routes::FIXED_PAGES.iter().for_each(|r| add(*r));
    DataFile::ALL.iter().for_each(|f| add(Route::Data(*f)));
    for r in &content.records {
        add(Route::Record(&r.id));
        add(Route::RecordData(&r.id));
    }
    for d in content.articles.iter().chain(&content.pages) {
        add(Route::source(d.kind, &d.slug));
    }
    for n in 2..=routes::pages_of(content.articles.len(), per_page) {
        add(Route::ArticlesPage(n));
    }
    for t in crate::content::taxonomy::tags(&content.articles, &order) {
        for n in 1..=routes::pages_of(t.articles.len(), per_page) {
            add(Route::Tag(&t.slug, n));
        }
    }
    for (c, members) in crate::content::taxonomy::categories(&content.articles, &order) {
        for n in 1..=routes::pages_of(members.len(), per_page) {
            add(Route::Category(c.name(), n));
        }
    }
    for (name, _) in crate::schema::files() {
        add(Route::Schema(name));
    }
    paths
}

/// Each alias of a record, article or page: a place inside the site that no page, data
/// file or other alias takes.
fn aliases(config: &Config, content: &Content, diags: &mut Vec<Diagnostic>) {
    let written = content.records.iter().map(|r| (&r.path, &r.aliases)).chain(
        content
            .articles
            .iter()
            .chain(&content.pages)
            .map(|d| (&d.path, &d.aliases)),
    );
    if !written.clone().any(|(_, a)| !a.is_empty()) {
        return;
    }
    let taken = output_paths(config, content);
    let mut seen: HashMap<String, (&Path, Pos)> = HashMap::default();
    for (path, aliases) in written {
        for (alias, pos) in aliases {
            let place = match crate::routes::alias_place(alias) {
                Ok(p) => p,
                Err(msg) => {
                    diags.push(Diagnostic::at(path, *pos, msg));
                    continue;
                }
            };
            let out = crate::routes::Route::Alias(&place).path();
            if taken.contains(&out) {
                diags.push(Diagnostic::at(
                    path,
                    *pos,
                    format!(
                        "the alias `{alias}` is the address of a page of the site (`{out}`); \
                         an alias must be an address nothing else uses"
                    ),
                ));
            } else if let Some((first, at)) = seen.get(&out) {
                diags.push(Diagnostic::at(
                    path,
                    *pos,
                    format!(
                        "the alias `{alias}` is already an alias at {}:{}:{}; each old \
                         address can redirect to one page",
                        display_path(first),
                        at.line,
                        at.column
                    ),
                ));
            } else {
                seen.insert(out, (path, *pos));
            }
        }
    }
}

/// The type of a field site.yaml may name (one the table of fields marks `selectable`):
/// `Some(None)` for `extra.KEY`, whose type no one knows before the records are read;
/// `None` for a name that is no such field.
fn field_type(field: &str) -> Option<Option<FieldType>> {
    if let Some(key) = field.strip_prefix("extra.") {
        return (!key.is_empty()).then_some(None);
    }
    record_field(field)
        .filter(|f| f.selectable)
        .map(|f| Some(f.ty))
}

fn unknown_field(field: &str, what: &str) -> String {
    let names: Vec<&str> = RECORD_FIELDS
        .iter()
        .filter(|f| f.selectable)
        .map(|f| f.path)
        .collect();
    format!(
        "{what} names `{field}`, which is not a record field{}; fields are: {}, or extra.KEY",
        yaml::did_you_mean(field, &names),
        names.join(", ")
    )
}

fn fields(config: &Config, diags: &mut Vec<Diagnostic>) {
    let path = Path::new(CONFIG_FILE);
    // `labels:` names fields whose values are words from a small set.
    let labelled: Vec<&str> = RECORD_FIELDS
        .iter()
        .filter(|f| f.labelled())
        .map(|f| f.path)
        .collect();
    for field in &config.labels.fields {
        let name = field.value.as_str();
        if name.starts_with("extra.") || labelled.contains(&name) {
            continue;
        }
        diags.push(Diagnostic::at(
            path,
            field.pos,
            format!(
                "`labels` names `{name}`, which has no values to label (labels apply to {}, \
                 or extra.KEY){}",
                labelled.join(", "),
                yaml::did_you_mean(name, &labelled),
            ),
        ));
    }
    for col in &config.columns {
        if field_type(&col.value).is_none() {
            diags.push(Diagnostic::at(
                path,
                col.pos,
                unknown_field(&col.value, "column"),
            ));
        }
    }
    for facet in &config.facets {
        let field = &facet.field.value;
        let Some(ty) = field_type(field) else {
            diags.push(Diagnostic::at(
                path,
                facet.field.pos,
                unknown_field(field, "facet"),
            ));
            continue;
        };
        let fits = match (facet.kind, ty) {
            (_, None) => true,
            (FacetKind::Range, Some(t)) => t.is_numeric(),
            (FacetKind::Tags, Some(t)) => !t.is_numeric(),
            (FacetKind::Choice, Some(t)) => t != FieldType::List,
        };
        if !fits {
            let advice = match facet.kind {
                FacetKind::Range => "a range facet needs a numeric field such as cost.amount",
                FacetKind::Tags => "use `kind: range` for a numeric field",
                FacetKind::Choice => "use `kind: tags` for a list field",
            };
            diags.push(Diagnostic::at(
                path,
                facet.field.pos,
                format!("facet on `{field}` cannot be of this kind: {advice}"),
            ));
        }
    }
}
