//! The signed-in resident's ballots: in which rounds they voted, and the
//! receipt of each, to check it once the result is published.

use crate::error::ApiError;
use crate::geography::Name;
use crate::i18n::Msg;
use crate::rounds::Phase;
use crate::ui::use_lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A round this account cast a ballot in, with the ballot's receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRoundBallot {
    pub round_id: i32,
    pub round: Name,
    pub phase: Phase,
    pub receipt: String,
    /// The day it was cast on, in the page's language.
    pub cast_on: Option<String>,
}

/// The ballots this account cast (not those another account of the same
/// person cast), newest round first.
#[leptos::server(endpoint = "my-ballots")]
pub async fn my_ballots() -> Result<Vec<MyRoundBallot>, ApiError> {
    use crate::voting::cast::OnFile;
    let viewer = crate::accounts::auth::require_signed_in().await?;
    let services = crate::services::services()?;
    let Some(person) = crate::verification::db::of_account(&services.db, viewer.id).await? else {
        return Ok(Vec::new());
    };
    let lang = crate::ui::detect_lang();
    let mut mine = Vec::new();
    for r in crate::rounds::db::rounds(&services.db, None).await? {
        if r.phase < Phase::Voting {
            continue;
        }
        if let Some(OnFile::Mine(filed)) = crate::voting::cast::on_file(&services, &r, viewer.id, &person).await? {
            let cast_on = filed.cast_on.map(|day| crate::format::naive_date(lang, day));
            mine.push(MyRoundBallot {
                round_id: r.id,
                round: Name {
                    fa: r.title_fa,
                    en: r.title_en,
                },
                phase: r.phase,
                receipt: crate::code::display(&filed.receipt),
                cast_on,
            });
        }
    }
    Ok(mine)
}

/// The resident's ballots: the round, its phase and the receipt, which links
/// to the receipt check once the result is out.
#[component]
pub fn MyBallotsSection() -> impl IntoView {
    let lang = use_lang();
    let mine = Resource::new(|| (), |_| my_ballots());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                mine.await.ok().map(|mine| view! {
                    <crate::ui::ListSection id="my-ballots" title=Msg::MyBallotsTitle empty=Msg::MyBallotsEmpty is_empty=mine.is_empty()>
                        <ul class="my-ballot-list">
                            {mine.into_iter().map(|b| {
                                let check = (b.phase == Phase::Published)
                                    .then(|| format!("/check?receipt={}", b.receipt));
                                view! {
                                    <li>
                                        <a href=format!("/rounds/{}", b.round_id)>{b.round.get(lang).to_owned()}</a>
                                        " · " <span class=format!("phase phase-{}", b.phase.tag())>{lang.text(b.phase.msg())}</span>
                                        " · " {lang.text(Msg::MyBallotReceipt)} " "
                                        <code class="code" dir="ltr">{b.receipt.clone()}</code>
                                        {b.cast_on.clone().map(|day| view! { " · " {lang.format(Msg::MyBallotCastOn, &[("date", &day)])} })}
                                        {check.map(|href| view! { " · " <a href=href>{lang.text(Msg::MyBallotCheck)}</a> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </crate::ui::ListSection>
                })
            })}
        </Suspense>
    }
}
