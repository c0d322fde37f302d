//! bascule: one inventory YAML → the French migration document, annexe schemas,
//! Octopus tickets, and a check that they all agree.
//!
//! The pipeline runs one way: [`load`] → [`validate`] → [`plan`] → [`render`] → [`write`].

pub mod bounds;
pub mod check;
pub mod date;
pub mod diag;
pub mod diff;
pub(crate) mod files;
pub mod font;
pub mod french;
pub mod init;
pub mod journal;
pub mod labels;
pub mod load;
pub(crate) mod locale;
pub mod model;
pub(crate) mod overrides;
pub mod pipeline;
pub mod plan;
pub mod probe;
pub mod render;
#[doc(hidden)]
pub mod sample;
pub mod schema;
pub mod send;
#[cfg(feature = "serve")]
pub mod serve;
pub mod templates;
pub(crate) mod timeline;
pub mod validate;
pub mod write;

/// Test fixtures shared by the unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    /// The repo's own inventory, as the binary embeds nothing of it.
    pub(crate) const SEED: &str = include_str!("../inventory/moodle-3.5.yaml");

    pub(crate) fn seed_inventory() -> crate::model::Inventory {
        crate::load::load_bytes("moodle-3.5.yaml", SEED.as_bytes())
            .expect("the seed inventory loads")
            .1
    }

    pub(crate) fn seed_plan() -> crate::plan::Plan {
        plan_of(SEED)
    }

    /// The plan of an inventory text (which must load and validate).
    pub(crate) fn plan_of(text: &str) -> crate::plan::Plan {
        let (_, inv) = crate::load::load_bytes("t.yaml", text.as_bytes()).expect("loads");
        plan_with(&inv, &crate::labels::Labels::defaults())
    }

    /// The plan of `inv` (which must validate, as `build` asks) with `labels`.
    pub(crate) fn plan_with(
        inv: &crate::model::Inventory,
        labels: &crate::labels::Labels,
    ) -> crate::plan::Plan {
        crate::pipeline::plan_built("t.yaml", inv, labels).expect("validates and plans")
    }
}
