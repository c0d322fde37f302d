//! The labels file: every short French string that is not a sentence of a template —
//! colour and action words, state labels and headings, annexe texts, the words of the
//! ticket listing. Defaults are embedded (`templates/labels.yaml`); a `labels.yaml` in the
//! templates folder overrides the keys it gives. Each label is a small Tera template with the
//! French filters of [`crate::locale::register_filters`].

use crate::diag::{Code, Diagnostic, Pos, Text, chain};
use crate::msg;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};

/// The file name, embedded and in the templates folder.
pub const FILE: &str = "labels.yaml";
const DEFAULT: &str = include_str!("../templates/labels.yaml");

/// Every label, defaults overridden by the writer's, compiled once and rendered by key.
pub struct Labels {
    tera: Tera,
}

fn error(file: &str, message: Text) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(Code::E0407, file, Pos::default(), message)
            .with_help(crate::msg!("labels.help")),
    )
}

/// `a: { b: x }` → `a.b` → `x`; every leaf must be a string.
fn flatten(
    file: &str,
    prefix: &str,
    v: &Value,
    out: &mut BTreeMap<String, String>,
) -> Result<(), Box<Diagnostic>> {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(file, &key, child, out)?;
            }
            Ok(())
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
            Ok(())
        }
        Value::Number(n) => {
            out.insert(prefix.to_string(), n.to_string());
            Ok(())
        }
        _ => Err(error(file, msg!("labels.not_text", key = prefix))),
    }
}

fn parse(file: &str, text: &str) -> Result<BTreeMap<String, String>, Box<Diagnostic>> {
    let v: Value = serde_saphyr::from_str(text).map_err(|e| {
        error(
            file,
            msg!("labels.not_labels", reason = e.without_snippet()),
        )
    })?;
    let mut out = BTreeMap::new();
    flatten(file, "", &v, &mut out)?;
    Ok(out)
}

impl Labels {
    /// The embedded labels, with the keys of `dir/labels.yaml` (if it exists) replacing
    /// theirs. A key the defaults do not have is an error: it would never be shown.
    pub fn load(dir: Option<&Path>) -> Result<Labels, Box<Diagnostic>> {
        let mut labels = parse(&format!("(embedded) {FILE}"), DEFAULT)?;
        let path = dir.map(|d| d.join(FILE));
        let found = match &path {
            Some(p) => crate::overrides::read_override(p).map_err(|e| {
                error(
                    &p.display().to_string(),
                    msg!("labels.unreadable", reason = e),
                )
            })?,
            None => None,
        };
        if let (Some(path), Some(text)) = (path, found) {
            let file = path.display().to_string();
            for (k, v) in parse(&file, &text)? {
                if !labels.contains_key(&k) {
                    return Err(error(&file, msg!("labels.unknown", key = k)));
                }
                labels.insert(k, v);
            }
        }
        let mut tera = Tera::new();
        crate::locale::register_filters(&mut tera);
        // One batch: Tera links its templates again after every single addition, which
        // made loading the labels quadratic (6 ms of a 60 ms build).
        if let Err(e) = tera.add_raw_templates(&labels) {
            return Err(faulty_label(&labels)
                .unwrap_or_else(|| error(FILE, msg!("labels.tera", reason = chain(&e, ": ")))));
        }
        Ok(Labels { tera })
    }

    /// The embedded labels (they are tested to load).
    pub fn defaults() -> Labels {
        Labels::load(None).unwrap_or_else(|_| Labels { tera: Tera::new() })
    }

    /// Label `key` rendered with `ctx` (a JSON object of its variables).
    pub fn text(&self, key: &str, ctx: &Value) -> Result<String, Box<Diagnostic>> {
        let ctx = Context::from_serialize(ctx)
            .map_err(|e| error(FILE, msg!("labels.tera", reason = chain(&e, ": "))))?;
        self.tera.render(key, &ctx).map_err(|e| {
            error(
                FILE,
                msg!("labels.label", key = key, reason = chain(&e, ": ")),
            )
        })
    }

