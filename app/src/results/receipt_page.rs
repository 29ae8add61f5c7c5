//! The receipt check page `/check`: a plain GET form, so that it works
//! without JavaScript, and what the newest published file says of a receipt.

use crate::error::ApiError;
use crate::i18n::Msg;
use crate::results::snapshot::ReceiptCheck;
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
#[leptos::server(endpoint = "check-receipt")]
pub async fn check_receipt(receipt: String) -> Result<ReceiptCheck, ApiError> {
    let receipt =
        crate::code::normalize(&receipt, crate::voting::ballot::RECEIPT_LENGTH).ok_or(ApiError::ReceiptInvalid)?;
    let db = crate::services::services()?.db;
    crate::results::receipts::check_receipt(&db, &receipt).await
}

/// Checking a ballot by its receipt: a plain GET form, so it works without JavaScript.
#[component]
pub fn ReceiptForm() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="panel">
            <h2>{lang.text(Msg::ReceiptCheckTitle)}</h2>
            <form method="get" action="/check" class="row receipt-check">
                <label for="receipt">{lang.text(Msg::ReceiptLabel)}</label>
                <input id="receipt" name="receipt" required maxlength="40" dir="ltr" autocomplete="off" />
                <button type="submit">{lang.text(Msg::ReceiptCheckSubmit)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let receipt = Memo::new(move |_| query.read().get("receipt").unwrap_or_default());
    let found = Resource::new(
        move || receipt.get(),
        |receipt| async move {
            if receipt.trim().is_empty() {
                None
            } else {
                Some(check_receipt(receipt).await)
            }
        },
    );
    view! {
        <PageHeading text=lang.text(Msg::ReceiptCheckTitle) />
        <p>{lang.text(Msg::ReceiptCheckIntro)}</p>
        <ReceiptForm />
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    None => ().into_any(),
                    Some(Err(err)) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    Some(Ok(ReceiptCheck::NotYetPublished)) => view! {
                        <p class="notice receipt-pending">{lang.text(Msg::ReceiptNotYetPublished)}</p>
                    }.into_any(),
                    Some(Ok(ReceiptCheck::Replaced { round_id })) => view! {
                        <p class="notice receipt-replaced" role="status">{lang.text(Msg::ReceiptReplaced)}</p>
                        <p><a href=format!("/rounds/{round_id}")>{lang.text(Msg::ReceiptReplacedRound)}</a></p>
                    }.into_any(),
                    Some(Ok(ReceiptCheck::SetAside { round_id, version, reason })) => view! {
                        <p class="error receipt-set-aside" role="alert">
                            {lang.format(Msg::ReceiptSetAside, &[("version", &crate::format::number(lang, i64::from(version))), ("reason", &reason)])}
                        </p>
                        <p><a href=format!("/rounds/{round_id}/results")>{lang.text(Msg::ResultsLink)}</a></p>
                    }.into_any(),
                    Some(Ok(ReceiptCheck::Counted { round_id, version, title, choices })) => view! {
                        <section class="panel receipt-found">
                            <p class="ok">
                                {lang.format(Msg::ReceiptCounted, &[("round", title.get(lang)), ("version", &crate::format::number(lang, i64::from(version)))])}
                            </p>
                            <h2>{lang.text(Msg::BallotYourChoices)}</h2>
                            <ul class="choices">
                                {choices.into_iter().map(|(title, points)| view! {
                                    <li>
                                        <bdi>{title}</bdi>
                                        {(points != 1).then(|| view! { " · " {lang.format(Msg::BallotPoints, &[("count", &crate::format::number(lang, i64::from(points)))])} })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <p><a href=format!("/rounds/{round_id}/results")>{lang.text(Msg::ResultsLink)}</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
