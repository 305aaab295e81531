//! Kubernetes names derived from contract names.

/// Lowercase alphanumerics and single inner hyphens, at most `max` characters.
fn label(s: &str, max: usize) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        let c = ch.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    out.trim_end_matches('-').to_string()
}

/// A DNS-1123 label (object names built from service and configuration names).
pub fn dns_label(s: &str) -> String {
    let l = label(s, 63);
    if l.is_empty() { "x".to_string() } else { l }
}

/// Port names for interfaces, in order: IANA service names (at most 15 characters, at least
/// one letter), unique.
pub fn port_names<'a>(interfaces: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for iface in interfaces {
        let mut base = label(iface, 15);
        if !base.chars().any(|c| c.is_ascii_lowercase()) {
            base = format!("p-{base}");
            base.truncate(15);
        }
        let mut name = base.clone();
        let mut i = 2;
        while out.contains(&name) {
            let suffix = format!("-{i}");
            let mut b = base.clone();
            b.truncate(15 - suffix.len());
            name = format!("{}{suffix}", b.trim_end_matches('-'));
            i += 1;
        }
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_names_are_iana_service_names() {
        let names = port_names(
            [
                "rest-api",
                "Very_Long.Interface-Name",
                "very-long-interface-name",
                "8080",
            ]
            .into_iter(),
        );
        assert_eq!(
            names,
            ["rest-api", "very-long-inter", "very-long-int-2", "p-8080"]
        );
        for n in &names {
            assert!(
                n.len() <= 15 && !n.starts_with('-') && !n.ends_with('-'),
                "{n}"
            );
            assert!(!n.contains("--"), "{n}");
        }
    }

    #[test]
    fn dns_labels() {
        assert_eq!(dns_label("Payments_API"), "payments-api");
        assert_eq!(dns_label("__"), "x");
    }
}
