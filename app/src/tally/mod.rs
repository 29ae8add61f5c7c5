//! PLACEHOLDER until the tally engine lands (helper overwrites this file).
