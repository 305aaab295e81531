//! API errors as conditions and logs show them.

/// A short, stable description of an API error (no request ids or timings).
pub fn short(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) => format!("{} ({})", s.reason, s.code),
        other => {
            let t = other.to_string();
            t.chars().take(200).collect()
        }
    }
}
