use super::*;

fn v(s: &str) -> Version {
    match parse_version_lenient(s) {
        Some(v) => v,
        None => panic!("test version {s:?} must parse"),
    }
}

/// (range, version, expected match). Expectations follow Masterminds semver v3.
const TABLE: &[(&str, &str, bool)] = &[
    // caret
    ("^2.0.0", "2.0.0", true),
    ("^2.0.0", "2.9.9", true),
    ("^2.0.0", "3.0.0", false),
    ("^2.0.0", "1.9.9", false),
    ("^1.2.3", "1.2.2", false),
    ("^0.2.3", "0.2.9", true),
    ("^0.2.3", "0.3.0", false),
    ("^0.0.3", "0.0.3", true),
    ("^0.0.3", "0.0.4", false),
    ("^0", "0.9.0", true),
    ("^0", "1.0.0", false),
    ("^0.0", "0.0.7", true),
    ("^0.0", "0.1.0", false),
    ("^1.x", "1.8.0", true),
    ("^1.x", "2.0.0", false),
    // tilde
    ("~2.1.0", "2.1.5", true),
    ("~2.1.0", "2.2.0", false),
    ("~2.1.0", "2.0.9", false),
    ("~1", "1.9.0", true),
    ("~1", "2.0.0", false),
    ("~1.2", "1.2.9", true),
    ("~1.2", "1.3.0", false),
    ("~> 1.2.3", "1.2.4", true),
    ("~>1.2.3", "1.3.0", false),
    // wildcards
    ("*", "0.0.1", true),
    ("*", "99.0.0", true),
    ("x", "3.4.5", true),
    ("1.x", "1.0.0", true),
    ("1.x", "1.99.3", true),
    ("1.x", "2.0.0", false),
    ("1.X", "1.5.0", true),
    ("1.2.*", "1.2.7", true),
    ("1.2.*", "1.3.0", false),
    ("1.2", "1.2.5", true),
    ("1", "1.4.0", true),
    ("=1.2.x", "1.2.1", true),
    // equality
    ("1.2.3", "1.2.3", true),
    ("1.2.3", "1.2.4", false),
    ("=1.2.3", "1.2.3+build.7", true),
    ("= 1.2.3", "1.2.3", true),
    // not equal
    ("!=1.2.3", "1.2.4", true),
    ("!=1.2.3", "1.2.3", false),
    ("!=1.2.x", "1.2.9", false),
    ("!=1.2.x", "1.3.0", true),
    ("!=1.x", "1.5.0", false),
    ("!=1.x", "2.0.0", true),
    // comparisons
    (">1.2.3", "1.2.4", true),
    (">1.2.3", "1.2.3", false),
    (">1", "1.9.9", false),
    (">1", "2.0.0", true),
    (">1.2", "1.2.9", false),
    (">1.2", "1.3.0", true),
    ("<2.0.0", "1.99.0", true),
    ("<2.0.0", "2.0.0", false),
    ("<2", "1.9.0", true),
    ("<2.x", "2.0.0", false),
    (">= 2.0.0", "2.0.0", true),
    (">=2.0.0", "1.9.9", false),
    ("=>2.0.0", "2.1.0", true),
    ("<=1.2.3", "1.2.3", true),
    ("<=1.2.3", "1.2.4", false),
    ("<=1.2", "1.2.99", true),
    ("<=1.2", "1.3.0", false),
    ("=<1", "1.99.0", true),
    ("=<1", "2.0.0", false),
    // AND by comma and by whitespace
    (">= 2.0.0, < 4.0.0", "3.9.9", true),
    (">= 2.0.0, < 4.0.0", "4.0.0", false),
    (">=2.0.0 <4.0.0", "1.0.0", false),
    (">= 2.0.0 < 4.0.0", "2.5.0", true),
    (">=1.0.0,!=1.5.0", "1.5.0", false),
    (">=1.0.0,,<2", "1.5.0", true),
    // OR
    ("^1.0.0 || ^3.0.0", "3.1.0", true),
    ("^1.0.0 || ^3.0.0", "2.1.0", false),
    ("<1.0.0||>=2.0.0", "0.9.0", true),
    (">=1, <1.5 || >=3", "1.6.0", false),
    // hyphen ranges (upper bound is inclusive; a partial upper bound covers its range)
    ("1.2 - 2.3.4", "1.2.0", true),
    ("1.2 - 2.3.4", "2.3.4", true),
    ("1.2 - 2.3.4", "2.3.5", false),
    ("1.2 - 2.3.4", "1.1.9", false),
    ("1.2.3 - 2", "2.9.0", true),
    ("1.2.3 - 2", "3.0.0", false),
    ("1 - 2, !=1.5.0", "1.5.0", false),
    // v prefix on either side
    ("^v2.0.0", "2.1.0", true),
    (">=v1", "v1.0.0", true),
    ("v1.2.x", "1.2.3", true),
    // prereleases: excluded unless the term names one
    ("^1.0.0", "1.1.0-beta.1", false),
    ("*", "1.0.0-rc.1", false),
    (">=1.0.0-alpha", "1.0.0-beta", true),
    (">=1.0.0-alpha", "1.0.0", true),
    (">=1.0.0-beta", "1.0.0-alpha", false),
    ("<1.0.0-rc.1", "1.0.0-beta", true),
    ("^1.0.0-0", "1.2.0-beta", true),
    ("^1.0.0-0", "2.0.0-beta", false),
    ("1.0.0-rc.1", "1.0.0-rc.1", true),
    // empty range = any release
    ("", "4.5.6", true),
    ("  ", "0.1.0", true),
    ("", "1.0.0-rc.1", false),
];

