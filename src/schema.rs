//! The inventory's JSON Schema: derived from the model (`crate::model`, schemars), printed by
//! `bascule schema`, committed at `schema/inventory.schema.json` for editors, and compiled
//! once (jsonschema) for the loader, which checks every inventory against it before
//! deserialising it.
//!
//! Draft 7: the newest draft that yaml-language-server (VS Code, Zed, Neovim) reads fully.

use crate::model::Inventory;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use serde_json::Value;
use std::sync::OnceLock;

/// Where the committed schema lives, relative to the repository.
pub const COMMITTED_PATH: &str = "schema/inventory.schema.json";

/// `format: uint32` alone does not bound a number (validators ignore unknown formats): give
/// every `u32` its maximum, so that the schema refuses what deserialisation would.
#[derive(Clone)]
struct BoundU32;

impl Transform for BoundU32 {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        if schema.get("format").and_then(Value::as_str) == Some("uint32") {
            schema.insert("maximum".into(), u32::MAX.into());
        }
        transform_subschemas(self, schema);
    }
}

/// The schema as a JSON value.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = SchemaSettings::draft07()
            .with_transform(BoundU32)
            .into_generator();
        let root = generator.into_root_schema_for::<Inventory>();
        root.to_value()
    })
}

/// The schema as `bascule schema` prints it and the repository commits it: pretty JSON,
/// keys in the model's order, one final newline.
pub fn text() -> String {
    let mut s = serde_json::to_string_pretty(schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// The compiled validator (Draft 7; patterns through the `regex` crate, whose matching time
/// is linear in the input, so that no value makes the check slow).
pub fn validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .with_pattern_options(jsonschema::PatternOptions::regex())
                .should_validate_formats(false)
                .build(schema())
                .ok()
        })
        .as_ref()
}

/// The schema node at `pointer` (a JSON pointer into the schema), following a `$ref` there.
#[cfg(test)]
pub(crate) fn node(pointer: &str) -> Option<&'static Value> {
    resolve(schema().pointer(pointer)?)
}

/// `node` itself, or what its `$ref` (or a lone `allOf: [{$ref}]`) points to.
pub fn resolve(node: &'static Value) -> Option<&'static Value> {
    let mut node = node;
    for _ in 0..8 {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            node = schema().pointer(r.strip_prefix('#')?)?;
        } else if let Some([only]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            node = only;
        } else {
            return Some(node);
        }
    }
    None
}

#[cfg(test)]
mod tests;
