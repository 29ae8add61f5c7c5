//! Who is looking at a page: their account and role. Shared by the server,
//! which decides every permission, and the browser, which only shows things.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Resident,
    /// Staff of one district office; they act on that district and its neighborhoods only.
    Staff,
    /// City administrators: areas and staff accounts.
    Admin,
}

impl Role {
    pub fn tag(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    /// Unknown tags read as the least privileged role.
    pub fn from_tag(tag: &str) -> Role {
        match tag {
            "staff" => Role::Staff,
            "admin" => Role::Admin,
            _ => Role::Resident,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i32,
    pub login: String,
    pub role: Role,
    pub district_id: Option<i32>,
}

impl Viewer {
    /// Whether this viewer may act for the office of `district_id`.
    pub fn manages(&self, district_id: i32) -> bool {
        self.role == Role::Staff && self.district_id == Some(district_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_manage_their_own_district_only() {
        let staff = Viewer {
            id: 1,
            login: "a@b.ir".into(),
            role: Role::Staff,
            district_id: Some(2),
        };
        assert!(staff.manages(2));
        assert!(!staff.manages(3));
        let admin = Viewer {
            role: Role::Admin,
            district_id: None,
            ..staff
        };
        assert!(
            !admin.manages(2),
            "administrators set up the city, they do not run district offices"
        );
    }

    #[test]
    fn role_tags_round_trip() {
        for role in [Role::Resident, Role::Staff, Role::Admin] {
            assert_eq!(Role::from_tag(role.tag()), role);
        }
        assert_eq!(Role::from_tag("root"), Role::Resident);
    }
}
