//! A small, realistic demo: Tehran with three districts and twelve neighborhoods.

use app::geography::Name;
use app::geography::db::{self as area, AreaKind};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

const CITY: Names = ("تهران", "Tehran");

/// A name as (Persian, English).
type Names = (&'static str, &'static str);

const DISTRICTS: [(Names, [Names; 4]); 3] = [
    (
        ("منطقه ۱", "District 1"),
        [
            ("تجریش", "Tajrish"),
            ("نیاوران", "Niavaran"),
            ("دربند", "Darband"),
            ("زعفرانیه", "Zafaraniyeh"),
        ],
    ),
    (
        ("منطقه ۲", "District 2"),
        [
            ("سعادت‌آباد", "Saadat Abad"),
            ("شهرک غرب", "Shahrak-e Gharb"),
            ("گیشا", "Gisha"),
            ("فرحزاد", "Farahzad"),
        ],
    ),
    (
        ("منطقه ۳", "District 3"),
        [
            ("ونک", "Vanak"),
            ("قلهک", "Gholhak"),
            ("داوودیه", "Davoudiyeh"),
            ("امانیه", "Amaniyeh"),
        ],
    ),
];

fn name((fa, en): Names) -> Name {
    Name {
        fa: fa.to_owned(),
        en: en.to_owned(),
    }
}

/// Loads the demo unless a city already exists; returns whether it loaded.
pub async fn load(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    if area::any_city(&txn).await? {
        return Ok(false);
    }
    let city = area::insert(&txn, None, AreaKind::City, &name(CITY)).await?;
    for (district, neighborhoods) in DISTRICTS {
        let district = area::insert(&txn, Some(city), AreaKind::District, &name(district)).await?;
        for neighborhood in neighborhoods {
            area::insert(&txn, Some(district), AreaKind::Neighborhood, &name(neighborhood)).await?;
        }
    }
    txn.commit().await?;
    Ok(true)
}
