//! The district office: hand out verification codes and password reset
//! codes, upload the census roll, and move or un-verify residents, every
//! change with a reason in the audit log.

#[cfg(feature = "ssr")]
use crate::accounts::audit::Entry;
#[cfg(feature = "ssr")]
use crate::accounts::audited::audited;
use crate::accounts::sign_in::SignInFirst;
use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use crate::geography::Name;
use crate::geography::Place;
use crate::i18n::Msg;
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, error_of};
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The cookie that carries the code issued last to the office page, which
/// shows it once and clears it: the code is never stored on the server, where
/// only its keyed hash is kept.
#[cfg(feature = "ssr")]
const ISSUED_COOKIE: &str = "issued-code";
/// The same for the password reset code issued last.
#[cfg(feature = "ssr")]
const RESET_COOKIE: &str = "issued-reset";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub code: String,
    pub neighborhood: Name,
    pub valid_hours: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedReset {
    pub code: String,
    pub login: String,
    pub valid_minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentRow {
    pub account_id: i32,
    pub login: String,
    pub neighborhood_id: i32,
    pub census: bool,
    pub verified_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeData {
    pub district: Name,
    pub neighborhoods: Vec<Place>,
    pub residents: Vec<ResidentRow>,
    pub issued: Option<IssuedCode>,
    pub reset: Option<IssuedReset>,
}

#[cfg(feature = "ssr")]
async fn neighborhood_of_district(
    db: &sea_orm::DatabaseConnection,
    district: i32,
    id: i32,
) -> Result<crate::geography::db::Model, ApiError> {
    use crate::geography::db as area;
    match area::by_id(db, id).await? {
        Some(n) if n.kind == area::AreaKind::Neighborhood && n.parent_id == Some(district) => Ok(n),
        _ => Err(ApiError::NeighborhoodInvalid),
    }
}

/// The residents list's search as the address gives it: part of a login
/// (a mobile number in any digits, or an email address) and a neighborhood's id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentQuery {
    pub q: String,
    pub neighborhood: String,
}

/// How many residents the office page lists at once; a search finds the others.
pub const RESIDENTS_SHOWN: u64 = 50;

#[leptos::server(endpoint = "office")]
pub async fn office_overview(q: String, neighborhood: String) -> Result<OfficeData, ApiError> {
    use crate::accounts::db as account;
    use crate::geography::db as area;
    use crate::verification::db as verification;
    let (_, district_id) = crate::accounts::auth::require_staff().await?;
    let db = crate::services::services()?.db;
    let district = area::by_id(&db, district_id)
        .await?
        .or_internal(|| format!("district {district_id} missing"))?;
    let neighborhoods = area::neighborhoods_of(&db, district_id).await?;
    let lang = crate::ui::detect_lang();
    let wanted = crate::digits::to_latin(neighborhood.trim()).parse::<i32>().ok();
    let places: Vec<i32> = neighborhoods
        .iter()
        .map(|n| n.id)
        .filter(|id| wanted.is_none_or(|w| w == *id))
        .collect();
    let part: String = crate::digits::to_latin(q.trim())
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .take(254)
        .collect();
    let accounts = match part.as_str() {
        "" => None,
        part => Some(account::ids_with_login_containing(&db, part, 10_000).await?),
    };
    let people = verification::residents_in(&db, places, accounts, RESIDENTS_SHOWN).await?;
    let logins = account::by_ids(&db, people.iter().map(|p| p.account_id).collect()).await?;
    let residents: Vec<ResidentRow> = people
        .into_iter()
        .map(|person| ResidentRow {
            account_id: person.account_id,
            login: logins
                .iter()
                .find(|a| a.id == person.account_id)
                .map(|a| a.login.clone())
                .unwrap_or_default(),
            neighborhood_id: person.neighborhood_id,
            census: person.method == "census",
            verified_on: crate::format::datetime_date(lang, person.verified_at),
        })
        .collect();
    let issued = issued_code(&neighborhoods);
    let reset = issued_reset(&db, &neighborhoods).await?;
    Ok(OfficeData {
        district: district.name(),
        neighborhoods: neighborhoods
            .into_iter()
            .map(|n| Place {
                id: n.id,
                name: n.name(),
            })
            .collect(),
        residents,
        issued,
        reset,
    })
}

#[leptos::server(endpoint = "issue-code")]
pub async fn issue_code(national_code: String, birth_year: String, neighborhood_id: i32) -> Result<(), ApiError> {
    use crate::accounts::audit;
    use crate::keys::Purpose;
    use crate::verification::CODE_LENGTH;
    use crate::verification::db as verification;

    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let code = crate::verification::national_code::NationalCode::parse(&national_code)?;
    let year = crate::verification::parse_birth_year(&birth_year).ok_or(ApiError::BirthYearInvalid)?;
    let services = crate::services::services()?;
    // Only a neighborhood of the staff member's own district.
    neighborhood_of_district(&services.db, district_id, neighborhood_id).await?;
    let one_time = crate::code::random(CODE_LENGTH);
    audited(
        &services.db,
        Entry::new(
            Some(viewer.id),
            audit::Action::IssueCode,
            Some(district_id),
            format!("neighborhood:{neighborhood_id}"),
        ),
        async |txn, _| {
            verification::issue_code(
                txn,
                viewer.id,
                &services.keys.hash(Purpose::VerificationCode, &one_time),
                verification::Person {
                    national_hash: &services.keys.hash(Purpose::NationalCode, code.as_str()),
                    neighborhood_id,
                    birth_year: year,
                    method: verification::Method::InPerson,
                },
            )
            .await?;
            Ok(())
        },
    )
    .await?;
    set_issued_cookie(
        ISSUED_COOKIE,
        &format!("{}.{neighborhood_id}", crate::code::display(&one_time)),
        Some(15 * 60),
        services.https,
    );
    Ok(())
}

/// Issues a one-time password reset code for the verified resident `login`
/// of the office's district, once the national code read from their ID card
/// matches the one they were verified with.
#[leptos::server(endpoint = "issue-password-reset")]
pub async fn issue_password_reset(login: String, national_code: String) -> Result<(), ApiError> {
    use crate::accounts::audit;
    use crate::accounts::db as account;
    use crate::accounts::password_reset::db as reset;
    use crate::keys::Purpose;

    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let login = crate::accounts::login_id::LoginId::parse(&login)?;
    let code = crate::verification::national_code::NationalCode::parse(&national_code)?;
    let services = crate::services::services()?;
    // Staff may learn only that no verified resident has this login, not
    // whether an unverified account does.
    let resident = account::by_login(&services.db, login.as_str())
        .await?
        .ok_or(ApiError::NotVerified)?;
    let person = resident_of_district(&services.db, district_id, resident.id).await?;
    if person.national_hash != services.keys.hash(Purpose::NationalCode, code.as_str()) {
        return Err(ApiError::NationalCodeMismatch);
    }
    let one_time = crate::code::random(crate::accounts::password_reset::RESET_CODE_LENGTH);
    audited(
        &services.db,
        Entry::new(
            Some(viewer.id),
            audit::Action::IssuePasswordReset,
            Some(district_id),
            format!("account:{}", resident.id),
        ),
        async |txn, _| {
            reset::issue(
                txn,
                resident.id,
                viewer.id,
                &services.keys.hash(Purpose::PasswordReset, &one_time),
            )
            .await?;
            Ok(())
        },
    )
    .await?;
    set_issued_cookie(
        RESET_COOKIE,
        &format!("{}.{}", crate::code::display(&one_time), resident.id),
        Some(15 * 60),
        services.https,
    );
    Ok(())
}

/// Sets (or, without an age, clears) the cookie `name` of a code issued last.
#[cfg(feature = "ssr")]
fn set_issued_cookie(name: &str, value: &str, max_age: Option<u32>, https: bool) {
    let cookie = format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
        max_age.unwrap_or(0),
        if https { "; Secure" } else { "" }
    );
    if let (Some(response), Ok(cookie)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(axum::http::header::SET_COOKIE, cookie);
    }
}

