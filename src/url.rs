//! URL helpers shared by every stage: which schemes content may use, and where each kind
//! of source file is published.

/// Schemes a link or URL from content may use. Anything else (`javascript:`, `data:`,
/// `vbscript:`, ...) is refused, since a guide is read by a whole company.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The scheme of `url` (lower-cased) if it has one. Browsers ignore tabs and newlines inside
/// URLs and leading spaces, so they are ignored here too (`java\tscript:` is `javascript:`).
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(64)
        .collect();
    let end = cleaned.find(':')?;
    let candidate = &cleaned[..end];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    if first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        Some(candidate.to_ascii_lowercase())
    } else {
        None
    }
}

/// `Ok` when `url` is relative or uses a [`SAFE_SCHEMES`] scheme; otherwise a message.
pub fn check_safe(url: &str) -> Result<(), String> {
    match scheme(url) {
        Some(s) if !SAFE_SCHEMES.contains(&s.as_str()) => Err(format!(
            "unsafe URL scheme `{s}:`; links may use http, https, mailto, tel or a relative path"
        )),
        _ => Ok(()),
    }
}

/// True when `url` points outside the site (has a scheme, or starts with `//`).
pub fn is_external(url: &str) -> bool {
    scheme(url).is_some() || url.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x").as_deref(), Some("https"));
        assert_eq!(
            scheme(" JavaScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            scheme("java\tscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("roi.md#a:b"), None);
        assert_eq!(scheme("../a.yaml"), None);
        assert!(check_safe("javascript:alert(1)").is_err());
        assert!(check_safe("data:text/html,x").is_err());
        assert!(check_safe("mailto:a@b").is_ok());
        assert!(check_safe("/about/").is_ok());
    }
}
