//! City administrators: districts, neighborhoods, staff accounts, and the
//! audit log of everything staff did.

#[cfg(feature = "ssr")]
use crate::accounts::audit::Entry;
#[cfg(feature = "ssr")]
use crate::accounts::audited::audited;
use crate::accounts::sign_in::SignInFirst;
use crate::error::ApiError;
use crate::geography::City;
use crate::i18n::Msg;
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, error_of};
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: i32,
    pub login: String,
    pub admin: bool,
    pub district_id: Option<i32>,
    pub disabled: bool,
}

/// One audit entry as the page shows it, in the page's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub reason: String,
}

/// The audit log's filter as the address gives it: `who` is an account's id or
/// `cli`, `what` an action's tag, `days` how far back; blank means all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub who: String,
    pub what: String,
    pub days: String,
}

/// The spans of time the filter offers, in days, with their names.
pub const AUDIT_SPANS: [(&str, Msg); 3] = [
    ("1", Msg::AuditLastDay),
    ("7", Msg::AuditLastWeek),
    ("30", Msg::AuditLastMonth),
];

/// Who may be picked in the filter: `cli`, then every staff account.
pub const AUDIT_COMMAND_LINE: &str = "cli";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminData {
    pub cities: Vec<City>,
    pub staff: Vec<StaffRow>,
    pub audit: Vec<AuditRow>,
    /// The actions the filter offers: tag and name.
    pub actions: Vec<(String, String)>,
}

/// How many audit entries the page shows.
#[cfg(feature = "ssr")]
const AUDIT_SHOWN: u64 = 200;

/// The filter of `query`; parts that name nothing are left out.
#[cfg(feature = "ssr")]
fn audit_filter(query: &AuditQuery) -> crate::accounts::audit::Filter {
    use crate::accounts::audit::{Action, Actor, Filter};
    let days = crate::digits::to_latin(query.days.trim());
    Filter {
        actor: match query.who.trim() {
            AUDIT_COMMAND_LINE => Some(Actor::CommandLine),
            id => id.parse().ok().map(Actor::Account),
        },
        action: Action::from_tag(query.what.trim()),
        since: AUDIT_SPANS
            .iter()
            .find(|(span, _)| *span == days)
            .and_then(|(span, _)| span.parse().ok())
            .map(|days| chrono::Utc::now() - chrono::Duration::days(days)),
    }
}

#[leptos::server(endpoint = "admin")]
pub async fn admin_overview(who: String, what: String, days: String) -> Result<AdminData, ApiError> {
    use crate::accounts::audit;
    use crate::accounts::db as account;
    use crate::accounts::login_id::shown;
    use crate::geography::db as area;
    crate::accounts::auth::require_admin().await?;
    let lang = crate::ui::detect_lang();
    let db = crate::services::services()?.db;
    let staff = account::staff(&db).await?;
    let actor_of = |id: Option<i32>| match id {
        None => lang.text(Msg::AuditCommandLine).to_owned(),
        Some(id) => staff
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| "—".to_owned(), |a| shown(lang, &a.login)),
    };
    let query = AuditQuery { who, what, days };
    let audit = audit::recent(&db, &audit_filter(&query), AUDIT_SHOWN)
        .await?
        .into_iter()
        .map(|entry| AuditRow {
            at: crate::format::datetime(lang, entry.at),
            actor: actor_of(entry.actor_id),
            action: audit::Action::from_tag(&entry.action)
                .map_or_else(|| entry.action.clone(), |a| lang.text(a.msg()).to_owned()),
            subject: audit::describe_subject(lang, &entry.subject),
            reason: entry.reason,
        })
        .collect();
    Ok(AdminData {
        cities: area::cities(&db).await?,
        staff: staff
            .iter()
            .map(|a| StaffRow {
                id: a.id,
                disabled: a.disabled_at.is_some(),
                login: a.login.clone(),
                admin: a.viewer().role == crate::accounts::viewer::Role::Admin,
                district_id: a.district_id,
            })
            .collect(),
        audit,
        actions: audit::Action::ALL
            .into_iter()
            .map(|a| (a.tag().to_owned(), lang.text(a.msg()).to_owned()))
            .collect(),
    })
}

#[leptos::server(endpoint = "create-area")]
pub async fn create_area(parent_id: i32, name_fa: String, name_en: String) -> Result<(), ApiError> {
    use crate::accounts::audit;
    use crate::error::is_unique_violation;
    use crate::geography::db as area;

    let viewer = crate::accounts::auth::require_admin().await?;
    let name = crate::geography::Name {
        fa: name_fa.trim().to_owned(),
        en: name_en.trim().to_owned(),
    };
    let valid = |s: &str| (1..=100).contains(&s.chars().count()) && !s.chars().any(char::is_control);
    if !valid(&name.fa) || !valid(&name.en) {
        return Err(ApiError::NameInvalid);
    }
    let db = crate::services::services()?.db;
    let kind = match area::by_id(&db, parent_id).await?.map(|a| a.kind) {
        Some(area::AreaKind::City) => area::AreaKind::District,
        Some(area::AreaKind::District) => area::AreaKind::Neighborhood,
        _ => return Err(ApiError::BadRequest),
    };
    audited(
        &db,
        Entry::new(Some(viewer.id), audit::Action::CreateArea, None, String::new()),
        async |txn, entry| {
            let id = match area::insert(txn, Some(parent_id), kind, &name).await {
                Ok(id) => id,
                Err(err) if is_unique_violation(&err) => return Err(ApiError::NameTaken),
                Err(err) => return Err(err.into()),
            };
            let district_id = if kind == area::AreaKind::District {
                id
            } else {
                parent_id
            };
            entry.district_id = Some(district_id);
            entry.subject = format!("area:{id} {}", name.en);
            Ok(())
        },
    )
    .await?;
    Ok(())
}

