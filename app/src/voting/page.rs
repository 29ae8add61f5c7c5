//! The ballot of a round: the projects with their official costs and a form
//! by the round's rule. With JavaScript a meter shows what is left and choices
//! that would break the rule are blocked; without it the same form posts to
//! the server, which answers with the same checks. After casting, the voter
//! sees their receipt and choices.

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use crate::i18n::{Lang, Msg};
use crate::rounds::views::RoundInfo;
use crate::rounds::{BallotRule, Category};
use crate::ui::csrf::CsrfField;
use crate::ui::{PageHeading, use_lang};
use crate::voting::ballot::{self, Left, Offer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotProject {
    pub id: i32,
    pub title: String,
    pub category: Category,
    pub cost_rial: i64,
    /// The project's neighborhood, in the page's language.
    pub neighborhood: String,
    /// The start of its description; the project's page has the rest.
    pub summary: String,
}

/// How much of a project's description its ballot box shows.
pub const SUMMARY_CHARS: usize = 160;

/// A ballot on file: its receipt, grouped for copying, and its choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBallot {
    pub receipt: String,
    pub picks: Vec<(i32, i32)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotData {
    pub round: RoundInfo,
    pub projects: Vec<BallotProject>,
    /// Why the viewer cannot vote now, if they cannot.
    pub barrier: Option<ApiError>,
    pub mine: Option<MyBallot>,
    /// Today's date, which a printed receipt carries.
    pub today: String,
}

#[cfg(feature = "ssr")]
impl From<crate::voting::cast::Filed> for MyBallot {
    fn from(filed: crate::voting::cast::Filed) -> Self {
        MyBallot {
            receipt: crate::code::display(&filed.receipt),
            picks: filed.picks.iter().collect(),
        }
    }
}

#[leptos::server(endpoint = "ballot")]
pub async fn ballot_view(round_id: i32) -> Result<BallotData, ApiError> {
    use crate::rounds::load;
    let services = crate::services::services()?;
    let r = load::round(&services.db, round_id).await?;
    let lang = crate::ui::detect_lang();
    let places = load::covered(&services.db, &r).await?;
    let projects = crate::rounds::proposal_db::projects(&services.db, round_id)
        .await?
        .into_iter()
        .map(|p| {
            Ok(BallotProject {
                id: p.id,
                category: p.category,
                cost_rial: p
                    .official_cost_rial
                    .or_internal(|| format!("project {} has no official cost", p.id))?,
                neighborhood: places
                    .iter()
                    .find(|a| a.id == p.neighborhood_id)
                    .map(|a| a.name().get(lang).to_owned())
                    .unwrap_or_default(),
                summary: crate::format::excerpt(&p.description, SUMMARY_CHARS),
                title: p.title,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let (barrier, mine) = match crate::accounts::auth::viewer().await? {
        None => (Some(ApiError::NotSignedIn), None),
        Some(viewer) => {
            let barrier = match crate::voting::cast::eligible(&services, viewer.id, &r).await {
                Ok(_) => None,
                Err(
                    err @ (ApiError::NotVerified | ApiError::OutsideRound | ApiError::WrongPhase | ApiError::TooYoung),
                ) => Some(err),
                Err(err) => return Err(err),
            };
            use crate::voting::cast::OnFile;
            let on_file = match crate::verification::db::of_account(&services.db, viewer.id).await? {
                Some(person) => crate::voting::cast::on_file(&services, &r, viewer.id, &person).await?,
                None => None,
            };
            match on_file {
                Some(OnFile::Mine(filed)) => (barrier, Some(MyBallot::from(filed))),
                Some(OnFile::Elsewhere) => (Some(ApiError::BallotCastElsewhere), None),
                None => (barrier, None),
            }
        }
    };
    Ok(BallotData {
        round: load::info(&services.db, &r).await?,
        projects,
        barrier,
        mine,
        today: crate::format::datetime_date(crate::ui::detect_lang(), chrono::Utc::now()),
    })
}

/// Casts the signed-in resident's ballot; `choices` lists `id` or `id:points` items.
#[leptos::server(endpoint = "cast-ballot")]
pub async fn cast_ballot(round_id: i32, choices: String) -> Result<MyBallot, ApiError> {
    let viewer = crate::accounts::auth::require_signed_in().await?;
    let chosen = ballot::Picks::from_text(&choices)?;
    let services = crate::services::services()?;
    let casting = crate::voting::cast::Casting::current()?;
    Ok(
        crate::voting::cast::cast(&services, &casting, viewer.id, round_id, &chosen)
            .await?
            .into(),
    )
}

#[component]
pub fn BallotPage() -> impl IntoView {
    let lang = use_lang();
    let page_id = crate::ui::id_param();
    let data = Resource::new(move || page_id.get(), ballot_view);
    // The form's answer: the server redirected back here after the post.
    let query = use_query_map();
    let (posted_error, posted_choices, posted_ok) = query.with_untracked(|q| {
        (
            q.get("error").and_then(|e| serde_json::from_str::<ApiError>(&e).ok()),
            q.get("choices").and_then(|c| ballot::Picks::from_text(&c).ok()),
            q.get("cast").is_some(),
        )
    });
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || {
                let posted_choices = posted_choices.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <crate::ui::ErrorPage error /> }.into_any(),
                        Ok(data) => {
                            let round_id = data.round.summary.id;
                            let initial = posted_choices
                                .or_else(|| data.mine.as_ref().map(|m| m.picks.clone()))
                                .unwrap_or_default();
                            view! {
                                <PageHeading text=lang.format(Msg::BallotTitle, &[("round", data.round.summary.title.get(lang))]) />
                                <p>
                                    <a href=format!("/rounds/{round_id}")>{lang.text(Msg::BallotBackToRound)}</a>
                                    " · " {data.round.ballot.describe(lang)}
                                </p>
                                {data.mine.clone().map(|mine| view! {
                                    <Receipt mine projects=data.projects.clone() just_cast=posted_ok today=data.today.clone() />
                                })}
                                {match data.barrier {
                                    Some(ApiError::NotSignedIn) => view! {
                                        <p class="notice">
                                            <a href="/login">{lang.text(Msg::BallotSignIn)}</a>
                                        </p>
                                    }.into_any(),
                                    Some(err) => view! { <p class="notice" role="status">{err.message(lang)}</p> }.into_any(),
                                    None if data.projects.is_empty() => view! { <p class="empty">{lang.text(Msg::BallotNoProjects)}</p> }.into_any(),
                                    None => view! {
                                        <BallotForm
                                            round_id
                                            rule=data.round.ballot
                                            budget_rial=data.round.summary.budget_rial
                                            projects=data.projects
                                            initial
                                            posted_error=posted_error.map(|err| err.message(lang))
                                            changing=data.mine.is_some()
                                        />
                                    }.into_any(),
                                }}
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// The receipt of the ballot on file and what it chose.
#[component]
fn Receipt(mine: MyBallot, projects: Vec<BallotProject>, just_cast: bool, today: String) -> impl IntoView {
    let lang = use_lang();
    let points = mine.picks.iter().any(|&(_, p)| p != 1);
    view! {
        // Just cast: the page opens on the receipt, for keyboards and screen readers too.
        <section
            class="panel receipt"
            aria-labelledby="receipt-title"
            tabindex=just_cast.then_some("-1")
            autofocus=just_cast
        >
            {just_cast.then(|| view! { <p class="success" role="status">{lang.text(Msg::BallotCast)}</p> })}
            <h2 id="receipt-title">{lang.text(Msg::BallotReceiptTitle)}</h2>
            <p class="receipt-code" dir="ltr" translate="no">{mine.receipt.clone()}</p>
            <p class="receipt-buttons" hidden data-receipt=mine.receipt.clone() data-copied=lang.text(Msg::ReceiptCopied)>
                <button type="button">{lang.text(Msg::ReceiptCopy)}</button>
                " "
                <button type="button">{lang.text(Msg::ReceiptPrint)}</button>
                " "
                <span role="status"></span>
            </p>
            <script nonce=leptos::nonce::use_nonce() inner_html=RECEIPT_BUTTONS></script>
            <p class="print-only">{lang.format(Msg::ReceiptPrintedOn, &[("date", &today)])}</p>
            <p>{lang.text(Msg::BallotReceiptHelp)}</p>
            // A ballot always chooses something: none shown means voting has closed.
            {if mine.picks.is_empty() {
                view! { <p class="notice">{lang.text(Msg::BallotChoicesAfterClose)}</p> }.into_any()
            } else {
                view! {
                    <h3>{lang.text(Msg::BallotYourChoices)}</h3>
                    <ul class="my-choices">
                        {mine.picks.iter().map(|&(id, n)| {
                            let title = projects.iter().find(|p| p.id == id).map(|p| p.title.clone()).unwrap_or_default();
                            view! {
                                <li>
                                    {title}
                                    {points.then(|| view! { " · " {lang.format(Msg::BallotPoints, &[("count", &crate::format::number(lang, i64::from(n)))])} })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Wires the receipt's copy and print buttons and shows them: a few lines of
/// the page's own (nonced) script rather than an island, which would cost the
/// bundle several kilobytes. Without JavaScript the buttons stay hidden; a
/// click selects the whole receipt and the browser prints the same page.
const RECEIPT_BUTTONS: &str = "for (const p of document.querySelectorAll('.receipt-buttons')) { \
    p.hidden = false; const [copy, print] = p.querySelectorAll('button'); \
    copy.onclick = () => navigator.clipboard.writeText(p.dataset.receipt) \
        .then(() => { p.querySelector('[role=status]').textContent = p.dataset.copied; }); \
    print.onclick = () => window.print(); }";

fn points_in(chosen: &[(i32, i32)], id: i32) -> i32 {
    chosen.iter().find(|&&(p, _)| p == id).map_or(0, |&(_, n)| n)
}

/// What the meter says is left.
fn meter(lang: Lang, left: Left) -> String {
    let n = |n: i64| crate::format::number(lang, n);
    match left {
        Left::Picks(k) => lang.format(Msg::BallotPicksLeft, &[("count", &n(k))]),
        Left::Rial(rial) => lang.format(Msg::BallotBudgetLeft, &[("amount", &crate::rounds::toman(lang, rial))]),
        Left::Points(p) => lang.format(Msg::BallotPointsLeft, &[("count", &n(p))]),
    }
}

/// What the form holds now, as the server would read it when it is posted.
#[cfg(feature = "hydrate")]
fn form_fields(form: NodeRef<leptos::html::Form>) -> Option<Vec<(String, String)>> {
    use wasm_bindgen::JsCast;
    let inputs = form.get_untracked()?.query_selector_all("input").ok()?;
    Some(
        (0..inputs.length())
            .filter_map(|i| inputs.item(i)?.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|input| input.type_() != "checkbox" || input.checked())
            .map(|input| (input.name(), input.value()))
            .collect(),
    )
}

/// Only the browser reads the form; the server renders it from `initial`.
#[cfg(not(feature = "hydrate"))]
fn form_fields(_form: NodeRef<leptos::html::Form>) -> Option<Vec<(String, String)>> {
    None
}

/// The ballot's form, the one part of the page whose code runs in the
/// browser. Its fields are the server's: what the visitor ticks or types
/// stays in them, and the code only reads them, when it starts (the visitor
/// may have chosen before it arrived) and on every change, to keep the meter
/// and block what would break the rule. A ballot that passes the checks is
/// posted as the plain form it is.
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
fn BallotForm(
    round_id: i32,
    rule: BallotRule,
    budget_rial: i64,
    projects: Vec<BallotProject>,
    initial: Vec<(i32, i32)>,
    /// Why the server refused the last post, translated there.
    posted_error: Option<String>,
    changing: bool,
) -> impl IntoView {
    let lang = use_lang();
    let offers: Vec<Offer> = projects
        .iter()
        .map(|p| Offer {
            id: p.id,
            cost_rial: p.cost_rial,
        })
        .collect();
    let chosen = RwSignal::new(initial);
    let local_error = RwSignal::new(None::<ApiError>);
    let left = {
        let offers = offers.clone();
        Memo::new(move |_| chosen.with(|c| ballot::left(rule, budget_rial, &offers, c)))
    };
    let error = move || {
        local_error
            .get()
            .map(|err| err.message(lang))
            .or_else(|| posted_error.clone())
    };
    let points_of = move |id: i32| chosen.with(|c| points_in(c, id));
    let form = NodeRef::<leptos::html::Form>::new();
    let read_form = move || {
        let Some(fields) = form_fields(form) else { return };
        match ballot::Picks::from_form(fields.iter().map(|(name, value)| (name.as_str(), value.as_str()))) {
            Ok(picks) => {
                chosen.set(picks);
                local_error.set(None);
            }
            Err(err) => local_error.set(Some(err)),
        }
    };
    Effect::new(move |_| {
        if form.get().is_some() {
            read_form();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        read_form();
        let refused = local_error
            .get_untracked()
            .or_else(|| chosen.with_untracked(|picks| ballot::check(rule, budget_rial, &offers, picks).err()));
        if let Some(err) = refused {
            ev.prevent_default();
            local_error.set(Some(err));
        }
    };
    let max_points = match rule {
        BallotRule::Cumulative(n) => n,
        _ => 1,
    };
    view! {
        <form
            class="ballot stack"
            method="post"
            action=crate::paths::ballot_form(round_id)
            node_ref=form
            on:input=move |_| read_form()
            on:change=move |_| read_form()
            on:submit=submit
        >
            <CsrfField />
            <p class="meter" role="status" aria-live="polite">{move || meter(lang, left.get())}</p>
            <ul class="ballot-projects">
                {projects.into_iter().map(|p| {
                    let id = p.id;
                    let cost = p.cost_rial;
                    let initially = chosen.with_untracked(|c| points_in(c, id));
                    // Blocks what would break the rule; the server checks again.
                    let blocked = move || {
                        points_of(id) == 0
                            && match left.get() {
                                Left::Picks(k) => k <= 0,
                                Left::Rial(rial) => cost > rial,
                                Left::Points(_) => false,
                            }
                    };
                    // Said next to the box, not only by greying it out.
                    let why_blocked = move || {
                        blocked().then(|| match left.get() {
                            Left::Rial(_) => Msg::BallotBlockedBudget,
                            _ => Msg::BallotBlockedPicks,
                        })
                    };
                    let label = view! {
                        <span class="project-title" dir="auto" lang=crate::ui::written_lang(&p.title)>{p.title.clone()}</span>
                        <span class="project-meta">
                            {lang.text(p.category.msg())} " · " {p.neighborhood.clone()} " · "
                            <span class="cost">{crate::rounds::toman(lang, cost)}</span>
                        </span>
                    };
                    let details = view! {
                        <p class="project-summary">
                            <span dir="auto" lang=crate::ui::written_lang(&p.summary)>{p.summary.clone()}</span> " "
                            <a href=format!("/proposals/{id}")>{lang.text(Msg::BallotProjectMore)}</a>
                        </p>
                    };
                    match rule {
                        BallotRule::Cumulative(_) => view! {
                            <li class="ballot-project">
                                <label>
                                    {label}
                                    <input
                                        type="number"
                                        name=format!("points-{id}")
                                        min="0"
                                        max=max_points
                                        step="1"
                                        inputmode="numeric"
                                        value={(initially > 0).then(|| initially.to_string())}
                                        prop:max=move || match left.get() {
                                            Left::Points(free) => (i64::from(points_of(id)) + free.max(0)).to_string(),
                                            _ => max_points.to_string(),
                                        }
                                    />
                                </label>
                                {details}
                            </li>
                        }.into_any(),
                        _ => view! {
                            <li class="ballot-project">
                                <label>
                                    <input
                                        type="checkbox"
                                        name="project"
                                        value=id
                                        checked={initially > 0}
                                        prop:disabled=blocked
                                    />
                                    {label}
                                    {move || why_blocked().map(|msg| view! { <span class="blocked-why">{lang.text(msg)}</span> })}
                                </label>
                                {details}
                            </li>
                        }.into_any(),
                    }
                }).collect_view()}
            </ul>
            {move || error().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <button type="submit">{lang.text(if changing { Msg::BallotChange } else { Msg::BallotSubmit })}</button>
        </form>
    }
}
