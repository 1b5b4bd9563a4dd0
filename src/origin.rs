//! Which console origins the widget trusts for `sfdcIframeOrigin`: the page loads a script from
//! that origin (Open CTI), so an untrusted one must be refused before anything is loaded.
//!
//! Trusted: the Salesforce domains Open CTI itself accepts (`*.force.com`,
//! `*.visualforce.com`, `*.my-visualforce.com`, `*.salesforce.com`, `*.my-salesforce.com`,
//! `*.my-lightning.com`, `*.salesforce.mil|ms`, `*.crmforce.mil|ms`), with the page's own
//! protocol, plus origins an admin lists explicitly. The default never widens.

const SALESFORCE_SUFFIXES: &[&str] = &[
    ".force.com",
    ".visualforce.com",
    ".my-visualforce.com",
    ".my-lightning.com",
    ".salesforce.com",
    ".my-salesforce.com",
    ".salesforce.mil",
    ".salesforce.ms",
    ".crmforce.mil",
    ".crmforce.ms",
];

/// `origin` is exactly `scheme://host[:port]`, with `scheme:` equal to `page_protocol`
/// (`location.protocol`, e.g. `https:`), and either a Salesforce host or listed in `extra`.
pub fn is_trusted_console_origin(origin: &str, extra: &[&str], page_protocol: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else { return false };
    if !matches!(scheme, "http" | "https") || format!("{scheme}:") != page_protocol {
        return false;
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    if !host_ok || !port_ok {
        return false;
    }
    if extra.iter().any(|e| e.trim() == origin) {
        return true;
    }
    let host = host.to_ascii_lowercase();
    SALESFORCE_SUFFIXES.iter().any(|s| host.len() > s.len() && host.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_consoles_are_trusted() {
        for o in [
            "https://acme.my.salesforce.com",
            "https://acme--c.vf.force.com",
            "https://acme.lightning.force.com",
            "https://acme.my.salesforce.com:8443",
            "https://acme.my.salesforce-setup.my-salesforce.com",
            "https://agency.my.salesforce.mil",
        ] {
            assert!(is_trusted_console_origin(o, &[], "https:"), "{o}");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        for (o, page) in [
            ("https://evil.example", "https:"),
            ("http://acme.my.salesforce.com", "https:"),
            ("https://salesforce.com.evil.example", "https:"),
            ("https://salesforce.com", "https:"),
            ("https://acme.my.salesforce.com/", "https:"),
            ("https://acme.my.salesforce.com/path", "https:"),
            ("https://user@acme.my.salesforce.com", "https:"),
            ("javascript://acme.my.salesforce.com", "https:"),
            ("https://acme.my.salesforce.com:", "https:"),
            ("https://acme.my.salesforce.com:99999999", "https:"),
            ("", "https:"),
            ("https://acme.my.salesforce.com.", "https:"),
        ] {
            assert!(!is_trusted_console_origin(o, &[], page), "{o}");
        }
    }

    #[test]
    fn admins_can_add_an_origin_but_not_change_the_protocol_rule() {
        assert!(is_trusted_console_origin("http://127.0.0.1:8080", &["http://127.0.0.1:8080"], "http:"));
        assert!(!is_trusted_console_origin("http://127.0.0.1:8080", &["http://127.0.0.1:8080"], "https:"));
        assert!(!is_trusted_console_origin("http://127.0.0.1:8081", &["http://127.0.0.1:8080"], "http:"));
    }
}