    /// The label a state gets from its kind, date and offset: `2018-12-12`, `M-7`, `jour M`,
    /// `M+30` (the inventory's `label`, when given, is only compared with it).
    pub fn state_label(
        &self,
        st: &crate::model::State,
        style: crate::french::DateStyle,
    ) -> Result<String, Box<Diagnostic>> {
        let vars = serde_json::json!({
            "n": st.offset_days.as_ref().map_or(0, |o| o.value),
            "date": st.date.as_ref().map(|d| crate::french::date(&d.value, style)),
        });
        self.text(&format!("state.label.{}", st.kind.value.key()), &vars)
    }

    /// A label without variables.
    pub fn plain(&self, key: &str) -> Result<String, Box<Diagnostic>> {
        self.text(key, &Value::Object(Default::default()))
    }
}

/// The first label that Tera refuses on its own, named: the batch's error does not say
/// which one it was.
fn faulty_label(labels: &BTreeMap<String, String>) -> Option<Box<Diagnostic>> {
    labels.iter().find_map(|(k, v)| {
        let mut probe = Tera::new();
        crate::locale::register_filters(&mut probe);
        let e = probe.add_raw_template(k, v).err()?;
        Some(error(FILE, msg!("labels.label", key = k, reason = e)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_load_and_render() {
        let l = Labels::load(None).unwrap();
        assert_eq!(l.plain("colour.red.word").unwrap(), "rouge");
        assert_eq!(
            l.text("state.heading.after", &json!({"n": 30, "label": "M+30"}))
                .unwrap(),
            "État 30\u{a0}jours après la migration (M+30)"
        );
        assert_eq!(
            l.text(
                "state.heading.before",
                &json!({"n": 1, "label": "M-1", "date": "2019-01-13"})
            )
            .unwrap(),
            "État 1\u{a0}jour avant la migration (M-1, 2019-01-13)"
        );
        assert_eq!(
            l.text(
                "cell.busy",
                &json!({"actions": ["○ a", "× b"], "word": "rouge"})
            )
            .unwrap(),
            "○ a\u{202f}; × b (rouge)"
        );
        let d = l
            .text(
                "annexe.description",
                &json!({"subject": "de la migration d’Examens vers Moodle 4.1",
                        "vms": 1, "states": ["a", "b", "c"], "legend": ["x"],
                        "creations": 0, "deletions": 2, "moves": 1}),
            )
            .unwrap();
        assert!(d.starts_with("Schéma de la migration d’Examens vers Moodle 4.1\u{a0}: 1 machine virtuelle sur 3 états"), "{d}");
        assert!(
            d.contains("0 création, 2 suppressions, 1 changement de DNS."),
            "{d}"
        );
    }

    #[test]
    fn an_override_replaces_only_its_keys_and_unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "colour:\n  red:\n    word: écarlate\n",
        )
        .unwrap();
        let l = Labels::load(Some(dir.path())).unwrap();
        assert_eq!(l.plain("colour.red.word").unwrap(), "écarlate");
        assert_eq!(l.plain("colour.blue.word").unwrap(), "bleu");
        std::fs::write(dir.path().join(FILE), "colour:\n  rouge: x\n").unwrap();
        let e = Labels::load(Some(dir.path())).err().unwrap();
        assert_eq!(e.code, Code::E0407);
        assert!(
            e.message.en().contains("unknown label `colour.rouge`"),
            "{}",
            e.message.en()
        );
        std::fs::write(dir.path().join(FILE), "colour: [1, 2]\n").unwrap();
        assert!(Labels::load(Some(dir.path())).is_err());
        std::fs::write(dir.path().join(FILE), "vm:\n  deleted: \"{{ nope\"\n").unwrap();
        let e = Labels::load(Some(dir.path())).err().unwrap();
        assert_eq!(e.code, Code::E0407);
        // Loaded in one batch, yet the fault names its label.
        assert!(
            e.message.en().starts_with("label `vm.deleted`: "),
            "{}",
            e.message.en()
        );
    }

    #[test]
    fn an_unknown_variable_is_an_error_not_an_empty_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "vm:\n  deleted: \"{{ nope }}\"\n").unwrap();
        let l = Labels::load(Some(dir.path())).unwrap();
        let e = l.plain("vm.deleted").unwrap_err();
        assert!(e.message.en().contains("nope"), "{}", e.message.en());
    }
}
