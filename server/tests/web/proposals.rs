//! Proposals over real HTTP, on SQLite and PostgreSQL: the proposal limit, the
//! office's review, and the public list of proposals.

use crate::builders::{DESCRIPTION, RoundOptions, latest_proposal, move_to, proposal_count, propose};
use crate::common;

use app::accounts::audit;
use app::accounts::viewer::Role;
use app::error::ApiError;
use app::rounds::office_actions::{AcceptProposal, MergeProposal, RejectProposal};
use app::rounds::proposal_db::proposal;
use app::rounds::proposal_page::ProposalView;
use app::rounds::public_page::RoundView;
use app::rounds::{Category, Phase};
use common::{Backend, PASSWORD, TestApp, Visitor, error};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

on_both_databases!(residents_propose_up_to_the_limit, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let options = RoundOptions {
        max_proposals: "2",
        ..Default::default()
    };
    let round = app.round_in(Phase::Proposals, &mut office, options).await;
    let mut sara = app.verified_resident(neighborhoods[0]).await;
    for title in ["First proposal", "Second proposal"] {
        let (status, body) = propose(&mut sara, round, title, neighborhoods[0]).await;
        assert!(status < 400, "{status} {body}");
    }
    let (status, body) = propose(&mut sara, round, "Third proposal", neighborhoods[0]).await;
    assert_eq!((status, error(&body)), (409, ApiError::ProposalLimit));

    // Three sessions of another resident racing for two places: two win.
    let mut first = app.verified_resident(neighborhoods[1]).await;
    let mut second = app.visitor();
    second.sign_in(first.login(), PASSWORD).await;
    let mut third = app.visitor();
    third.sign_in(first.login(), PASSWORD).await;
    for visitor in [&mut first, &mut second, &mut third] {
        visitor.csrf().await;
    }
    let results = tokio::join!(
        propose(&mut first, round, "Racing proposal one", neighborhoods[1]),
        propose(&mut second, round, "Racing proposal two", neighborhoods[1]),
        propose(&mut third, round, "Racing proposal three", neighborhoods[1]),
    );
    let refused = [results.0, results.1, results.2]
        .into_iter()
        .filter(|(status, _)| *status >= 400)
        .map(|(status, body)| (status, error(&body)))
        .collect::<Vec<_>>();
    assert_eq!(refused, vec![(409, ApiError::ProposalLimit)]);
    assert_eq!(proposal_count(&app).await, 4);
});

on_both_databases!(offices_cost_accept_reject_and_merge, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let round = app
        .round_in(Phase::Proposals, &mut office, RoundOptions::default())
        .await;
    let mut sara = app.verified_resident(neighborhoods[0]).await;
    let mut ids = Vec::new();
    for title in ["Trees on the avenue", "Benches in the park", "Trees along the avenue"] {
        let (status, body) = propose(&mut sara, round, title, neighborhoods[0]).await;
        assert!(status < 400, "{status} {body}");
        ids.push(latest_proposal(&app).await.id);
    }
    let accept = |id: i32, cost: &str| AcceptProposal {
        id,
        cost: cost.to_owned(),
    };
    let reject = |id: i32, reason: &str| RejectProposal {
        id,
        reason: reason.to_owned(),
    };
    let (status, body) = office.send(accept(ids[0], "1000")).await;
    assert_eq!(
        (status, error(&body)),
        (409, ApiError::WrongPhase),
        "review comes first"
    );
    move_to(&mut office, round, &[Phase::Review]).await;

    let (status, body) = office.send(accept(ids[0], "zero")).await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::AmountInvalid.in_review_row(ids[0])),
        "bound to the row it is about"
    );
    let (status, body) = office.send(accept(ids[0], "۲۵۰٬۰۰۰")).await;
    assert!(status < 400, "{status} {body}");
    let (status, body) = office.send(reject(ids[1], " ")).await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::ReasonRequired.in_review_row(ids[1]))
    );
    let (status, body) = office.send(reject(ids[1], "The park is being rebuilt already.")).await;
    assert!(status < 400, "{status} {body}");
    let (status, body) = office
        .send(MergeProposal {
            id: ids[2],
            into: ids[1],
        })
        .await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::MergeTargetInvalid.in_review_row(ids[2])),
        "only into a project"
    );
    let (status, body) = office
        .send(MergeProposal {
            id: ids[2],
            into: ids[2],
        })
        .await;
    assert_eq!(
        (status, error(&body)),
        (400, ApiError::MergeTargetInvalid.in_review_row(ids[2]))
    );
    let (status, body) = office
        .send(MergeProposal {
            id: ids[2],
            into: ids[0],
        })
        .await;
    assert!(status < 400, "{status} {body}");

    let statuses: Vec<(String, Option<i64>)> = proposal::Entity::find()
        .order_by_asc(proposal::Column::Id)
        .all(&app.db)
        .await
        .expect("proposals")
        .into_iter()
        .map(|p| (p.status.tag().to_owned(), p.official_cost_rial))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("accepted".to_owned(), Some(2_500_000)),
            ("rejected".to_owned(), None),
            ("merged".to_owned(), None),
        ]
    );
    let mut public = app.visitor();
    let (_, body) = public.send(ProposalView { id: ids[2] }).await;
    let merged: app::rounds::views::ProposalData = serde_json::from_str(&body).expect("proposal");
    assert_eq!(merged.merged_into.map(|(id, _)| id), Some(ids[0]));
    let (_, body) = public.send(ProposalView { id: ids[1] }).await;
    let rejected: app::rounds::views::ProposalData = serde_json::from_str(&body).expect("proposal");
    assert_eq!(
        rejected.reject_reason.as_deref(),
        Some("The park is being rebuilt already.")
    );
    let page = public.page(&format!("/proposals/{}", ids[0])).await;
    assert!(
        page.contains("۲۵۰٬۰۰۰ تومان"),
        "the official cost in Toman, Persian digits"
    );
    let page = public.page(&format!("/proposals/{}", ids[2])).await;
    assert!(
        page.contains(&format!("href=\"/proposals/{}\"", ids[0])),
        "a merged proposal points to its project"
    );

    let decisions = audit::Entity::find()
        .filter(audit::Column::Action.is_in(["accept-proposal", "reject-proposal", "merge-proposal"]))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(decisions, 3, "each decision is in the audit log, failed ones are not");
});

