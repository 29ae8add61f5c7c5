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
        assert_eq!(staff.send(OfficeOverview {}).await.0, 200);
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
        let (status, body) = staff.send(OfficeOverview {}).await;
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
        let audit = app::accounts::audit::recent(&app.db, 5).await.expect("audit");
        assert!(
            audit
                .iter()
                .any(|e| e.action == "disable-account" && e.subject == format!("account:{staff_id}"))
        );
    }
);
