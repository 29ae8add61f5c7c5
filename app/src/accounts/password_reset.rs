//! A forgotten password, reset with a one-time code that the district office
//! hands the resident after checking their ID card at the desk (see
//! `verification::office_page::issue_password_reset`). The code is stored only
//! as a keyed hash, spent once, and valid for a short time.

use crate::accounts::password_form::NewPasswordFields;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::ui::csrf::CsrfField;
use crate::ui::{ErrorNote, error_of};
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;

/// The length of a reset code: the same 8 characters without look-alikes as a
/// verification code (see `crate::code`).
pub const RESET_CODE_LENGTH: usize = 8;

#[cfg(feature = "ssr")]
pub mod db {
    use sea_orm::ActiveValue::Set;
    use sea_orm::entity::prelude::*;
    use sea_orm::sea_query::Expr;

    /// Long enough to go home and type it in, short enough that a lost slip
    /// of paper is soon worthless.
    pub const VALID_MINUTES: i64 = 60;

    pub mod row {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "password_reset")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i32,
            pub account_id: i32,
            pub code_hash: String,
            pub issued_by: i32,
            pub expires_at: DateTimeUtc,
            pub used_at: Option<DateTimeUtc>,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    /// Stores a new code for `account_id`; the account's earlier unused codes
    /// expire now, so that only the slip handed out last works.
    pub async fn issue<C: ConnectionTrait>(
        db: &C,
        account_id: i32,
        issued_by: i32,
        code_hash: &str,
    ) -> Result<(), DbErr> {
        let now = chrono::Utc::now();
        // The insert first: on SQLite the transaction's first statement must write.
        let issued = row::ActiveModel {
            account_id: Set(account_id),
            code_hash: Set(code_hash.to_owned()),
            issued_by: Set(issued_by),
            expires_at: Set(now + chrono::Duration::minutes(VALID_MINUTES)),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        row::Entity::update_many()
            .col_expr(row::Column::ExpiresAt, Expr::value(now))
            .filter(row::Column::AccountId.eq(account_id))
            .filter(row::Column::Id.ne(issued.id))
            .filter(row::Column::UsedAt.is_null())
            .filter(row::Column::ExpiresAt.gt(now))
            .exec(db)
            .await
            .map(|_| ())
    }

    /// Spends the code whose keyed hash is `code_hash`, if it is an unused,
    /// unexpired code of `account_id`. One conditional statement: of two
    /// concurrent uses exactly one wins.
    pub async fn spend<C: ConnectionTrait>(db: &C, account_id: i32, code_hash: &str) -> Result<bool, DbErr> {
        let now = chrono::Utc::now();
        let spent = row::Entity::update_many()
            .col_expr(row::Column::UsedAt, Expr::value(now))
            .filter(row::Column::CodeHash.eq(code_hash))
            .filter(row::Column::AccountId.eq(account_id))
            .filter(row::Column::UsedAt.is_null())
            .filter(row::Column::ExpiresAt.gt(now))
            .exec(db)
            .await?;
        Ok(spent.rows_affected == 1)
    }
}

/// Sets a new password for `login` with a reset code from the office. Every
/// way of failing but the password rules answers the same error, so that the
/// answer does not tell whether the login exists.
#[leptos::server(endpoint = "reset-password")]
pub async fn reset_password(
    login: String,
    code: String,
    password: String,
    password_confirm: String,
) -> Result<(), ApiError> {
    use crate::accounts::audit::{Action, Entry};
    use crate::accounts::audited::audited;
    use crate::accounts::login_id::{LoginId, password_acceptable};
    use crate::accounts::{db as account, session, throttle};
    use crate::keys::Purpose;

    if !password_acceptable(&password) {
        return Err(ApiError::PasswordLength);
    }
    if password != password_confirm {
        return Err(ApiError::PasswordsDiffer);
    }
    let login = LoginId::parse(&login)?;
    let services = crate::services::services()?;
    // Counted before the code is looked at, and kept unless it works: codes
    // cannot be guessed faster than the limit, for one login or from one address.
    let counters = throttle::password_reset(login.as_str(), &crate::accounts::auth::client_address());
    throttle::admit(&services.db, &counters).await?;
    let code_hash =
        crate::code::normalize(&code, RESET_CODE_LENGTH).map(|code| services.keys.hash(Purpose::PasswordReset, &code));
    // Hashed whatever the login and code: an unknown login takes as long as a known one.
    let hash = services.hash_password(password).await?;
    let found = account::by_login(&services.db, login.as_str()).await?;
    let (Some(found), Some(code_hash)) = (found, code_hash) else {
        return Err(ApiError::ResetCodeInvalid);
    };
    audited(
        &services.db,
        Entry::new(
            Some(found.id),
            Action::ResetPassword,
            None,
            format!("account:{}", found.id),
        ),
        async |txn, _| {
            if !db::spend(txn, found.id, &code_hash).await? {
                return Err(ApiError::ResetCodeInvalid);
            }
            account::set_password(txn, found.id, hash).await?;
            // Whoever knew the old password, or holds a session, is out.
            session::end_others(txn, found.id, None).await?;
            Ok(())
        },
    )
    .await?;
    throttle::succeeded(&services.db, &counters).await?;
    leptos_axum::redirect("/reset-password?done");
    Ok(())
}

#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ResetPassword>::new();
    let query = leptos_router::hooks::use_query_map();
    // Without JavaScript the server's redirect says so; with it, the action's value.
    let done = move || query.read().get("done").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="narrow">
            <PageHeading text=lang.text(Msg::ResetTitle) />
            <Show
                when=done
                fallback=move || view! {
                    <p>{lang.text(Msg::ResetIntro)}</p>
                    <ActionForm action attr:class="stack">
                        <CsrfField />
                        <label for="login">{lang.text(Msg::LoginIdLabel)}</label>
                        <input id="login" name="login" required autocomplete="username" maxlength="254" dir="ltr" />
                        <label for="code">{lang.text(Msg::ResetCodeLabel)}</label>
                        <input id="code" name="code" required maxlength="20" autocomplete="off" dir="ltr" placeholder="ABCD-EFGH" />
                        <NewPasswordFields />
                        <ErrorNote error=error_of(action) />
                        <button type="submit">{lang.text(Msg::ResetSubmit)}</button>
                    </ActionForm>
                }
            >
                <p class="notice" role="status">{lang.text(Msg::PasswordResetDone)}</p>
                <p><a href="/login">{lang.text(Msg::LoginTitle)}</a></p>
            </Show>
        </section>
    }
}
