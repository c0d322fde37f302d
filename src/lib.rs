//! bascule: one inventory YAML → the French migration document, annexe schemas,
//! Octopus tickets, and a check that they all agree.
//!
//! The pipeline runs one way: [`load`] → [`validate`] → [`plan`] → [`render`] → [`write`].

pub mod check;
pub mod date;
pub mod diag;
pub mod font;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod templates;
pub mod validate;
pub mod write;
