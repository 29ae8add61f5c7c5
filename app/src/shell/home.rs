//! The home page: every district and neighborhood, with a search that filters
//! as you type (with JavaScript) or on submit (without). The search and the
//! list it filters are an island: the rest of the page is the server's HTML.

use crate::error::ApiError;
use crate::format::number;
use crate::geography::{City, District};
use crate::i18n::{Lang, Msg};
use crate::ui::{PageHeading, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[leptos::server(endpoint = "cities")]
pub async fn list_cities() -> Result<Vec<City>, ApiError> {
    let db = crate::services::services()?.db;
    Ok(crate::geography::db::cities(&db).await?)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let initial = query.read_untracked().get("q").unwrap_or_default();
    let cities = Resource::new(|| (), |_| list_cities());
    view! {
        <section class="intro">
            <PageHeading text=lang.text(Msg::HomeTitle) />
            <p>{lang.text(Msg::AppTagline)}</p>
        </section>
        <crate::rounds::open::OpenRoundsSection />
        <Suspense fallback=move || view! { <p class="loading">{lang.text(Msg::Loading)}</p> }>
            {move || {
                let initial = initial.clone();
                Suspend::new(async move {
                    match cities.await {
                        Ok(cities) if cities.is_empty() => {
                            view! { <p class="empty">{lang.text(Msg::HomeEmpty)}</p> }.into_any()
                        }
                        Ok(cities) => view! { <CitySearch cities initial /> }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The search and the cities it filters. The field keeps what the visitor
/// typed before this code started: the code reads it, and never writes it.
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
fn CitySearch(cities: Vec<City>, initial: String) -> impl IntoView {
    let lang = use_lang();
    let filter = RwSignal::new(initial.clone());
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = field.get() {
            filter.set(input.value());
        }
    });
    view! {
        <form class="search" method="get" action="/" role="search">
            <label for="q">{lang.text(Msg::FilterLabel)}</label>
            <input
                id="q"
                name="q"
                type="search"
                autocomplete="off"
                maxlength="100"
                placeholder=lang.text(Msg::FilterPlaceholder)
                value=initial
                node_ref=field
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <button type="submit">{lang.text(Msg::FilterSubmit)}</button>
        </form>
        {cities.into_iter().map(|city| view! { <CityView city filter field /> }).collect_view()}
    }
}

#[component]
fn CityView(city: City, filter: RwSignal<String>, field: NodeRef<leptos::html::Input>) -> impl IntoView {
    let lang = use_lang();
    let summary = lang.format(
        Msg::HomeSummary,
        &[
            ("districts", &number(lang, count(city.districts.len()))),
            ("neighborhoods", &number(lang, count(city.neighborhood_count()))),
            ("city", city.name.get(lang)),
        ],
    );
    let shown = Memo::new(move |_| city.filtered(&filter.get()));
    view! {
        <section class="city">
            <p class="summary">{summary}</p>
            <Show when=move || !filter.read().trim().is_empty()>
                <p class="filter-result" role="status">
                    {move || {
                        let found: usize = shown.read().iter().map(|d| d.neighborhoods.len()).sum();
                        if found == 0 {
                            lang.text(Msg::FilterNone).to_owned()
                        } else {
                            lang.format(Msg::FilterCount, &[("count", &number(lang, count(found)))])
                        }
                    }}
                    " "
                    <a href="/" on:click=move |ev| {
                        ev.prevent_default();
                        if let Some(input) = field.get_untracked() {
                            input.set_value("");
                        }
                        filter.set(String::new());
                    }>{lang.text(Msg::FilterClear)}</a>
                </p>
            </Show>
            <div class="districts">
                <For each=move || shown.get() key=|d| (d.id, d.neighborhoods.iter().map(|n| n.id).collect::<Vec<_>>()) let:district>
                    <DistrictCard district lang />
                </For>
            </div>
        </section>
    }
}

#[component]
fn DistrictCard(district: District, lang: Lang) -> impl IntoView {
    view! {
        <article class="district">
            <h2>{district.name.get(lang).to_owned()}</h2>
            <p class="count">
                {lang.format(Msg::DistrictCount, &[("count", &number(lang, count(district.neighborhoods.len())))])}
            </p>
            <ul>
                {district
                    .neighborhoods
                    .iter()
                    .map(|n| view! { <li>{n.name.get(lang).to_owned()}</li> })
                    .collect_view()}
            </ul>
            <p><a class="projects-link" href=format!("/districts/{}/projects", district.id)>{lang.text(Msg::DistrictProjectsLink)}</a></p>
        </article>
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
