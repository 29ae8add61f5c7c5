//! The geography tree: city → district (منطقه) → neighborhood (محله).

#[cfg(feature = "ssr")]
pub mod db;

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub fa: String,
    pub en: String,
}

impl Name {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fa => &self.fa,
            Lang::En => &self.en,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighborhood {
    pub id: i32,
    pub name: Name,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: i32,
    pub name: Name,
    pub neighborhoods: Vec<Neighborhood>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct City {
    pub id: i32,
    pub name: Name,
    pub districts: Vec<District>,
}

impl City {
    pub fn neighborhood_count(&self) -> usize {
        self.districts.iter().map(|d| d.neighborhoods.len()).sum()
    }

    /// The districts with only the neighborhoods whose Persian or English name
    /// contains `query`; districts left empty are dropped. A blank query keeps all.
    pub fn filtered(&self, query: &str) -> Vec<District> {
        let needle = normalize(query);
        if needle.is_empty() {
            return self.districts.clone();
        }
        self.districts
            .iter()
            .filter_map(|district| {
                let neighborhoods: Vec<Neighborhood> = district
                    .neighborhoods
                    .iter()
                    .filter(|n| normalize(&n.name.fa).contains(&needle) || normalize(&n.name.en).contains(&needle))
                    .cloned()
                    .collect();
                (!neighborhoods.is_empty()).then(|| District {
                    neighborhoods,
                    ..district.clone()
                })
            })
            .collect()
    }
}

/// Folds what Persian keyboards disagree on (Arabic ي/ك versus Persian ی/ک, the
/// zero-width non-joiner, case) so a search finds a name however it was typed.
fn normalize(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| *c != '\u{200c}')
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// An area as a page shows it: its id and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: i32,
    pub name: Name,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city() -> City {
        let n = |id, fa: &str, en: &str| Neighborhood {
            id,
            name: Name {
                fa: fa.into(),
                en: en.into(),
            },
        };
        City {
            id: 1,
            name: Name {
                fa: "تهران".into(),
                en: "Tehran".into(),
            },
            districts: vec![
                District {
                    id: 2,
                    name: Name {
                        fa: "منطقه ۱".into(),
                        en: "District 1".into(),
                    },
                    neighborhoods: vec![n(3, "تجریش", "Tajrish"), n(4, "نیاوران", "Niavaran")],
                },
                District {
                    id: 5,
                    name: Name {
                        fa: "منطقه ۳".into(),
                        en: "District 3".into(),
                    },
                    neighborhoods: vec![n(6, "ونک", "Vanak")],
                },
            ],
        }
    }

    #[test]
    fn filter_keeps_matching_neighborhoods_in_either_language() {
        let found = city().filtered("taj");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].neighborhoods[0].name.en, "Tajrish");
        assert_eq!(city().filtered("ونک")[0].id, 5);
    }

    #[test]
    fn filter_folds_arabic_letters_and_blank_query_keeps_all() {
        assert_eq!(city().filtered("ونك").len(), 1, "Arabic kaf finds Persian keheh");
        assert_eq!(city().filtered("  ").len(), 2);
        assert!(city().filtered("zzz").is_empty());
        assert_eq!(city().neighborhood_count(), 3);
    }
}