on_both_databases!(the_public_list_filters_sorts_and_pages, |backend: Backend| async move {
    let app = TestApp::spawn(backend).await;
    let (district, neighborhoods) = app.districts().await[0].clone();
    let mut office = app.staff_of(district).await;
    let options = RoundOptions {
        budget: "۱٬۰۰۰٬۰۰۰٬۰۰۰",
        ..Default::default()
    };
    let round = app.round_in(Phase::Draft, &mut office, options).await;
    let author = app.account("09120000010", PASSWORD, Role::Resident, None).await;
    // 45 proposals: every third about trees, every fifth in the second neighborhood.
    for n in 0..45_i64 {
        let title = if n % 3 == 0 {
            format!("Trees number {n:02}")
        } else {
            format!("Lights number {n:02}")
        };
        app::rounds::proposal_db::insert_proposal(
            &app.db,
            round,
            author,
            false,
            app::rounds::proposal_db::Draft {
                neighborhood_id: neighborhoods[usize::from(n % 5 == 0)],
                title,
                description: format!("{DESCRIPTION} 100% sure, case {n}."),
                category: if n % 2 == 0 { Category::Green } else { Category::Safety },
                location: String::new(),
                estimate_rial: (n % 4 != 0).then_some(1_000 * (50 - n)),
            },
        )
        .await
        .expect("proposal");
    }
    let mut public = app.visitor();
    let unfiltered = RoundView {
        id: round,
        q: None,
        category: None,
        neighborhood: None,
        status: None,
        sort: None,
        page: None,
    };
    let some = |text: &str| Some(text.to_owned());
    async fn fetch(visitor: &mut Visitor, args: RoundView) -> app::rounds::views::RoundData {
        let (status, body) = visitor.send(args).await;
        assert!(status < 400, "{status} {body}");
        serde_json::from_str(&body).expect("round data")
    }

    let all = fetch(&mut public, unfiltered.clone()).await;
    assert_eq!((all.total, all.proposals.len()), (45, 20), "twenty per page");
    assert_eq!(all.proposals[0].title, "Lights number 44", "newest first");
    let last = fetch(
        &mut public,
        RoundView {
            page: some("3"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(last.proposals.len(), 5);
    assert_eq!(last.proposals[4].title, "Trees number 00");

    let trees = fetch(
        &mut public,
        RoundView {
            q: some("Trees"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(trees.total, 15);
    let percent = fetch(
        &mut public,
        RoundView {
            q: some("0% sure"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(percent.total, 45, "a % in the search is a plain character");
    let nothing = fetch(
        &mut public,
        RoundView {
            q: some("_ sure"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(nothing.total, 0, "so is an underscore");
    let green_trees = fetch(
        &mut public,
        RoundView {
            q: some("Trees"),
            category: some("green"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(green_trees.total, 8, "trees at even numbers: 0, 6, …, 42");
    let second = fetch(
        &mut public,
        RoundView {
            neighborhood: Some(neighborhoods[1].to_string()),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(second.total, 9);
    assert!(second.proposals.iter().all(|p| p.neighborhood_id == neighborhoods[1]));
    let accepted = fetch(
        &mut public,
        RoundView {
            status: some("accepted"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(accepted.total, 0);

    let by_title = fetch(
        &mut public,
        RoundView {
            sort: some("title"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert_eq!(by_title.proposals[0].title, "Lights number 01");
    let by_cost = fetch(
        &mut public,
        RoundView {
            sort: some("cost"),
            ..unfiltered.clone()
        },
    )
    .await;
    let costs: Vec<Option<i64>> = by_cost.proposals.iter().map(|p| p.estimate_rial).collect();
    assert_eq!(costs[0], Some(7_000), "cheapest first");
    assert!(costs.windows(2).all(|w| w[0] <= w[1]));
    let by_cost_last = fetch(
        &mut public,
        RoundView {
            sort: some("cost"),
            page: some("3"),
            ..unfiltered.clone()
        },
    )
    .await;
    assert!(
        by_cost_last.proposals.iter().all(|p| p.estimate_rial.is_none()),
        "no cost: last"
    );
    let lenient = fetch(
        &mut public,
        RoundView {
            sort: some("sideways"),
            page: some("-4"),
            status: some("x"),
            ..unfiltered
        },
    )
    .await;
    assert_eq!(lenient.total, 45, "unreadable filters are ignored");

    // Without JavaScript: the page itself, filtered by its address.
    let page = public
        .page(&format!("/rounds/{round}?q=Trees&category=green&sort=title&page=1"))
        .await;
    assert!(
        page.contains("Trees number 06") && !page.contains("Lights number"),
        "filtered on the server"
    );
    assert!(page.contains("پیشنهادهای یافته: ۸"), "counted in Persian");
    let listing = public.page("/rounds").await;
    assert!(listing.contains("بودجهٔ محله ۱۴۰۵") && listing.contains("۱٬۰۰۰٬۰۰۰٬۰۰۰ تومان"));
});

on_both_databases!(
    an_office_enters_a_desk_proposal_corrects_typos_in_review_and_exports_the_round,
    |backend: Backend| async move {
        use app::rounds::office_actions::CorrectProposal;
        use app::rounds::propose::EnterProposal;
        let app = TestApp::spawn(backend).await;
        let districts = app.districts().await;
        let (district, neighborhoods) = districts[0].clone();
        let mut office = app.staff_of(district).await;
        let mut other_office = app.staff_of(districts[1].0).await;
        let round = app
            .round_in(Phase::Proposals, &mut office, RoundOptions::default())
            .await;
        let desk = |resident: &str| EnterProposal {
            round_id: round,
            title: "A ramp at the library".to_owned(),
            description: DESCRIPTION.to_owned(),
            category: "streets".to_owned(),
            neighborhood_id: neighborhoods[0],
            location: String::new(),
            estimate: "۲۰۰٬۰۰۰".to_owned(),
            resident: resident.to_owned(),
        };
        let (status, body) = office.send(desk("  ")).await;
        assert_eq!(
            (status, error(&body)),
            (400, ApiError::ReasonRequired),
            "who brought it is recorded"
        );
        let mut sara = app.verified_resident(neighborhoods[0]).await;
        let (status, body) = sara.send(desk("me")).await;
        assert_eq!(
            (status, error(&body)),
            (403, ApiError::Forbidden),
            "only an office enters for others"
        );
        let (status, body) = other_office.send(desk("Ali, 0912")).await;
        assert_eq!(
            (status, error(&body)),
            (403, ApiError::Forbidden),
            "only the round's own office"
        );
        let (status, body) = office.send(desk("Mina Ahmadi, 09121112233")).await;
        assert!(status < 400, "{status} {body}");
        let entered = latest_proposal(&app).await;
        assert!(entered.entered_at_office);
        assert_eq!(entered.estimate_rial, Some(2_000_000));
        let logged = audit::Entity::find()
            .filter(audit::Column::Action.eq("enter-proposal"))
            .one(&app.db)
            .await
            .expect("audit")
            .expect("the entry is audited");
        assert_eq!(logged.reason, "Mina Ahmadi, 09121112233");
        let page = app.visitor().page(&format!("/proposals/{}", entered.id)).await;
        assert!(page.contains("ثبت‌شده در دفتر منطقه"), "marked as entered at the office");
        assert!(!page.contains("Mina Ahmadi"), "who brought it is not public");

        let (status, _) = propose(&mut sara, round, "Benches by the river", neighborhoods[0]).await;
        assert!(status < 400);
        let hers = latest_proposal(&app).await;
        let fix = |id: i32| CorrectProposal {
            id,
            title: "Benches by the river bank".to_owned(),
            description: DESCRIPTION.replace("long enough", "long-enough"),
        };
        let (status, body) = office.send(fix(hers.id)).await;
        assert_eq!(
            (status, error(&body)),
            (409, ApiError::WrongPhase),
            "corrections come with review"
        );
        move_to(&mut office, round, &[Phase::Review]).await;
        let (status, body) = other_office.send(fix(hers.id)).await;
        assert_eq!((status, error(&body)), (403, ApiError::Forbidden));
        let (status, body) = office.send(fix(hers.id)).await;
        assert!(status < 400, "{status} {body}");
        let corrected = latest_proposal(&app).await;
        assert_eq!(corrected.title, "Benches by the river bank");
        let page = sara.page(&format!("/proposals/{}", hers.id)).await;
        assert!(
            page.contains("<del dir=\"auto\">Benches by the river</del>")
                && page.contains("Benches by the river bank</ins>"),
            "the author sees what changed"
        );
        assert_eq!(
            audit::Entity::find()
                .filter(audit::Column::Action.eq("correct-proposal"))
                .count(&app.db)
                .await
                .expect("audit"),
            1
        );

        let export = format!("/office/rounds/{round}/proposals.csv");
        let file = office.get(&export).await;
        assert_eq!(file.status(), 200);
        assert_eq!(file.headers()["content-type"], "text/csv; charset=utf-8");
        let text = file.text().await.expect("body");
        assert!(
            text.starts_with("\u{feff}شناسه,عنوان,"),
            "a BOM and Persian headings: {text}"
        );
        assert!(text.contains("A ramp at the library") && text.contains("Benches by the river bank"));
        assert_eq!(text.lines().count(), 3, "a heading line and the two proposals");
        assert_eq!(other_office.get(&export).await.status(), 403);
        assert_eq!(sara.get(&export).await.status(), 403);
        assert_eq!(app.visitor().get(&export).await.status(), 401);
    }
);

on_both_databases!(
    a_review_error_is_shown_in_its_row_with_the_focus_there,
    |backend: Backend| async move {
        use leptos::server_fn::ServerFn;
        let app = TestApp::spawn(backend).await;
        let (district, _) = app.districts().await[0].clone();
        let mut office = app.staff_of(district).await;
        let round = app.round_in(Phase::Review, &mut office, RoundOptions::default()).await;
        let second = proposal::Entity::find()
            .filter(proposal::Column::RoundId.eq(round))
            .order_by_asc(proposal::Column::Id)
            .all(&app.db)
            .await
            .expect("proposals")[1]
            .id;
        let page = format!("{}/office/rounds/{round}", office.base);
        let token = office.csrf().await;
        let refused = office
            .client
            .post(format!("{}{}", office.base, <AcceptProposal as ServerFn>::PATH))
            .header(reqwest::header::ACCEPT, "text/html")
            .header(reqwest::header::REFERER, &page)
            .form(&[
                ("id", second.to_string().as_str()),
                ("cost", "zero"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .expect("request");
        let back = refused.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(back.starts_with(&page), "back to the office's page: {back}");
        let html = office.page(back.trim_start_matches(&office.base)).await;
        let row_error = format!(r#"id="review-error-{second}""#);
        assert_eq!(html.matches(&row_error).count(), 1, "the error is in its row");
        assert_eq!(html.matches(" autofocus").count(), 1, "one field takes the focus");
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle} missing"));
        assert!(
            at(&row_error) < at(&format!(r#"aria-describedby="review-error-{second}""#)),
            "the cost field it is about points to it"
        );
        assert!(html.contains("مبلغ"), "in Persian");
    }
);
