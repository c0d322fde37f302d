//! Schema faults in the writer's words: each located on the node it is about, with a fix
//! (« `dns` takes a list: write `dns: [a.b.ca]` », « did you mean `delete`? », « write
//! 2024-01-15 »). An unknown key next to the missing key it was meant to be is one fault.

use super::shape::Fault;
use super::tree::{self, Located, Node};
use crate::diag::{Code, Diagnostic, Pos, Text, did_you_mean, shown};
use crate::msg;
use serde_saphyr::Spanned;

/// A fault's code, message and help.
type Words = (Code, Text, Text);

/// Every fault as a diagnostic, sorted by position.
pub(super) fn diagnostics(file: &str, root: &Spanned<Node>, faults: Vec<Fault>) -> Vec<Diagnostic> {
    let words = Faults { file, root };
    let (keys, others): (Vec<Fault>, Vec<Fault>) = faults
        .into_iter()
        .partition(|f| matches!(f, Fault::Unknown { .. } | Fault::Missing { .. }));
    let mut out: Vec<Diagnostic> = others.iter().filter_map(|f| words.value(f)).collect();
    out.extend(words.keys(keys));
    crate::diag::sort(&mut out);
    out.dedup();
    out
}

/// The dates of a deserialised inventory that are not written AAAA-MM-JJ (the schema's
/// pattern, `Fault::Date`), in the same words.
pub(super) fn dates(file: &str, inv: &crate::model::Inventory) -> Vec<Diagnostic> {
    let states = inv.states.iter().filter_map(|s| s.date.as_ref());
    let jours = inv.instances.iter().filter_map(|i| i.jour_m.as_ref());
    std::iter::once(&inv.document.decision.date)
        .chain(states)
        .chain(jours)
        .filter(|d| !crate::date::has_shape(&d.value))
        .map(|d| {
            let (code, msg, help) = date_words(&d.value);
            Diagnostic::error(code, file, Pos::from(d), msg).with_help(help)
        })
        .collect()
}

struct Faults<'t> {
    file: &'t str,
    root: &'t Spanned<Node>,
}

