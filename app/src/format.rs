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

/// An amount in Rial as a plain figure in Toman for files and the command
/// line (`30000000`, or `12.5` for an amount not a whole Toman).
pub fn toman_figure(rial: u64) -> String {
    match rial % 10 {
        0 => (rial / 10).to_string(),
        tenth => format!("{}.{tenth}", rial / 10),
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
    let time = crate::digits::in_lang(lang, &format!("{:02}:{:02}", local.hour(), local.minute()));
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
