//! `bascule diff`: what a change of the inventory does in plan terms — VMs, colours and
//! actions per state, DNS moves, tickets, counts, document facts — not in text.
//!
//! `sides.rs` reads and plans each side (a file, or Git at a revision), `compare.rs` turns
//! two plans into a [`Diff`] (`facts.rs` compares an instance's own facts, `rows.rs` collects
//! the rows; `types.rs`: the comparison as data), `render.rs` prints it as text, Markdown or JSON.

mod compare;
mod facts;
mod render;
mod rows;
mod sides;
mod types;

pub use compare::compare;
pub use render::{Format, json_text, render};
pub use sides::Side;
pub use types::*;

#[cfg(test)]
mod tests;
