//! bascule: one inventory YAML → the French migration document, annexe schemas,
//! Octopus tickets, and a check that they all agree.
//!
//! The pipeline runs one way: [`load`] → [`validate`] → [`plan`] → [`render`] → [`write`].

pub mod diag;
pub mod load;
pub mod model;
pub mod date;
pub mod plan;
pub mod font;
pub mod render;
