//! Whether a test may skip when a real part (control plane binaries, docker-registry) is
//! missing. Developers may run without them; CI sets `PACTO_E2E_REQUIRE=1`, under which a
//! missing part fails the test instead of passing it silently (cargo's harness swallows the
//! SKIPPED banner, so a skip would otherwise look like a pass).

/// Environment variable that turns a missing real part into a failure.
pub const REQUIRE_ENV: &str = "PACTO_E2E_REQUIRE";

/// Whether `PACTO_E2E_REQUIRE` is set to a true value (`1`, `true`, `yes`).
pub fn real_parts_required() -> bool {
    required_by(std::env::var(REQUIRE_ENV).ok().as_deref())
}

fn required_by(value: Option<&str>) -> bool {
    matches!(
        value.map(|v| v.trim().to_ascii_lowercase()).as_deref(),
        Some("1" | "true" | "yes")
    )
}

/// What a test does when `missing` (a real part) is absent.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    /// Skip, after a banner no one can miss.
    Skip(String),
    /// Fail: CI asked for every real part.
    Fail(String),
}

/// Decides between skipping and failing for a missing part.
pub fn on_missing(missing: &str, required: bool) -> Missing {
    if required {
        Missing::Fail(format!(
            "{missing}, and {REQUIRE_ENV}=1 forbids skipping: install it (scripts/install-deps.sh, \
             e2e/controlplane/build.sh) or unset {REQUIRE_ENV} on a developer machine"
        ))
    } else {
        Missing::Skip(format!(
            "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
             !!! SKIPPED: {missing}.\n\
             !!! This e2e test did NOT run (CI sets {REQUIRE_ENV}=1 and fails here instead).\n\
             !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        ))
    }
}

/// Skips (prints the banner, returns) or, under `PACTO_E2E_REQUIRE`, panics: the caller's test
/// fails with the reason.
pub fn skip_or_fail(missing: &str) {
    match on_missing(missing, real_parts_required()) {
        Missing::Skip(banner) => eprintln!("{banner}"),
        Missing::Fail(reason) => panic!("{reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_true_values_require() {
        for v in ["1", "true", "TRUE", " yes "] {
            assert!(required_by(Some(v)), "{v}");
        }
        for v in [None, Some(""), Some("0"), Some("false"), Some("no")] {
            assert!(!required_by(v), "{v:?}");
        }
    }

    #[test]
    fn required_parts_fail_instead_of_skipping() {
        match on_missing("docker-registry is not installed", true) {
            Missing::Fail(reason) => {
                assert!(
                    reason.contains("docker-registry is not installed"),
                    "{reason}"
                );
                assert!(reason.contains(REQUIRE_ENV), "{reason}");
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(matches!(
            on_missing("control plane binaries are not built", false),
            Missing::Skip(b) if b.contains("SKIPPED: control plane binaries are not built")
        ));
    }

    #[test]
    #[should_panic(expected = "forbids skipping")]
    fn skip_or_fail_panics_when_required() {
        // Drives the same decision as skip_or_fail with the requirement forced on.
        if let Missing::Fail(reason) = on_missing("etcd is missing", true) {
            panic!("{reason}");
        }
    }
}