#[leptos::server(endpoint = "create-staff")]
pub async fn create_staff(login: String, password: String, district_id: i32) -> Result<(), ApiError> {
    use crate::accounts::audit;
    use crate::accounts::db as account;
    use crate::accounts::viewer::Role;
    use crate::geography::db as area;

    let viewer = crate::accounts::auth::require_admin().await?;
    let login = crate::accounts::login_id::LoginId::parse(&login)?;
    if !crate::accounts::login_id::password_acceptable(&password) {
        return Err(ApiError::PasswordLength);
    }
    let services = crate::services::services()?;
    if !area::by_id(&services.db, district_id)
        .await?
        .is_some_and(|a| a.kind == area::AreaKind::District)
    {
        return Err(ApiError::DistrictInvalid);
    }
    let hash = services.hash_password(password).await?;
    audited(
        &services.db,
        Entry::new(
            Some(viewer.id),
            audit::Action::CreateStaff,
            Some(district_id),
            String::new(),
        ),
        async |txn, entry| {
            let created = account::create(txn, login.as_str(), Role::Staff, Some(district_id), hash)
                .await?
                .ok_or(ApiError::LoginTaken)?;
            entry.subject = format!("account:{}", created.id);
            Ok(())
        },
    )
    .await?;
    // Back to the page, which then says so (a plain form post is told nothing else).
    leptos_axum::redirect("/admin?staff=created");
    Ok(())
}

