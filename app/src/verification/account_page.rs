//! A resident's own page: verification status, verifying (census roll or a
//! code from the office) and changing the password.

#[cfg(feature = "ssr")]
use crate::accounts::audit::{Action, Entry};
#[cfg(feature = "ssr")]
use crate::accounts::audited::audited;
use crate::accounts::password_form::{ChangePassword, NewPasswordFields};
use crate::accounts::sign_in::LogoutButton;
use crate::accounts::sign_in::SignInFirst;
use crate::accounts::viewer::Viewer;
use crate::error::ApiError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use crate::geography::Name;
use crate::i18n::Msg;
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, error_of};
use crate::ui::{PageHeading, use_lang};
#[cfg(feature = "ssr")]
use crate::verification::db::Tied;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub neighborhood: Name,
    pub district: Name,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub viewer: Viewer,
    pub verified: Option<Verified>,
}

#[leptos::server(endpoint = "account-status")]
pub async fn account_status() -> Result<AccountView, ApiError> {
    use crate::geography::db as area;
    use crate::verification::db as verification;
    let viewer = crate::accounts::auth::require_signed_in().await?;
    let db = crate::services::services()?.db;
    let verified = match verification::of_account(&db, viewer.id).await? {
        Some(person) => {
            let neighborhood = area::by_id(&db, person.neighborhood_id).await?.or_internal(|| {
                format!(
                    "neighborhood {} of account {} missing",
                    person.neighborhood_id, viewer.id
                )
            })?;
            let district = match neighborhood.parent_id {
                Some(id) => area::by_id(&db, id).await?,
                None => None,
            }
            .or_internal(|| format!("district of neighborhood {} missing", neighborhood.id))?;
            Some(Verified {
                neighborhood: neighborhood.name(),
                district: district.name(),
            })
        }
        None => None,
    };
    Ok(AccountView { viewer, verified })
}

/// Runs a verification attempt under the limits per account and per address,
/// and, for a census attempt, per national code (its keyed hash): a slot is
/// taken from each before the attempt is made, a success gives them back and
/// clears the account's, anything else keeps them.
#[cfg(feature = "ssr")]
async fn limited_verification<F, Fut>(national_hash: Option<String>, attempt: F) -> Result<(), ApiError>
where
    F: FnOnce(sea_orm::DatabaseTransaction, i32) -> Fut,
    Fut: std::future::Future<Output = Result<(sea_orm::DatabaseTransaction, Tied), ApiError>>,
{
    use crate::accounts::throttle;
    use sea_orm::TransactionTrait;
    let viewer = crate::accounts::auth::require_signed_in().await?;
    let db = crate::services::services()?.db;
    let mut counters = throttle::verification(viewer.id, &crate::accounts::auth::client_address()).to_vec();
    if let Some(hash) = national_hash {
        counters.extend(throttle::census(&hash));
    }
    throttle::admit(&db, &counters).await?;
    let txn = db.begin().await?;
    let (txn, tied) = attempt(txn, viewer.id).await?;
    if let Some(previously) = tied.previously {
        // An office ended this person's verification on another account: the
        // administrators see that the person is now verified here.
        let district = crate::geography::db::district_of_neighborhood(&txn, tied.neighborhood_id).await?;
        let entry = Entry::new(
            Some(viewer.id),
            Action::ReverifyPerson,
            district,
            format!("account:{} previously:account:{previously}", viewer.id),
        );
        audited(&txn, entry, async |_, _| Ok(())).await?;
    }
    txn.commit().await?;
    throttle::succeeded(&db, &counters).await?;
    Ok(())
}

#[leptos::server(endpoint = "verify-census")]
pub async fn verify_census(national_code: String, birth_year: String) -> Result<(), ApiError> {
    use crate::keys::Purpose;
    use crate::verification::national_code::NationalCode;
    let code = NationalCode::parse(&national_code)?;
    let year = crate::verification::parse_birth_year(&birth_year).ok_or(ApiError::BirthYearInvalid)?;
    let hash = crate::services::services()?
        .keys
        .hash(Purpose::NationalCode, code.as_str());
    limited_verification(Some(hash.clone()), |txn, account| async move {
        let tied = crate::verification::db::claim_census(&txn, account, &hash, year).await?;
        Ok((txn, tied))
    })
    .await
}