/// The value of the cookie `name` of a code issued last, which is then cleared.
#[cfg(feature = "ssr")]
fn take_issued_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    let value = parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))?
        .to_owned();
    set_issued_cookie(name, "", None, crate::services::services().is_ok_and(|s| s.https));
    Some(value)
}

/// The code issued last, read from its cookie (which is then cleared), if it
/// names a neighborhood of the office's district.
#[cfg(feature = "ssr")]
fn issued_code(neighborhoods: &[crate::geography::db::Model]) -> Option<IssuedCode> {
    let value = take_issued_cookie(ISSUED_COOKIE)?;
    let (code, neighborhood) = value.split_once('.')?;
    let neighborhood: i32 = neighborhood.parse().ok()?;
    let neighborhood = neighborhoods.iter().find(|n| n.id == neighborhood)?;
    let code = crate::code::normalize(code, crate::verification::CODE_LENGTH)?;
    Some(IssuedCode {
        code: crate::code::display(&code),
        neighborhood: neighborhood.name(),
        valid_hours: crate::verification::CODE_VALID_HOURS,
    })
}

/// The password reset code issued last, read from its cookie (which is then
/// cleared), if it names a resident of one of the office's `neighborhoods`.
#[cfg(feature = "ssr")]
async fn issued_reset(
    db: &sea_orm::DatabaseConnection,
    neighborhoods: &[crate::geography::db::Model],
) -> Result<Option<IssuedReset>, ApiError> {
    let Some(value) = take_issued_cookie(RESET_COOKIE) else {
        return Ok(None);
    };
    let Some((code, account_id)) = value.split_once('.') else {
        return Ok(None);
    };
    let (Ok(account_id), Some(code)) = (
        account_id.parse::<i32>(),
        crate::code::normalize(code, crate::accounts::password_reset::RESET_CODE_LENGTH),
    ) else {
        return Ok(None);
    };
    let resident = crate::verification::db::of_account(db, account_id).await?;
    if !resident.is_some_and(|p| neighborhoods.iter().any(|n| n.id == p.neighborhood_id)) {
        return Ok(None);
    }
    Ok(crate::accounts::db::by_id(db, account_id)
        .await?
        .map(|account| IssuedReset {
            code: crate::code::display(&code),
            login: account.login,
            valid_minutes: crate::accounts::password_reset::db::VALID_MINUTES,
        }))
}

