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
    assert_eq!((status, error(&body)), (400, ApiError::AmountInvalid));
    let (status, body) = office.send(accept(ids[0], "۲۵۰٬۰۰۰")).await;
    assert!(status < 400, "{status} {body}");
    let (status, body) = office.send(reject(ids[1], " ")).await;
    assert_eq!((status, error(&body)), (400, ApiError::ReasonRequired));
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
        (400, ApiError::MergeTargetInvalid),
        "only into a project"
    );
    let (status, body) = office
        .send(MergeProposal {
            id: ids[2],
            into: ids[2],
        })
        .await;
    assert_eq!((status, error(&body)), (400, ApiError::MergeTargetInvalid));
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