/// Disables a staff or administrator account (not one's own) and ends its
/// sessions; it can no longer sign in.
#[leptos::server(endpoint = "disable-account")]
pub async fn disable_account(account_id: i32) -> Result<(), ApiError> {
    use crate::accounts::audit::Action;
    use crate::accounts::db as account;
    let viewer = crate::accounts::auth::require_admin().await?;
    if account_id == viewer.id {
        return Err(ApiError::BadRequest);
    }
    let db = crate::services::services()?.db;
    audited(
        &db,
        Entry::new(
            Some(viewer.id),
            Action::DisableAccount,
            None,
            format!("account:{account_id}"),
        ),
        async |txn, _| {
            if !account::disable(txn, account_id).await? {
                return Err(ApiError::NotFound);
            }
            crate::accounts::session::end_others(txn, account_id, None).await?;
            Ok(())
        },
    )
    .await
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let lang = use_lang();
    let area = ServerAction::<CreateArea>::new();
    let staff = ServerAction::<CreateStaff>::new();
    let disable = ServerAction::<DisableAccount>::new();
    let address = leptos_router::hooks::use_query_map();
    let address = address.read_untracked();
    let query = AuditQuery {
        who: address.get("who").unwrap_or_default(),
        what: address.get("what").unwrap_or_default(),
        days: address.get("days").unwrap_or_default(),
    };
    let staff_created = address.get("staff").is_some_and(|v| v == "created");
    let overview = {
        let query = query.clone();
        Resource::new(
            move || (area.version().get(), staff.version().get(), disable.version().get()),
            move |_| admin_overview(query.who.clone(), query.what.clone(), query.days.clone()),
        )
    };
    view! {
        <PageHeading text=lang.text(Msg::AdminTitle) />
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || {
                let query = query.clone();
                Suspend::new(async move {
                match overview.await {
                    Err(ApiError::NotSignedIn) => view! { <SignInFirst /> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Ok(o) => {
                        let parents: Vec<(i32, String)> = o.cities.iter().flat_map(|c| {
                            std::iter::once((c.id, c.name.get(lang).to_owned())).chain(
                                c.districts.iter().map(|d| (d.id, format!("{} › {}", c.name.get(lang), d.name.get(lang)))),
                            )
                        }).collect();
                        let districts: Vec<(i32, String)> = o.cities.iter()
                            .flat_map(|c| c.districts.iter().map(|d| (d.id, d.name.get(lang).to_owned())))
                            .collect();
                        let district_name = {
                            let districts = districts.clone();
                            move |id: Option<i32>| id.and_then(|id| districts.iter().find(|d| d.0 == id)).map(|d| d.1.clone()).unwrap_or_default()
                        };
                        view! {
                            <section class="panel">
                                <h2>{lang.text(Msg::CreateAreaTitle)}</h2>
                                <p>{lang.text(Msg::CreateAreaIntro)}</p>
                                <ActionForm action=area attr:class="stack">
                                    <CsrfField />
                                    <label for="parent_id">{lang.text(Msg::ParentAreaLabel)}</label>
                                    <select id="parent_id" name="parent_id" required>
                                        {parents.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                    </select>
                                    <label for="name_fa">{lang.text(Msg::NameFaLabel)}</label>
                                    <input id="name_fa" name="name_fa" required maxlength="100" lang="fa" dir="rtl" />
                                    <label for="name_en">{lang.text(Msg::NameEnLabel)}</label>
                                    <input id="name_en" name="name_en" required maxlength="100" lang="en" dir="ltr" />
                                    <ErrorNote error=error_of(area) />
                                    <button type="submit">{lang.text(Msg::CreateAreaSubmit)}</button>
                                </ActionForm>
                            </section>
                            <section class="panel">
                                <h2>{lang.text(Msg::CreateStaffTitle)}</h2>
                                {staff_created.then(|| view! { <p class="notice staff-created" role="status">{lang.text(Msg::StaffCreated)}</p> })}
                                <ActionForm action=staff attr:class="stack">
                                    <CsrfField />
                                    <label for="staff_login">{lang.text(Msg::LoginIdLabel)}</label>
                                    <input id="staff_login" name="login" required maxlength="254" dir="ltr" autocomplete="off" />
                                    <label for="staff_password">{lang.text(Msg::PasswordLabel)}</label>
                                    <input id="staff_password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
                                    <label for="district_id">{lang.text(Msg::DistrictLabel)}</label>
                                    <select id="district_id" name="district_id" required>
                                        {districts.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                                    </select>
                                    <ErrorNote error=error_of(staff) />
                                    <button type="submit">{lang.text(Msg::CreateStaffSubmit)}</button>
                                </ActionForm>
                                <ErrorNote error=error_of(disable) />
                                <ul class="staff">
                                    {o.staff.clone().into_iter().map(|s| view! {
                                        <li>
                                            <span dir="ltr">{crate::accounts::login_id::shown(lang, &s.login)}</span> " · "
                                            {if s.admin { lang.text(Msg::RoleAdmin).to_owned() } else { district_name(s.district_id) }}
                                            {if s.disabled {
                                                view! { " · " {lang.text(Msg::AccountDisabledNote)} }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=disable attr:class="inline">
                                                        <CsrfField />
                                                        <input type="hidden" name="account_id" value=s.id />
                                                        <button type="submit" class="danger">{lang.text(Msg::DisableAccountSubmit)}</button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class="panel">
                                <h2 id="audit-title">{lang.text(Msg::AuditTitle)}</h2>
                                // On a phone the table scrolls sideways: focusable, so
                                // that it scrolls from the keyboard too.
                                <AuditFilterForm query=query.clone() staff=o.staff.clone() actions=o.actions.clone() />
                                {if o.audit.is_empty() {
                                    view! { <p class="empty">{lang.text(Msg::AuditEmpty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="audit" tabindex="0" aria-labelledby="audit-title">
                                            <thead><tr>
                                                <th>{lang.text(Msg::AuditWhen)}</th>
                                                <th>{lang.text(Msg::AuditWho)}</th>
                                                <th>{lang.text(Msg::AuditWhat)}</th>
                                                <th>{lang.text(Msg::AuditWhy)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {o.audit.into_iter().map(|e| view! {
                                                    <tr>
                                                        <td>{e.at}</td>
                                                        <td dir="auto">{e.actor}</td>
                                                        <td>{e.action} <br /> <small dir="auto">{e.subject}</small></td>
                                                        <td dir="auto" lang=crate::ui::written_lang(&e.reason)>{e.reason.clone()}</td>
                                                    </tr>
                                                }).collect_view()}
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

/// The audit log's filter: who, what and since when, sent in the address.
#[component]
fn AuditFilterForm(query: AuditQuery, staff: Vec<StaffRow>, actions: Vec<(String, String)>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form class="filters" method="get" action="/admin" role="search">
            <label>
                {lang.text(Msg::AuditFilterWho)}
                <select name="who">
                    <option value="">{lang.text(Msg::AnyOption)}</option>
                    <option value=AUDIT_COMMAND_LINE selected=query.who == AUDIT_COMMAND_LINE>{lang.text(Msg::AuditCommandLine)}</option>
                    {staff.into_iter().map(|s| {
                        let id = s.id.to_string();
                        view! { <option selected=query.who == id value=id>{crate::accounts::login_id::shown(lang, &s.login)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {lang.text(Msg::AuditFilterWhat)}
                <select name="what">
                    <option value="">{lang.text(Msg::AnyOption)}</option>
                    {actions.into_iter().map(|(tag, name)| view! {
                        <option selected=query.what == tag value=tag>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {lang.text(Msg::AuditFilterWhen)}
                <select name="days">
                    <option value="">{lang.text(Msg::AuditAnyTime)}</option>
                    {AUDIT_SPANS.into_iter().map(|(days, msg)| view! {
                        <option value=days selected=query.days == days>{lang.text(msg)}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">{lang.text(Msg::FilterSubmit)}</button>
        </form>
    }
}