/// The reason every change to a resident needs, trimmed and bounded.
#[cfg(feature = "ssr")]
fn reason(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 500 {
        return Err(ApiError::ReasonRequired);
    }
    Ok(text.to_owned())
}

/// The verified person of `account_id`, if they live in `district_id`.
#[cfg(feature = "ssr")]
async fn resident_of_district(
    db: &sea_orm::DatabaseConnection,
    district_id: i32,
    account_id: i32,
) -> Result<crate::verification::db::person::Model, ApiError> {
    let person = crate::verification::db::of_account(db, account_id)
        .await?
        .ok_or(ApiError::NotVerified)?;
    match crate::geography::db::district_of_neighborhood(db, person.neighborhood_id).await? {
        Some(d) if d == district_id => Ok(person),
        _ => Err(ApiError::Forbidden),
    }
}

#[leptos::server(endpoint = "move-resident")]
pub async fn move_resident(account_id: i32, neighborhood_id: i32, reason: String) -> Result<(), ApiError> {
    use crate::accounts::audit;
    use crate::verification::db as verification;

    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let reason = self::reason(&reason)?;
    let db = crate::services::services()?.db;
    resident_of_district(&db, district_id, account_id).await?;
    neighborhood_of_district(&db, district_id, neighborhood_id).await?;
    audited(
        &db,
        Entry::new(
            Some(viewer.id),
            audit::Action::MoveResident,
            Some(district_id),
            format!("account:{account_id} neighborhood:{neighborhood_id}"),
        )
        .because(reason),
        async |txn, _| {
            if !verification::move_to(txn, account_id, neighborhood_id).await? {
                return Err(ApiError::NotVerified);
            }
            Ok(())
        },
    )
    .await?;
    Ok(())
}

