//! Heading ids: the writer's own `{#id}`, else a slug of the text, each unique.

use super::Block;
use std::collections::BTreeSet;

/// Gives every heading an id: its own `{#id}`, else a slug of its text; a repeated id
/// takes the first free `-1`, `-2`… suffix.
pub(super) fn unique_ids(blocks: &mut [Block]) {
    give_ids(blocks, &mut BTreeSet::new());
}

fn give_ids(blocks: &mut [Block], used: &mut BTreeSet<String>) {
    for b in blocks.iter_mut() {
        if let Block::List { items, .. } = b {
            for item in items.iter_mut() {
                give_ids(item, used);
            }
        }
        if let Block::Heading { text, id, .. } = b {
            let base = if id.is_empty() {
                slug(text)
            } else {
                id.clone()
            };
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            used.insert(candidate.clone());
            *id = candidate;
        }
    }
}

/// `Schémas de machines virtuelles` → `schemas-de-machines-virtuelles`: lowercase ASCII
/// letters and digits, French accents folded, anything else a single `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = fold(c);
        if !folded.is_empty() {
            out.push_str(folded);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// The ASCII letters of an accented Latin letter (empty for anything else).
fn fold(c: char) -> &'static str {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'ç' => "c",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' => "oe",
        'æ' => "ae",
        _ => "",
    }
}
