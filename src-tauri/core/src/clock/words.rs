//! How an offset is said, in the app and in `ringlet-cli` alike: "2 min 13 s", "behind".
//! An offset is what this computer's clock lacks: positive when the clock is behind the true
//! time (its codes come late), negative when it is ahead.

/// A length of time for people: `45 s`, `2 min 13 s`, `3 min`, `1 h 5 min`, `26 h`.
pub fn span(seconds: i64) -> String {
    let total = seconds.unsigned_abs();
    let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60);
    match (hours, minutes, secs) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// An offset with its sign: `+2 min 13 s`, `-45 s`, `0 s`.
pub fn signed(seconds: i64) -> String {
    match seconds.signum() {
        1 => format!("+{}", span(seconds)),
        -1 => format!("-{}", span(seconds)),
        _ => span(0),
    }
}

/// Which way a clock with `offset` is off: `behind`, `ahead`, or `right` at 0.
pub fn direction(offset: i64) -> &'static str {
    match offset.signum() {
        1 => "behind",
        -1 => "ahead",
        _ => "right",
    }
}

/// "2 min 13 s behind", "45 s ahead", "right".
pub fn off_by(offset: i64) -> String {
    match offset {
        0 => "right".into(),
        _ => format!("{} {}", span(offset), direction(offset)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_as_people_say_them() {
        for (seconds, said) in [
            (0, "0 s"),
            (45, "45 s"),
            (-45, "45 s"),
            (60, "1 min"),
            (133, "2 min 13 s"),
            (180, "3 min"),
            (3600, "1 h"),
            (3900, "1 h 5 min"),
            (3913, "1 h 5 min"),
            (93_600, "26 h"),
            (i64::MIN, "2562047788015215 h 30 min"),
        ] {
            assert_eq!(span(seconds), said, "{seconds}");
        }
    }

    #[test]
    fn a_behind_clock_has_a_positive_offset() {
        assert_eq!(off_by(133), "2 min 13 s behind");
        assert_eq!(off_by(-45), "45 s ahead");
        assert_eq!(off_by(0), "right");
        assert_eq!(signed(133), "+2 min 13 s");
        assert_eq!(signed(-45), "-45 s");
        assert_eq!(signed(0), "0 s");
    }
}