#[leptos::server(endpoint = "redeem-code")]
pub async fn redeem_code(code: String) -> Result<(), ApiError> {
    use crate::keys::Purpose;
    let hash = crate::verification::normalize_code(&code)
        .map(|code| crate::services::services().map(|s| s.keys.hash(Purpose::VerificationCode, &code)))
        .transpose()?;
    limited_verification(None, |txn, account| async move {
        let hash = hash.ok_or(ApiError::VerificationCodeInvalid)?;
        let tied = crate::verification::db::redeem_code(&txn, account, &hash).await?;
        Ok((txn, tied))
    })
    .await
}

/// The account page; `resident_sections` is what a verified resident sees
/// besides (the rounds open to them, their proposals and ballots), which other
/// features draw.
#[component]
pub fn AccountPage(#[prop(into)] resident_sections: ViewFn) -> impl IntoView {
    let lang = use_lang();
    let census = ServerAction::<VerifyCensus>::new();
    let code = ServerAction::<RedeemCode>::new();
    let password = ServerAction::<ChangePassword>::new();
    let status = Resource::new(
        move || (census.version().get(), code.version().get()),
        |_| account_status(),
    );
    let password_changed = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("password")
        .is_some_and(|v| v == "changed");
    view! {
        <section class="narrow">
            <PageHeading text=lang.text(Msg::AccountTitle) />
            <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
                {move || {
                    let resident_sections = resident_sections.clone();
                    Suspend::new(async move {
                    match status.await {
                        Err(ApiError::NotSignedIn) => view! { <SignInFirst /> }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                        Ok(status) => view! {
                            <p class="signed-in-as">
                                {lang.format(Msg::SignedInAs, &[("login", &crate::accounts::login_id::shown(lang, &status.viewer.login))])}
                            </p>
                            {match status.verified {
                                Some(v) => view! {
                                    <p class="verified" role="status">
                                        {lang.format(Msg::VerifiedResidentOf, &[
                                            ("neighborhood", v.neighborhood.get(lang)),
                                            ("district", v.district.get(lang)),
                                        ])}
                                    </p>
                                    {resident_sections.run()}
                                }.into_any(),
                                None => view! { <VerifyForms census code /> }.into_any(),
                            }}
                            <PasswordAndSignOut password changed=password_changed />
                        }.into_any(),
                    }
                })
                }}
            </Suspense>
        </section>
    }
}

/// What only a signed-in resident is offered: a new password, and signing out.
#[component]
fn PasswordAndSignOut(password: ServerAction<ChangePassword>, changed: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.text(Msg::ChangePasswordTitle)}</h2>
        {changed.then(|| view! { <p class="notice" role="status">{lang.text(Msg::PasswordChanged)}</p> })}
        <ActionForm action=password attr:class="stack">
            <CsrfField />
            <label for="current">{lang.text(Msg::CurrentPasswordLabel)}</label>
            <input id="current" name="current" type="password" required maxlength="128" autocomplete="current-password" />
            <NewPasswordFields />
            <ErrorNote error=error_of(password) />
            <button type="submit">{lang.text(Msg::ChangePasswordSubmit)}</button>
        </ActionForm>
        <LogoutButton />
    }
}

#[component]
fn VerifyForms(census: ServerAction<VerifyCensus>, code: ServerAction<RedeemCode>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="unverified">{lang.text(Msg::NotVerifiedYet)}</p>
        <h2>{lang.text(Msg::VerifyCodeTitle)}</h2>
        <p>{lang.text(Msg::VerifyCodeIntro)}</p>
        <ActionForm action=code attr:class="stack">
            <CsrfField />
            <label for="code">{lang.text(Msg::VerificationCodeLabel)}</label>
            <input id="code" name="code" required maxlength="20" autocomplete="off" dir="ltr" placeholder="ABCD-EFGH" />
            <ErrorNote error=error_of(code) />
            <button type="submit">{lang.text(Msg::VerifySubmit)}</button>
        </ActionForm>
        <h2>{lang.text(Msg::VerifyCensusTitle)}</h2>
        <p>{lang.text(Msg::VerifyCensusIntro)}</p>
        <ActionForm action=census attr:class="stack">
            <CsrfField />
            <label for="national_code">{lang.text(Msg::NationalCodeLabel)}</label>
            <input id="national_code" name="national_code" required maxlength="20" inputmode="numeric" autocomplete="off" dir="ltr" />
            <label for="birth_year">{lang.text(Msg::BirthYearLabel)}</label>
            <input id="birth_year" name="birth_year" required maxlength="4" inputmode="numeric" dir="ltr" placeholder="۱۳۷۰" />
            <ErrorNote error=error_of(census) />
            <button type="submit">{lang.text(Msg::VerifySubmit)}</button>
        </ActionForm>
    }
}
