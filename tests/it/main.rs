//! The integration tests, as one binary: each module is one promise of the README (build,
//! check, trust, tickets, site, exports…), run against the real `bascule` binary or the
//! library. One binary, not one per file: each links Typst, and twenty of them filled the
//! disk of a CI machine and took minutes to link.

#[path = "../common/mod.rs"]
mod common;

mod adversarial;
mod annexe;
mod build;
mod check;
mod diff;
mod editor;
mod examples;
mod export;
mod hygiene;
mod init;
#[cfg(feature = "pdf")]
mod joined;
mod language;
mod migrations;
mod mistakes;
mod outputs;
mod probe;
mod property;
mod robustness;
mod runbooks;
mod scale;
mod schema;
mod send;
mod site;
mod tickets;
mod trust;
mod validators;
