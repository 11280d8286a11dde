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

/// What a time server's answer says: "pool.ntp.org: this computer's clock is 3 min behind."
pub fn server_says(server: &str, offset: i64) -> String {
    match offset {
        0 => format!("{server}: this computer's clock is right."),
        small if small.abs() <= super::WORTH_SAYING_SECONDS => format!(
            "{server}: this computer's clock is {}, close enough.",
            off_by(small)
        ),
        _ => format!("{server}: this computer's clock is {}.", off_by(offset)),
    }
}

/// The line shown while a machine offset is in force: "Codes use this computer's clock
/// +3 min (set by hand)."
pub fn offset_in_force(offset: i64, source: super::OffsetSource) -> String {
    format!(
        "Codes use this computer's clock {} ({}).",
        signed(offset),
        source.said()
    )
}

/// The warning when the codes shown, with `in_force` applied, are off by a time server
/// that `measured` this clock's offset; `None` when they are within
/// [`super::WORTH_SAYING_SECONDS`].
pub fn warning(measured: i64, in_force: i64) -> Option<String> {
    let off = measured - in_force;
    if off.abs() <= super::WORTH_SAYING_SECONDS {
        return None;
    }
    let mut said = if in_force == 0 {
        format!(
            "Your computer's clock is {} — codes may be refused.",
            off_by(measured)
        )
    } else {
        format!(
            "Even corrected by {}, codes are {} — they may be refused.",
            signed(in_force),
            off_by(off)
        )
    };
    if measured.abs() > super::MAX_MACHINE_OFFSET_SECONDS {
        said.push_str(" That is too far off to correct: set the clock itself.");
    }
    Some(said)
}

/// What a code from another device said about this clock.
pub fn calibration(found: &super::calibrate::Calibration) -> String {
    match found.seconds {
        0 => format!(
            "This computer's clock agrees with that code (to within {} s): no offset is needed.",
            found.within
        ),
        seconds => format!(
            "That code says this computer's clock is {} (to within {} s).",
            off_by(seconds),
            found.within
        ),
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

    #[test]
    fn the_banner_speaks_when_codes_are_more_than_ten_seconds_off() {
        assert_eq!(warning(10, 0), None);
        assert_eq!(warning(-10, 0), None);
        assert_eq!(
            warning(133, 0).as_deref(),
            Some("Your computer's clock is 2 min 13 s behind — codes may be refused.")
        );
        assert_eq!(warning(133, 130), None, "corrected");
        assert_eq!(
            warning(180, 60).as_deref(),
            Some("Even corrected by +1 min, codes are 2 min behind — they may be refused.")
        );
        assert!(warning(200_000, 0).is_some_and(|said| said.ends_with("set the clock itself.")));
        assert_eq!(
            server_says("pool.ntp.org", -4),
            "pool.ntp.org: this computer's clock is 4 s ahead, close enough."
        );
    }
}
