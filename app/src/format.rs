//! Numbers and dates as each language writes them: Persian digits and the Solar
//! Hijri calendar in Persian, Latin digits and the Gregorian calendar in English.
//! The locale data comes from ICU4X; nothing here does calendar arithmetic.

use crate::i18n::Lang;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::{Locale, locale};

fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Fa => locale!("fa"),
        Lang::En => locale!("en"),
    }
}

/// An integer with the language's digits and grouping (`۱۲٬۳۴۵` or `12,345`).
pub fn number(lang: Lang, n: i64) -> String {
    match DecimalFormatter::try_new(locale(lang).into(), Default::default()) {
        Ok(formatter) => formatter.format(&Decimal::from(n)).to_string(),
        // Compiled-in data covers both languages; Latin digits are a safe fallback.
        Err(_) => n.to_string(),
    }
}

/// `s` with its Latin digits in the language's digits (phone numbers, times, ids).
pub fn digits(lang: Lang, s: &str) -> String {
    match lang {
        Lang::En => s.to_owned(),
        Lang::Fa => crate::digits::to_persian(s),
    }
}

/// An amount in Rial as a plain figure in Toman for files and the command
/// line (`30000000`, or `12.5` for an amount not a whole Toman).
pub fn toman_figure(rial: u64) -> String {
    match rial % 10 {
        0 => (rial / 10).to_string(),
        tenth => format!("{}.{tenth}", rial / 10),
    }
}

/// The start of `text`, at most `max` characters, cut after a whole word
/// and marked with an ellipsis when something was left out.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, next)) => {
            let cut = &text[..end];
            let cut = match next.is_whitespace() {
                true => cut,
                false => cut.rfind(char::is_whitespace).map_or(cut, |space| &cut[..space]),
            };
            format!("{}…", cut.trim_end())
        }
    }
}

/// A calendar date, given in the ISO (Gregorian) calendar, written in the
/// language's own calendar: `۱ آذر ۱۴۰۵` or `November 22, 2026`.
#[cfg(feature = "ssr")]
pub fn date(lang: Lang, year: i32, month: u8, day: u8) -> Option<String> {
    use icu_datetime::DateTimeFormatter;
    use icu_datetime::fieldsets::YMD;
    use icu_datetime::input::Date;

    let date = Date::try_new_iso(year, month, day).ok()?;
    let formatter = DateTimeFormatter::try_new(locale(lang).into(), YMD::long()).ok()?;
    Some(formatter.format(&date).to_string())
}

/// A calendar day in the language's calendar, long (`۲۰ آذر ۱۴۰۵`).
#[cfg(feature = "ssr")]
pub fn naive_date(lang: Lang, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    u8::try_from(day.month())
        .ok()
        .zip(u8::try_from(day.day()).ok())
        .and_then(|(m, d)| date(lang, day.year(), m, d))
        .unwrap_or_default()
}

/// A calendar day as a form shows it for editing: `۱۴۰۵/۰۹/۲۰` in Persian
/// (Solar Hijri), `2026-12-11` in English.
#[cfg(feature = "ssr")]
pub fn typed_date(lang: Lang, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let persian = u8::try_from(day.month())
        .ok()
        .zip(u8::try_from(day.day()).ok())
        .and_then(|(m, d)| icu_calendar::Date::try_new_iso(day.year(), m, d).ok())
        .map(|iso| iso.to_calendar(icu_calendar::cal::Persian));
    match (lang, persian) {
        (Lang::Fa, Some(p)) => digits(
            lang,
            &format!(
                "{}/{:02}/{:02}",
                p.year().extended_year(),
                p.month().ordinal,
                p.day_of_month().0
            ),
        ),
        _ => day.format("%Y-%m-%d").to_string(),
    }
}

/// A day typed as year, month and day (separated by `/`, `-` or `.`, in any
/// digits): Solar Hijri for years before 1700, Gregorian otherwise.
#[cfg(feature = "ssr")]
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let text = crate::digits::to_latin(text.trim());
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [year, month, day] = parts[..] else {
        return None;
    };
    let (year, month, day): (i32, u8, u8) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    if year < 1700 {
        let iso = icu_calendar::Date::try_new_persian(year, month, day)
            .ok()?
            .to_calendar(icu_calendar::cal::Iso);
        chrono::NaiveDate::from_ymd_opt(
            iso.year().extended_year(),
            u32::from(iso.month().ordinal),
            u32::from(iso.day_of_month().0),
        )
    } else {
        chrono::NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
    }
}

/// The day of a moment on Tehran's clocks.
#[cfg(feature = "ssr")]
pub fn tehran_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    in_tehran(at).date_naive()
}