#[leptos::server(endpoint = "revoke-verification")]
pub async fn revoke_verification(account_id: i32, reason: String) -> Result<(), ApiError> {
    use crate::accounts::audit;
    use crate::verification::db as verification;

    let (viewer, district_id) = crate::accounts::auth::require_staff().await?;
    let reason = self::reason(&reason)?;
    let db = crate::services::services()?.db;
    resident_of_district(&db, district_id, account_id).await?;
    audited(
        &db,
        Entry::new(
            Some(viewer.id),
            audit::Action::RevokeVerification,
            Some(district_id),
            format!("account:{account_id}"),
        )
        .because(reason),
        async |txn, _| {
            if !verification::revoke(txn, account_id).await? {
                return Err(ApiError::NotVerified);
            }
            Ok(())
        },
    )
    .await?;
    Ok(())
}

#[component]
pub fn OfficePage() -> impl IntoView {
    let lang = use_lang();
    let issue = ServerAction::<IssueCode>::new();
    let move_action = ServerAction::<MoveResident>::new();
    let revoke = ServerAction::<RevokeVerification>::new();
    let reset = ServerAction::<IssuePasswordReset>::new();
    let search = {
        let address = leptos_router::hooks::use_query_map();
        let address = address.read_untracked();
        ResidentQuery {
            q: address.get("q").unwrap_or_default(),
            neighborhood: address.get("neighborhood").unwrap_or_default(),
        }
    };
    let searching = search != ResidentQuery::default();
    let search_form = search.clone();
    let overview = Resource::new(
        move || {
            (
                issue.version().get(),
                move_action.version().get(),
                revoke.version().get(),
                reset.version().get(),
            )
        },
        move |_| office_overview(search.q.clone(), search.neighborhood.clone()),
    );
    let query = leptos_router::hooks::use_query_map();
    let census_note = move || {
        let query = query.read();
        if let Some(count) = query.get("imported") {
            let count = count.parse().unwrap_or(0);
            Some(
                view! {
                    <p class="notice" role="status">
                        {lang.format(Msg::CensusImported, &[("count", &crate::format::number(lang, count))])}
                    </p>
                }
                .into_any(),
            )
        } else {
            query
                .get("census_error")
                .and_then(|e| serde_json::from_str::<crate::verification::CensusRefusal>(&e).ok())
                .map(|refusal| {
                    view! {
                        <div class="error census-refused" role="alert">
                            <p>{lang.text(Msg::CensusRefused)}</p>
                            <ul>
                                {refusal.messages(lang).into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                            </ul>
                        </div>
                    }
                    .into_any()
                })
        }
    };
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || {
                let search_form = search_form.clone();
                Suspend::new(async move {
                match overview.await {
                    Err(ApiError::NotSignedIn) => view! { <SignInFirst /> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok(o) => {
                        let places = o.neighborhoods.clone();
                        let census_names = places.iter().map(|p| p.name.get(lang)).collect::<Vec<_>>().join(&format!("{} ", lang.text(Msg::ListSeparator)));
                        let places_for_rows = places.clone();
                        let search_places = places.clone();
                        let name_of = {
                            let places = places.clone();
                            move |id: i32| places.iter().find(|p| p.id == id).map(|p| p.name.get(lang).to_owned()).unwrap_or_default()
                        };
                        let residents_empty = o.residents.is_empty();
                        let residents_shown = o.residents.len() as u64;
                        let rows = o.residents.into_iter().map(|r| { let places = places_for_rows.clone(); view! {
                                                    <tr>
                                                        <td dir="ltr" data-label=lang.text(Msg::LoginIdLabel)>{crate::accounts::login_id::shown(lang, &r.login)}</td>
                                                        <td data-label=lang.text(Msg::NeighborhoodLabel)>{name_of(r.neighborhood_id)}</td>
                                                        <td data-label=lang.text(Msg::VerifiedOn)>{r.verified_on.clone()} " · " {lang.text(if r.census { Msg::MethodCensus } else { Msg::MethodInPerson })}</td>
                                                        <td class="resident-actions">
                                                            <ActionForm action=move_action attr:class="row">
                                                                <CsrfField />
                                                                <input type="hidden" name="account_id" value=r.account_id />
                                                                <NeighborhoodSelect id="" places=places.clone() />
                                                                <input name="reason" required maxlength="500" placeholder=lang.text(Msg::ReasonLabel) aria-label=lang.text(Msg::ReasonLabel) />
                                                                <button type="submit">{lang.text(Msg::MoveSubmit)}</button>
                                                            </ActionForm>
                                                            <ActionForm action=revoke attr:class="row">
                                                                <CsrfField />
                                                                <input type="hidden" name="account_id" value=r.account_id />
                                                                <input name="reason" required maxlength="500" placeholder=lang.text(Msg::ReasonLabel) aria-label=lang.text(Msg::ReasonLabel) />
                                                                <button type="submit" class="danger">{lang.text(Msg::RevokeSubmit)}</button>
                                                            </ActionForm>
                                                        </td>
                                                    </tr>
                                                }}).collect_view();
                        view! {
                            <PageHeading text=lang.format(Msg::OfficeTitle, &[("district", o.district.get(lang))]) />
                            <p><a href="/office/rounds">{lang.text(Msg::OfficeRoundsLink)}</a></p>
                            <section class="panel">
                                <h2>{lang.text(Msg::IssueCodeTitle)}</h2>
                                <p>{lang.text(Msg::IssueCodeIntro)}</p>
                                // Shown once (its cookie is cleared as it is read); the
                                // worker closes it before the next person steps up.
                                {o.issued.map(|issued| view! {
                                    <div class="issued-code" role="status">
                                        <p>
                                            {lang.format(Msg::IssuedCode, &[
                                                ("neighborhood", issued.neighborhood.get(lang)),
                                                ("hours", &crate::format::number(lang, issued.valid_hours)),
                                            ])}
                                            " " <strong class="code" dir="ltr">{issued.code}</strong>
                                        </p>
                                        <a class="button close-code" href="/office">{lang.text(Msg::IssuedCodeClose)}</a>
                                    </div>
                                })}
                                <ActionForm action=issue attr:class="stack">
                                    <CsrfField />
                                    <label for="national_code">{lang.text(Msg::NationalCodeLabel)}</label>
                                    <input id="national_code" name="national_code" required maxlength="20" inputmode="numeric" autocomplete="off" dir="ltr" />
                                    <label for="birth_year">{lang.text(Msg::BirthYearLabel)}</label>
                                    <input id="birth_year" name="birth_year" required maxlength="4" inputmode="numeric" dir="ltr" />
                                    <label for="neighborhood_id">{lang.text(Msg::NeighborhoodLabel)}</label>
                                    <NeighborhoodSelect id="neighborhood_id" places=places />
                                    <ErrorNote error=error_of(issue) />
                                    <button type="submit">{lang.text(Msg::IssueCodeSubmit)}</button>
                                </ActionForm>
                            </section>
                            <section class="panel">
                                <h2>{lang.text(Msg::ResetDeskTitle)}</h2>
                                <p>{lang.text(Msg::ResetDeskIntro)}</p>
                                {o.reset.map(|issued| view! {
                                    <p class="issued-code" role="status">
                                        {lang.format(Msg::IssuedReset, &[
                                            ("login", &crate::accounts::login_id::shown(lang, &issued.login)),
                                            ("minutes", &crate::format::number(lang, issued.valid_minutes)),
                                        ])}
                                        " " <strong class="code" dir="ltr">{issued.code}</strong>
                                    </p>
                                })}
                                <ActionForm action=reset attr:class="stack">
                                    <CsrfField />
                                    <label for="reset_login">{lang.text(Msg::LoginIdLabel)}</label>
                                    <input id="reset_login" name="login" required maxlength="254" autocomplete="off" dir="ltr" />
                                    <label for="reset_national_code">{lang.text(Msg::NationalCodeLabel)}</label>
                                    <input id="reset_national_code" name="national_code" required maxlength="20" inputmode="numeric" autocomplete="off" dir="ltr" />
                                    <ErrorNote error=error_of(reset) />
                                    <button type="submit">{lang.text(Msg::ResetDeskSubmit)}</button>
                                </ActionForm>
                            </section>
                            <section class="panel">
                                <h2>{lang.text(Msg::CensusTitle)}</h2>
                                <p>{lang.text(Msg::CensusIntro)}</p>
                                <p class="census-names">{lang.format(Msg::CensusNeighborhoodNames, &[("names", &census_names)])}</p>
                                <p><a href=crate::paths::CENSUS_TEMPLATE download="census.csv">{lang.text(Msg::CensusTemplateLink)}</a></p>
                                {census_note}
                                // The token is the first field, not in the address (which
                                // ends up in logs): the server reads it from the start of the body.
                                <form method="post" enctype="multipart/form-data" class="stack"
                                    action=crate::paths::CENSUS_UPLOAD>
                                    <CsrfField />
                                    <label for="census">{lang.text(Msg::CensusFileLabel)}</label>
                                    <input id="census" name="census" type="file" accept=".csv,text/csv" required />
                                    <button type="submit">{lang.text(Msg::CensusSubmit)}</button>
                                </form>
                            </section>
                            <section class="panel">
                                <h2>{lang.text(Msg::ResidentsTitle)}</h2>
                                <ErrorNote error=error_of(move_action) />
                                <ErrorNote error=error_of(revoke) />
                                <ResidentSearch query=search_form.clone() places=search_places />
                                {(residents_shown == RESIDENTS_SHOWN).then(|| view! {
                                    <p class="notice">{lang.format(Msg::ResidentsShownNote, &[("count", &crate::format::number(lang, RESIDENTS_SHOWN as i64))])}</p>
                                })}
                                {if residents_empty {
                                    view! { <p class="empty">{lang.text(if searching { Msg::ResidentsNoMatch } else { Msg::ResidentsEmpty })}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="residents">
                                            <thead><tr>
                                                <th>{lang.text(Msg::LoginIdLabel)}</th>
                                                <th>{lang.text(Msg::NeighborhoodLabel)}</th>
                                                <th>{lang.text(Msg::VerifiedOn)}</th>
                                                <th>{lang.text(Msg::ActionsLabel)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {rows}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })
            }}
        </Suspense>
    }
}

/// The residents list's search, sent in the address.
#[component]
fn ResidentSearch(query: ResidentQuery, places: Vec<Place>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form class="filters" method="get" action="/office" role="search">
            <label>
                {lang.text(Msg::ResidentSearchLabel)}
                <input name="q" type="search" maxlength="254" dir="ltr" value=query.q.clone() />
            </label>
            <label>
                {lang.text(Msg::NeighborhoodLabel)}
                <select name="neighborhood">
                    <option value="">{lang.text(Msg::AnyOption)}</option>
                    {places.into_iter().map(|p| {
                        let selected = query.neighborhood == p.id.to_string();
                        view! { <option value=p.id selected=selected>{p.name.get(lang).to_owned()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">{lang.text(Msg::FilterSubmit)}</button>
        </form>
    }
}

#[component]
fn NeighborhoodSelect(id: &'static str, places: Vec<Place>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select id=(!id.is_empty()).then_some(id) name="neighborhood_id" required aria-label=lang.text(Msg::NeighborhoodLabel)>
            {places.into_iter().map(|p| view! { <option value=p.id>{p.name.get(lang).to_owned()}</option> }).collect_view()}
        </select>
    }
}
