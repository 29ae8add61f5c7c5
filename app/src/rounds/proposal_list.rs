//! A round's searchable, filtered and paged list of proposals, the same on
//! the public and the office's page (where each row carries its review forms).

use crate::geography::Place;
use crate::i18n::Msg;
use crate::rounds::proposal_rules::ProposalFilter;

use crate::rounds::views::ProposalRow;
use crate::rounds::{Category, Sort, Status};
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
/// The searchable, paged list of a round's proposals; `base` is the page it
/// is on, where the filter form and page links lead.
#[component]
pub fn ProposalList(
    base: String,
    places: Vec<Place>,
    proposals: Vec<ProposalRow>,
    total: u64,
    #[prop(optional)] actions: Option<ViewFn>,
    #[prop(optional)] row_actions: Option<Callback<ProposalRow, AnyView>>,
) -> impl IntoView {
    let lang = use_lang();
    let filter = current_filter();
    let pages = crate::rounds::page_count(total);
    let page = filter.page.min(pages);
    let link = {
        let base = base.clone();
        let filter = filter.clone();
        move |page: u64| match filter.query(page) {
            q if q.is_empty() => base.clone(),
            q => format!("{base}?{q}"),
        }
    };
    let name_of = {
        let places = places.clone();
        move |id: i32| {
            places
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.name.get(lang).to_owned())
                .unwrap_or_default()
        }
    };
    view! {
        <section class="proposals">
            <h2>{lang.text(Msg::ProposalsTitle)}</h2>
            <form class="filters" method="get" action=base role="search">
                <label>
                    {lang.text(Msg::SearchLabel)}
                    <input name="q" type="search" maxlength="100" value=filter.q.clone() />
                </label>
                <label>
                    {lang.text(Msg::CategoryLabel)}
                    <select name="category">
                        <option value="">{lang.text(Msg::AnyOption)}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.tag() selected=filter.category == Some(c)>{lang.text(c.msg())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {lang.text(Msg::NeighborhoodLabel)}
                    <select name="neighborhood">
                        <option value="">{lang.text(Msg::AnyOption)}</option>
                        {places.into_iter().map(|p| view! {
                            <option value=p.id selected=filter.neighborhood == Some(p.id)>{p.name.get(lang).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {lang.text(Msg::StatusLabel)}
                    <select name="status">
                        <option value="">{lang.text(Msg::AnyOption)}</option>
                        {Status::ALL.into_iter().map(|s| view! {
                            <option value=s.tag() selected=filter.status == Some(s)>{lang.text(s.msg())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {lang.text(Msg::SortLabel)}
                    <select name="sort">
                        {Sort::ALL.into_iter().map(|s| view! {
                            <option value=s.tag() selected=filter.sort == s>{lang.text(s.msg())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit">{lang.text(Msg::FilterSubmit)}</button>
            </form>
            {actions.map(|a| a.run())}
            <p role="status">{lang.format(Msg::ProposalsCount, &[("count", &crate::format::number(lang, i64::try_from(total).unwrap_or(i64::MAX)))])}</p>
            {if proposals.is_empty() {
                view! { <p class="empty">{lang.text(Msg::ProposalsEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="proposal-list">
                        {proposals.into_iter().map(|p| {
                            let cost = p.official_cost_rial.or(p.estimate_rial).map(|c| crate::rounds::toman(lang, c));
                            let extra = row_actions.map(|f| f.run(p.clone()));
                            view! {
                                <li class="proposal-row">
                                    <a href=format!("/proposals/{}", p.id) dir="auto" lang=crate::ui::written_lang(&p.title)>{p.title.clone()}</a>
                                    <span class=format!("status status-{}", p.status.tag())>{lang.text(p.status.msg())}</span>
                                    <span>{lang.text(p.category.msg())} " · " {name_of(p.neighborhood_id)}</span>
                                    {cost.map(|c| view! { <span class="cost">{c}</span> })}
                                    <span class="date">{p.submitted.clone()}</span>
                                    {p.entered_at_office.then(|| view! { <span class="entered-at-office">{lang.text(Msg::EnteredAtOffice)}</span> })}
                                    {extra}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <nav class="pager">
                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{lang.text(Msg::PreviousPage)}</a> })}
                <span>{lang.format(Msg::PageOf, &[
                    ("page", &crate::format::number(lang, i64::try_from(page).unwrap_or(1))),
                    ("pages", &crate::format::number(lang, i64::try_from(pages).unwrap_or(1))),
                ])}</span>
                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{lang.text(Msg::NextPage)}</a> })}
            </nav>
        </section>
    }
}

/// The filter of the current address.
pub fn current_filter() -> ProposalFilter {
    let query = use_query_map();
    let query = query.read_untracked();
    ProposalFilter::from_query(|key| query.get(key))
}