#[test]
fn table_of_range_forms() {
    let mut failures = Vec::new();
    for (range, version, want) in TABLE {
        let c = match Constraint::parse(range) {
            Ok(c) => c,
            Err(e) => panic!("range {range:?} must parse: {e}"),
        };
        if c.matches(&v(version)) != *want {
            failures.push(format!("{range:?} vs {version}: expected {want}"));
        }
    }
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}

#[test]
fn lenient_versions() {
    let cases: &[(&str, Option<&str>)] = &[
        ("1.2.3", Some("1.2.3")),
        ("v1.2.3", Some("1.2.3")),
        ("V1.2.3", Some("1.2.3")),
        ("1", Some("1.0.0")),
        ("1.2", Some("1.2.0")),
        ("v2", Some("2.0.0")),
        ("1.2.3-rc.1", Some("1.2.3-rc.1")),
        ("1.2-beta", Some("1.2.0-beta")),
        ("1.2.3+build.5", Some("1.2.3+build.5")),
        ("1.2.3-rc.1+sha.abc", Some("1.2.3-rc.1+sha.abc")),
        (" 1.2.3 ", Some("1.2.3")),
        ("latest", None),
        ("main", None),
        ("", None),
        ("v", None),
        ("1.2.3.4", None),
        ("1.x", None),
        ("*", None),
        ("1..2", None),
        ("1.2.3-", None),
        ("1.2.3+", None),
        ("-1.2.3", None),
        ("1.2.3-01", None),
        ("99999999999999999999999.0.0", None),
        ("sha256-abc", None),
    ];
    for (input, want) in cases {
        let got = parse_version_lenient(input).map(|v| v.to_string());
        assert_eq!(got.as_deref(), *want, "parse_version_lenient({input:?})");
    }
}

#[test]
fn highest_matching_reference_example() {
    let tags = ["1.0.0", "2.0.0", "2.3.0", "3.0.0"];
    let c = Constraint::parse("^2.0.0").ok();
    assert_eq!(highest_matching(tags, c.as_ref()), Some("2.3.0"));
}

#[test]
fn highest_matching_returns_original_text_and_ignores_non_semver() {
    let tags = [
        "latest",
        "v1.4.0",
        "main",
        "1.3.9",
        "v2.0.0-rc.1",
        "sha-1234",
    ];
    let c = Constraint::parse("1.x").ok();
    assert_eq!(highest_matching(tags, c.as_ref()), Some("v1.4.0"));
    // No constraint: every semver tag, prereleases included (reference behaviour).
    assert_eq!(highest_matching(tags, None), Some("v2.0.0-rc.1"));
    // Numeric, not lexical, ordering.
    assert_eq!(
        highest_matching(["1.9.0", "1.10.0", "1.2.0"], None),
        Some("1.10.0")
    );
}

#[test]
fn highest_matching_none_cases() {
    let c = Constraint::parse(">=5").ok();
    assert_eq!(highest_matching(["1.0.0", "4.9.9"], c.as_ref()), None);
    assert_eq!(highest_matching(["latest", "main"], None), None);
    assert_eq!(highest_matching([], None), None);
}

#[test]
fn highest_matching_ties_are_deterministic() {
    let a = highest_matching(["1.0.0", "v1.0.0"], None);
    let b = highest_matching(["v1.0.0", "1.0.0"], None);
    assert_eq!(a, b);
    assert_eq!(
        highest_matching(["1.0.0+b1", "1.0.0+b2"], None),
        highest_matching(["1.0.0+b2", "1.0.0+b1"], None)
    );
}

#[test]
fn errors_name_the_problem() {
    let cases: &[(&str, &str)] = &[
        ("^1.0 ||", "empty alternative"),
        ("|| 2.0", "empty alternative"),
        (">=", "not followed by a version"),
        (">= , 1.0", "not followed by a version"),
        ("1.0 -", "hyphen range"),
        ("- 2.0", "hyphen range"),
        (">=1.0 - 2.0", "must be plain versions"),
        ("^abc", "\"abc\" is not a number"),
        ("1.2.3.4", "at most 3"),
        ("1.x.3", "after a wildcard"),
        ("1.2.3-", "empty prerelease"),
        ("1.2.3+", "empty build metadata"),
        ("1.2.3-be$ta", "bad prerelease"),
        ("latest", "invalid version \"latest\""),
        ("^1.0.0 ~banana", "banana"),
    ];
    for (range, needle) in cases {
        match Constraint::parse(range) {
            Ok(c) => panic!("range {range:?} should fail, parsed as {c:?}"),
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.contains(needle), "{range:?}: {msg:?} lacks {needle:?}");
            }
        }
    }
}

#[test]
fn display_keeps_the_source_text() {
    let c = Constraint::parse(" >= 1.0, < 2 ").ok();
    assert_eq!(c.map(|c| c.to_string()).as_deref(), Some(">= 1.0, < 2"));
}