/// The calendar day of a moment, in Tehran's time zone (UTC+3:30, no daylight
/// saving since 1401), written in the language's calendar.
#[cfg(feature = "ssr")]
pub fn datetime_date(lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    let local = in_tehran(at);
    let (month, day) = (local.month(), local.day());
    u8::try_from(month)
        .ok()
        .zip(u8::try_from(day).ok())
        .and_then(|(m, d)| date(lang, local.year(), m, d))
        .unwrap_or_default()
}

/// A moment as Tehran's clocks show it: the day in the language's calendar and
/// the time of day (`۱۴ آذر ۱۴۰۵، ساعت ۱۳:۲۰`).
#[cfg(feature = "ssr")]
pub fn datetime(lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    let local = in_tehran(at);
    let time = digits(lang, &format!("{:02}:{:02}", local.hour(), local.minute()));
    lang.format(
        crate::i18n::Msg::DateAndTime,
        &[("date", &datetime_date(lang, at)), ("time", &time)],
    )
}

/// Tehran's wall clock: UTC+3:30, no daylight saving since 1401.
#[cfg(feature = "ssr")]
fn in_tehran(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    at + chrono::Duration::minutes(210)
}

/// The Solar Hijri year of a moment in Tehran (what birth years are counted in).
#[cfg(feature = "ssr")]
pub fn solar_hijri_year(at: chrono::DateTime<chrono::Utc>) -> Option<i32> {
    use chrono::Datelike;
    let local = in_tehran(at);
    let date = icu_calendar::Date::try_new_iso(
        local.year(),
        u8::try_from(local.month()).ok()?,
        u8::try_from(local.day()).ok()?,
    )
    .ok()?;
    Some(date.to_calendar(icu_calendar::cal::Persian).year().extended_year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_numbers_use_persian_digits_and_grouping() {
        assert_eq!(number(Lang::Fa, 1_234_567), "۱٬۲۳۴٬۵۶۷");
        assert_eq!(number(Lang::Fa, 12), "۱۲");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
    }

    #[test]
    fn excerpts_end_at_a_whole_word() {
        assert_eq!(excerpt("  short  ", 10), "short");
        assert_eq!(excerpt("a park with trees and benches", 14), "a park with…");
        assert_eq!(excerpt("پارکی با درخت و نیمکت", 12), "پارکی با…");
        assert_eq!(excerpt("unbroken", 4), "unbr…");
        assert_eq!(excerpt("a park with trees", 11), "a park with…");
    }

    #[test]
    fn digits_follow_the_pages_language() {
        assert_eq!(digits(Lang::Fa, "0912 1234567"), "۰۹۱۲ ۱۲۳۴۵۶۷");
        assert_eq!(digits(Lang::En, "0912 1234567"), "0912 1234567");
    }

    #[test]
    fn files_give_rial_amounts_in_toman() {
        assert_eq!(toman_figure(300_000_000), "30000000");
        assert_eq!(toman_figure(125), "12.5");
        assert_eq!(toman_figure(0), "0");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn solar_hijri_years_turn_at_nowruz() {
        use chrono::TimeZone;
        let year = |y, m, d| solar_hijri_year(chrono::Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().expect("date"));
        assert_eq!(year(2026, 11, 23), Some(1405));
        assert_eq!(year(2026, 3, 19), Some(1404));
        assert_eq!(year(2026, 3, 22), Some(1405));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn persian_dates_are_solar_hijri() {
        assert_eq!(date(Lang::Fa, 2026, 11, 22).as_deref(), Some("۱ آذر ۱۴۰۵"));
        assert_eq!(date(Lang::Fa, 2026, 3, 21).as_deref(), Some("۱ فروردین ۱۴۰۵"));
        assert_eq!(date(Lang::En, 2026, 11, 22).as_deref(), Some("November 22, 2026"));
        assert_eq!(date(Lang::En, 2026, 2, 30), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn typed_days_in_either_calendar() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 11).expect("day");
        assert_eq!(parse_date("۱۴۰۵/۰۹/۲۰"), Some(day));
        assert_eq!(parse_date("2026-12-11"), Some(day));
        assert_eq!(typed_date(Lang::Fa, day), "۱۴۰۵/۰۹/۲۰");
        assert_eq!(typed_date(Lang::En, day), "2026-12-11");
        assert_eq!(
            parse_date(&typed_date(Lang::Fa, day)),
            Some(day),
            "what the form shows reads back"
        );
        assert_eq!(naive_date(Lang::Fa, day), "۲۰ آذر ۱۴۰۵");
        for bad in ["1405/12/31", "1405/00/10", "2026-02-30", "12/11", "", "x/y/z"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn moments_read_in_tehrans_time() {
        use chrono::TimeZone;
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 20, 45, 0)
            .single()
            .expect("moment");
        assert_eq!(datetime(Lang::Fa, at), "۲ آذر ۱۴۰۵، ساعت ۰۰:۱۵");
        assert_eq!(datetime(Lang::En, at), "November 23, 2026, 00:15");
    }
}
