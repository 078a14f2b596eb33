//! Calendar dates from day counts and from `YYYY-MM-DD` text, without a date library (for
//! messages, run times and the run date dated params are taken at).

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn date_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The current time in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (y, m, d) = date_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A calendar date written `YYYY-MM-DD` (years 1000 to 9999), checked against the
/// calendar (leap years included). Returned as written: dates in this form sort as text.
pub fn parse_date(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return Err(crate::tr!("pipeline-date-shape", date = text));
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(crate::tr!("pipeline-date-month", date = text, month = month)),
    };
    if year < 1000 || day == 0 || day > days_in_month {
        return Err(crate::tr!("pipeline-date-day", date = text));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(parse_date("2020-02-29").as_deref(), Ok("2020-02-29"));
        assert!(parse_date("2019-02-29").is_err());
        assert!(parse_date("1900-02-29").is_err());
        assert!(parse_date("2000-02-29").is_ok());
        assert!(parse_date("2020-13-01").is_err());
        assert!(parse_date("2020-04-31").is_err());
        assert!(parse_date("2020-4-1").is_err());
        assert!(parse_date("20200401").is_err());
        assert!(parse_date("２020-04-01").is_err());
        // Fixed width: text order is date order.
        assert!("2019-12-31" < "2020-01-01");
    }

    #[test]
    fn known_dates() {
        assert_eq!(date_from_days(0), (1970, 1, 1));
        assert_eq!(date_from_days(20_513), (2026, 3, 1));
        assert_eq!(date_from_days(-25_567), (1900, 1, 1));
    }
}
