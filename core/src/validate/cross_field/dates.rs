//! Strict calendar dates: `YYYY-MM-DD` that names a real day.

pub fn is_strict_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::is_strict_date;

    #[test]
    fn dates() {
        assert!(is_strict_date("2024-02-29"));
        assert!(!is_strict_date("2023-02-29"));
        assert!(!is_strict_date("2026-13-01"));
        assert!(!is_strict_date("2026-1-01"));
        assert!(!is_strict_date("2026-01-01T00:00:00Z"));
        assert!(!is_strict_date("+026-01-01"));
        assert!(!is_strict_date("2026-04-31"));
        assert!(is_strict_date("2026-12-31"));
    }
}
