//! Administrators disable staff accounts, on SQLite and PostgreSQL: the
//! account's sessions end at once, it cannot sign in again, and only an
//! administrator may do it, to staff and administrator accounts other than
//! their own.

use crate::common;

use app::accounts::admin::DisableAccount;
use app::accounts::sign_in::Login;
use app::accounts::viewer::{Role, Viewer};
use app::error::ApiError;
use app::shell::header::Whoami;
use app::verification::office_page::OfficeOverview;
use common::{Backend, PASSWORD, TestApp, Visitor, error};

async fn id_of(visitor: &mut Visitor) -> i32 {
    let (_, me) = visitor.send(Whoami {}).await;
    serde_json::from_str::<Viewer>(&me).expect("signed in").id
}

on_both_databases!(
    a_disabled_staff_account_is_signed_out_and_stays_out,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (district, neighborhoods) = app.districts().await[0].clone();
        let admin_id = app.account("admin@city.example", PASSWORD, Role::Admin, None).await;
        let mut admin = app.visitor();
        admin.sign_in("admin@city.example", PASSWORD).await;
        let mut staff = app.staff_of(district).await;
        let staff_id = id_of(&mut staff).await;
        assert_eq!(
            staff
                .send(OfficeOverview {
                    q: String::new(),
                    neighborhood: String::new()
                })
                .await
                .0,
            200
        );
        let mut resident = app.verified_resident(neighborhoods[0]).await;
        let resident_id = id_of(&mut resident).await;

        let disable = |account_id| DisableAccount { account_id };
        for (who, visitor) in [("staff", &mut staff), ("a resident", &mut resident)] {
            let (status, body) = visitor.send(disable(admin_id)).await;
            assert_eq!(
                (status, error(&body)),
                (403, ApiError::Forbidden),
                "{who} may not disable accounts"
            );
        }
        let (status, body) = admin.send(disable(admin_id)).await;
        assert_eq!((status, error(&body)), (400, ApiError::BadRequest), "not one's own");
        let (status, body) = admin.send(disable(resident_id)).await;
        assert_eq!(
            (status, error(&body)),
            (404, ApiError::NotFound),
            "residents are not disabled"
        );

        let (status, body) = admin.send(disable(staff_id)).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = staff
            .send(OfficeOverview {
                q: String::new(),
                neighborhood: String::new(),
            })
            .await;
        assert_eq!(
            (status, error(&body)),
            (401, ApiError::NotSignedIn),
            "the session ended"
        );
        let (status, body) = app
            .visitor()
            .send(Login {
                login: staff.login().to_owned(),
                password: PASSWORD.to_owned(),
            })
            .await;
        assert_eq!(
            (status, error(&body)),
            (403, ApiError::AccountDisabled),
            "and cannot begin again"
        );
        let (status, _) = admin.send(disable(staff_id)).await;
        assert_eq!(status, 404, "disabled once");
        assert_eq!(resident.send(Whoami {}).await.0, 200, "others are left alone");
        let audit = app::accounts::audit::recent(&app.db, &Default::default(), 5)
            .await
            .expect("audit");
        assert!(
            audit
                .iter()
                .any(|e| e.action == "disable-account" && e.subject == format!("account:{staff_id}"))
        );
    }
);

/// The rows of the audit table of an `/admin` page (the filter's options name
/// every action, so only the table's body is looked at).
fn audit_rows(page: &str) -> Vec<String> {
    page.split_once("<tbody>")
        .and_then(|(_, rest)| rest.split_once("</tbody>"))
        .map_or_else(Vec::new, |(body, _)| {
            body.split("</tr>")
                .filter(|r| r.contains("<td"))
                .map(str::to_owned)
                .collect()
        })
}

on_both_databases!(
    the_audit_log_reads_in_persian_and_filters_by_who_what_and_when,
    |backend: Backend| async move {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let app = TestApp::spawn(backend).await;
        let (district, _) = app.districts().await[0].clone();
        app.account("admin@city.example", PASSWORD, Role::Admin, None).await;
        let mut admin = app.visitor();
        admin.sign_in("admin@city.example", PASSWORD).await;
        app::accounts::audit::ActiveModel {
            at: Set(chrono::Utc::now() - chrono::Duration::days(10)),
            actor_id: Set(None),
            action: Set("create-admin".to_owned()),
            district_id: Set(None),
            subject: Set("account:1".to_owned()),
            reason: Set(String::new()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("an older entry");
        let (status, body) = admin
            .send(app::accounts::admin::CreateStaff {
                login: "09121234567".to_owned(),
                password: PASSWORD.to_owned(),
                district_id: district,
            })
            .await;
        assert_eq!(status, 200, "{body}");

        let all = audit_rows(&admin.page("/admin").await);
        assert_eq!(all.len(), 2, "{all:?}");
        let newest = &all[0];
        assert!(
            newest.contains("حساب کارمند ساخته شد"),
            "the action by its Persian name: {newest}"
        );
        assert!(
            newest.contains("حساب ") && newest.chars().any(|c| ('۰'..='۹').contains(&c)),
            "the subject in Persian words and digits: {newest}"
        );
        assert!(newest.contains("admin@city.example"), "{newest}");
        assert!(
            newest.contains("، ساعت "),
            "a Solar Hijri date and Tehran's time: {newest}"
        );
        assert!(
            all[1].contains("خط فرمان سرور"),
            "the command line is named: {}",
            all[1]
        );
        for row in &all {
            assert!(
                !row.contains("create-") && !row.contains("UTC") && !row.contains("account:"),
                "{row}"
            );
            let when = row.split("</td>").next().unwrap_or_default();
            assert!(!when.chars().any(|c| c.is_ascii_digit()), "Persian digits only: {when}");
        }

        let only = |rows: Vec<String>, what: &str| {
            assert_eq!(rows.len(), 1, "{what}: {rows:?}");
            rows[0].clone()
        };
        assert!(
            only(audit_rows(&admin.page("/admin?who=cli").await), "by the command line")
                .contains("حساب مدیر شهر ساخته شد")
        );
        assert!(
            only(audit_rows(&admin.page("/admin?what=create-staff").await), "one action")
                .contains("حساب کارمند ساخته شد")
        );
        assert!(only(audit_rows(&admin.page("/admin?days=۷").await), "the last week").contains("حساب کارمند ساخته شد"));
        let none = admin.page("/admin?who=cli&what=create-staff").await;
        assert!(audit_rows(&none).is_empty() && none.contains("هیچ رویدادی با این فیلتر ثبت نشده است."));
        assert_eq!(
            audit_rows(&admin.page("/admin?who=nobody&what=drop-table&days=-1").await).len(),
            2,
            "what names nothing filters nothing"
        );
    }
);