impl Faults<'_> {
    fn locate(&self, at: &str) -> Option<Located<'_>> {
        tree::locate(self.root, at)
    }

    fn error(&self, code: Code, pos: Pos, msg: Text, help: Text) -> Diagnostic {
        Diagnostic::error(code, self.file, pos, msg).with_help(help)
    }

    /// Unknown and missing keys, mapping by mapping: an unknown key close to a missing one
    /// (or the only unknown beside the only missing) is reported once, as « did you mean ».
    fn keys(&self, faults: Vec<Fault>) -> Vec<Diagnostic> {
        type Keys = (Vec<(String, Vec<String>)>, Vec<(String, Option<String>)>);
        let mut by_mapping: std::collections::BTreeMap<String, Keys> = Default::default();
        for f in faults {
            match f {
                Fault::Unknown { at, key, allowed } => {
                    by_mapping.entry(at).or_default().0.push((key, allowed));
                }
                Fault::Missing {
                    at,
                    key,
                    description,
                } => by_mapping.entry(at).or_default().1.push((key, description)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for (at, (unknown, mut missing)) in by_mapping {
            let lone = unknown.len() == 1 && missing.len() == 1;
            for (key, allowed) in unknown {
                let meant = did_you_mean(&key, missing.iter().map(|(k, _)| k.as_str()))
                    .map(str::to_string)
                    .or_else(|| lone.then(|| missing[0].0.clone()));
                if let Some(m) = &meant {
                    missing.retain(|(k, _)| k != m);
                }
                out.extend(self.unknown(&at, &key, &allowed, meant.as_deref()));
            }
            out.extend(
                missing
                    .iter()
                    .filter_map(|(key, d)| self.missing(&at, key, d.as_deref())),
            );
        }
        out
    }

    fn unknown(
        &self,
        at: &str,
        key: &str,
        allowed: &[String],
        meant: Option<&str>,
    ) -> Option<Diagnostic> {
        let here = self.locate(at)?;
        let pos = match here.node {
            Node::Map(m) => m.get(key).map_or(here.at, |(k, _)| tree::pos(k)),
            _ => here.at,
        };
        let help = match meant {
            Some(m) => msg!("words.meant", key = m),
            None => match did_you_mean(key, allowed.iter().map(String::as_str)) {
                Some(s) => msg!("did_you_mean", word = s),
                None if allowed.is_empty() => msg!("load.remove_key"),
                None => msg!("words.keys_here", keys = allowed.join(", ")),
            },
        };
        let text = msg!("words.unknown_key", key = shown(key));
        Some(self.error(Code::E0010, pos, text, help))
    }

    fn missing(&self, at: &str, key: &str, description: Option<&str>) -> Option<Diagnostic> {
        let here = self.locate(at)?;
        let end = tree::last_line(here.node).unwrap_or(0);
        let help = msg!(
            "words.missing.help",
            key = key,
            end = if end > here.at.line {
                end.to_string()
            } else {
                String::new()
            },
            description = description.unwrap_or_default()
        );
        let text = msg!("words.missing", key = key);
        Some(self.error(Code::E0012, here.at, text, help))
    }

    /// A fault about a value: where it is (its key, when the value is empty), what it is.
    fn value(&self, f: &Fault) -> Option<Diagnostic> {
        let here = self.locate(f.at())?;
        let pos = match (here.node, here.key) {
            (Node::Null, Some(k)) => k,
            _ => here.at,
        };
        let subject = subject(f.at());
        let name = &subject.name;
        let (code, text, help) = match f {
            Fault::Type { want, keys, .. } => type_words(&subject, want, keys, here.node),
            Fault::Value { values, tags, .. } => value_words(name, values, tags, here.node),
            Fault::Bare {
                tag, takes_object, ..
            } => {
                let example = if *takes_object { "{ … }" } else { "…" };
                let help = smallest_form(tag)
                    .unwrap_or_else(|| msg!("words.bare.help", tag = tag, example = example));
                (Code::E0013, msg!("words.bare", tag = tag), help)
            }
            Fault::NotTag { tag, .. } => (
                Code::E0013,
                msg!("words.not_tag", tag = tag),
                msg!("words.not_tag.help", tag = tag),
            ),
            Fault::Tags { keys, .. } => (
                Code::E0013,
                msg!("words.tags", keys = keys.join(", ")),
                msg!("words.tags.help"),
            ),
            Fault::Range { min, .. } => range_words(name, *min),
            Fault::Date { .. } => date_words(&text(here.node)),
            Fault::Unknown { .. } | Fault::Missing { .. } => return None,
        };
        Some(self.error(code, pos, text, help))
    }
}

/// How a message names the node at a pointer (`` `dns` ``, `` an item of `vms` ``, `the
/// inventory`), and its key when it is the value of one.
struct Subject {
    name: Text,
    key: Option<String>,
    /// The node is the whole inventory.
    root: bool,
}

fn subject(at: &str) -> Subject {
    let mut segs = at.rsplit('/');
    let (last, parent) = (segs.next().unwrap_or_default(), segs.next());
    if at.is_empty() {
        return Subject {
            name: msg!("words.subject.inventory"),
            key: None,
            root: true,
        };
    }
    if last.parse::<usize>().is_ok() {
        let name = match parent {
            Some(p) if !p.is_empty() && p.parse::<usize>().is_err() => {
                msg!("words.subject.item_of", key = unescape(p))
            }
            _ => msg!("words.subject.item"),
        };
        return Subject {
            name,
            key: None,
            root: false,
        };
    }
    let key = unescape(last);
    Subject {
        name: msg!("words.subject.key", key = &key),
        key: Some(key),
        root: false,
    }
}

fn unescape(seg: &str) -> String {
    shown(&seg.replace("~1", "/").replace("~0", "~"))
}

/// A scalar as the writer wrote it (a number or a boolean by its JSON text).
fn text(node: &Node) -> String {
    match node {
        Node::Str(s) => s.clone(),
        Node::Seq(_) | Node::Map(_) => String::new(),
        other => tree::key_text(other),
    }
}

fn value_words(name: &Text, values: &[String], tags: &[String], got: &Node) -> Words {
    let v = text(got);
    let mut written: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    written.extend(tags.iter().map(|t| format!("`{t}: …`")));
    let one_of = msg!("words.one_of", values = written.join(", "));
    let allowed: Vec<&str> = values.iter().chain(tags).map(String::as_str).collect();
    let (text, help) = match got {
        Node::Null => (msg!("words.empty", name = name.clone()), one_of),
        Node::Seq(_) | Node::Map(_) => (msg!("words.one_value", name = name.clone()), one_of),
        _ => (
            msg!(
                "words.unknown_value",
                value = shown(&v),
                name = name.clone()
            ),
            match did_you_mean(&v, allowed.iter().copied()) {
                Some(s) => msg!("did_you_mean", word = s),
                None => one_of,
            },
        ),
    };
    (Code::E0011, text, help)
}

fn type_words(s: &Subject, want: &[String], keys: &[String], got: &Node) -> Words {
    let wants = |t: &str| want.iter().any(|w| w == t);
    if wants("array") {
        return list_words(s, got);
    }
    if wants("object") {
        return mapping_words(s, keys, got);
    }
    let (name, key) = (&s.name, s.key.as_deref().unwrap_or_default());
    if wants("integer") {
        return integer_words(name, key, got);
    }
    match got {
        Node::Null if wants("string") => (
            Code::E0120,
            msg!("words.empty", name = name.clone()),
            msg!("words.text.help", key = key),
        ),
        _ if wants("string") => (
            Code::E0013,
            msg!("words.text", name = name.clone()),
            msg!("words.quotes.help"),
        ),
        _ => (
            Code::E0013,
            msg!("words.takes", name = name.clone(), want = want.join(" | ")),
            msg!("words.format.help"),
        ),
    }
}

fn list_words(s: &Subject, got: &Node) -> Words {
    let name = s.name.clone();
    let value = shown(&text(got));
    let (text, help) = match (got, &s.key) {
        (Node::Null, Some(k)) => (
            msg!("words.empty", name = name),
            msg!("words.list_empty.help", key = k),
        ),
        (Node::Map(_), _) => (
            msg!("words.list", name = name),
            msg!("words.list_items.help"),
        ),
        (_, Some(k)) => (
            msg!("words.list_value", name = name, key = k, value = &value),
            msg!("words.list_value.help"),
        ),
        (_, None) => (
            msg!("words.list", name = name),
            msg!("words.list_bracket.help", value = &value),
        ),
    };
    (Code::E0013, text, help)
}

/// The smallest valid form of a key whose keys are all optional, when a writer may not know
/// them yet: a creation before its Octopus number.
fn smallest_form(key: &str) -> Option<Text> {
    (key == "create").then(|| msg!("words.create.help"))
}

fn mapping_words(s: &Subject, keys: &[String], got: &Node) -> Words {
    let example: Vec<String> = keys.iter().map(|k| format!("`{k}: …`")).collect();
    let example = if example.is_empty() {
        msg!("words.format.help")
    } else {
        msg!("words.example", keys = example.join(", "))
    };
    let help = match (got, &s.key) {
        (Node::Seq(_), _) => msg!("words.not_list.help"),
        (_, Some(k)) => smallest_form(k)
            .unwrap_or_else(|| msg!("words.keys_below.help", key = k, example = example)),
        (_, None) if s.root => msg!("words.start_with.help", example = example),
        (_, None) => msg!("words.keys_item.help", example = example),
    };
    (Code::E0013, msg!("words.keys", name = s.name.clone()), help)
}

fn integer_words(name: &Text, key: &str, got: &Node) -> Words {
    let digits: String = text(got).chars().filter(char::is_ascii_digit).collect();
    if key == "ticket" {
        let n = if digits.is_empty() || digits.len() > 9 {
            "120451".to_string()
        } else {
            digits
        };
        return (
            Code::E0013,
            msg!("words.ticket", n = n),
            msg!("words.ticket.help"),
        );
    }
    let text = if matches!(got, Node::Null) {
        msg!("words.integer_empty", name = name.clone())
    } else {
        msg!("words.integer", name = name.clone())
    };
    (Code::E0013, text, msg!("words.integer.help", key = key))
}

fn range_words(name: &Text, min: bool) -> Words {
    let text = if min {
        msg!("words.negative", name = name.clone())
    } else {
        msg!("words.too_large", name = name.clone(), max = u32::MAX)
    };
    (Code::E0013, text, msg!("words.range.help"))
}

/// `15/01/2024` → write 2024-01-15: the parts reordered when the date is recognisable.
fn date_words(value: &str) -> Words {
    let help = match crate::date::reorder(value) {
        Some((iso, None)) => msg!("words.date.write", iso = iso),
        Some((iso, Some(day))) => msg!("words.date.write_if", iso = iso, day = day),
        None => msg!("words.date.help"),
    };
    (Code::E0109, msg!("date.shape", value = shown(value)), help)
}
