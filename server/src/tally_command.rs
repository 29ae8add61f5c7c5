//! PLACEHOLDER until the tally engine lands (helper overwrites this file).
#[derive(clap::Args, Debug)]
pub struct TallyArgs {
    pub file: std::path::PathBuf,
}
#[derive(Debug, thiserror::Error)]
pub enum TallyCommandError {
    #[error("not yet")]
    NotYet,
}
pub fn run(_args: &TallyArgs) -> Result<(), TallyCommandError> {
    Err(TallyCommandError::NotYet)
}
