//! Every public address the server routes outside the pages' router, in one
//! place: the pages build links with these, the server mounts its handlers at
//! them.

/// Where the office's census form posts its file (a plain multipart form).
pub const CENSUS_UPLOAD: &str = "/office/census";
/// An empty census file with its header, to fill in a spreadsheet program.
pub const CENSUS_TEMPLATE: &str = "/office/census-template.csv";

/// A round's proposals as a spreadsheet file, for its office.
pub const PROPOSALS_EXPORT: &str = "/office/rounds/{id}/proposals.csv";

pub fn proposals_export(round_id: i32) -> String {
    format!("/office/rounds/{round_id}/proposals.csv")
}

/// The ballot page, which its plain form (without JavaScript) posts to as well.
pub const BALLOT_FORM: &str = "/rounds/{id}/ballot";

pub fn ballot_form(round_id: i32) -> String {
    format!("/rounds/{round_id}/ballot")
}

/// The files of a published result.
pub const RESULT_DOWNLOAD: &str = "/rounds/{id}/results/{version}/{file}";

pub fn result_download(round_id: i32, version: i32, file: &str) -> String {
    format!("/rounds/{round_id}/results/{version}/{file}")
}

/// The anonymous ballots of a result, in the Pabulib format.
pub const BALLOTS_FILE: &str = "ballots.pb";
pub const CSV_FILE: &str = "results.csv";
pub const JSON_FILE: &str = "results.json";
