//! The *render* stage: each module reads the plan and produces one kind of output.
//! None of them derives a fact: colours, counts and moves come from [`crate::plan`].

pub mod document;
pub mod site;
pub mod tickets;
