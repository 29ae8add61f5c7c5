//! Registering, signing in and out.

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Role;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, error_of};
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;

/// Where each role starts after signing in.
#[cfg(feature = "ssr")]
fn home_of(role: Role) -> &'static str {
    match role {
        Role::Resident => "/account",
        Role::Staff => "/office",
        Role::Admin => "/admin",
    }
}

#[leptos::server(endpoint = "register")]
pub async fn register(login: String, password: String, password_confirm: String) -> Result<(), ApiError> {
    use crate::accounts::auth::{client_address, sign_in};
    use crate::accounts::db as account;
    use crate::accounts::login_id::{LoginId, password_acceptable};
    use crate::accounts::throttle;
    use crate::services::services;

    let login = LoginId::parse(&login)?;
    if !password_acceptable(&password) {
        return Err(ApiError::PasswordLength);
    }
    if password != password_confirm {
        return Err(ApiError::PasswordsDiffer);
    }
    let services = services()?;
    // Counted before the login is looked at, and kept whatever the outcome: one
    // address creates accounts, or learns that a login is taken, no faster than
    // the limit.
    throttle::admit(&services.db, &throttle::registration(&client_address())).await?;
    let hash = services.hash_password(password).await?;
    let created = account::create(&services.db, login.as_str(), Role::Resident, None, hash)
        .await?
        .ok_or(ApiError::LoginTaken)?;
    sign_in(created.id).await?;
    leptos_axum::redirect(home_of(Role::Resident));
    Ok(())
}

/// Checks `password` for `login` from `address` under the sign-in limits: a
/// slot is taken from each counter before the password is checked, a success
/// gives them back (and frees this address's attempts on the account), a
/// wrong login or password keeps them. Changing the password checks the
/// current one here too, so both draw on the same limits.
#[cfg(feature = "ssr")]
pub async fn authenticate(
    services: &crate::services::Services,
    login: &str,
    password: String,
    address: &str,
) -> Result<crate::accounts::db::Model, ApiError> {
    use crate::accounts::db as account;
    use crate::accounts::login_id::LoginId;
    use crate::accounts::throttle;

    let login = LoginId::parse(login).map_err(|_| ApiError::BadCredentials)?;
    let counters = throttle::sign_in(login.as_str(), address);
    throttle::admit(&services.db, &counters).await?;
    let found = account::by_login(&services.db, login.as_str()).await?;
    let matches = services
        .password_matches(password, found.as_ref().map(|a| a.password_hash.clone()))
        .await?;
    match found {
        Some(account) if matches => {
            throttle::succeeded(&services.db, &counters).await?;
            if account.disabled_at.is_some() {
                return Err(ApiError::AccountDisabled);
            }
            Ok(account)
        }
        _ => Err(ApiError::BadCredentials),
    }
}

#[leptos::server(endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<(), ApiError> {
    use crate::accounts::auth::{client_address, sign_in};
    let services = crate::services::services()?;
    let account = authenticate(&services, &login, password, &client_address()).await?;
    sign_in(account.id).await?;
    leptos_axum::redirect(home_of(account.viewer().role));
    Ok(())
}

#[leptos::server(endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    crate::accounts::auth::sign_out().await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<Register>::new();
    view! {
        <section class="narrow">
            <PageHeading text=lang.text(Msg::RegisterTitle) />
            <p>{lang.text(Msg::RegisterIntro)}</p>
            <ActionForm action attr:class="stack">
                <CsrfField />
                <label for="login">{lang.text(Msg::LoginIdLabel)}</label>
                <input id="login" name="login" required autocomplete="username" maxlength="254" dir="ltr" />
                <p class="hint">{lang.text(Msg::LoginIdHint)}</p>
                <label for="password">{lang.text(Msg::PasswordLabel)}</label>
                <input id="password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
                <label for="password_confirm">{lang.text(Msg::PasswordConfirmLabel)}</label>
                <input id="password_confirm" name="password_confirm" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
                <ErrorNote error=error_of(action) />
                <button type="submit">{lang.text(Msg::RegisterSubmit)}</button>
            </ActionForm>
            <p>{lang.text(Msg::HaveAccount)} " " <a href="/login">{lang.text(Msg::LoginTitle)}</a></p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<Login>::new();
    view! {
        <section class="narrow">
            <PageHeading text=lang.text(Msg::LoginTitle) />
            <ActionForm action attr:class="stack">
                <CsrfField />
                <label for="login">{lang.text(Msg::LoginIdLabel)}</label>
                <input id="login" name="login" required autocomplete="username" maxlength="254" dir="ltr" />
                <label for="password">{lang.text(Msg::PasswordLabel)}</label>
                <input id="password" name="password" type="password" required maxlength="128" autocomplete="current-password" />
                <ErrorNote error=error_of(action) />
                <button type="submit">{lang.text(Msg::LoginSubmit)}</button>
            </ActionForm>
            <p><a href="/reset-password">{lang.text(Msg::ForgotPassword)}</a></p>
            <p>{lang.text(Msg::NoAccount)} " " <a href="/register">{lang.text(Msg::RegisterTitle)}</a></p>
        </section>
    }
}

/// The sign-out button, a form so that it works without JavaScript.
#[component]
pub fn LogoutButton() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<Logout>::new();
    view! {
        <ActionForm action attr:class="inline">
            <CsrfField />
            <button type="submit" class="link">{lang.text(Msg::Logout)}</button>
        </ActionForm>
    }
}

/// Shown on pages that need an account, to visitors who are not signed in.
#[component]
pub fn SignInFirst() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice">
            {lang.text(Msg::SignInFirst)} " " <a href="/login">{lang.text(Msg::LoginTitle)}</a>
        </p>
    }
}
