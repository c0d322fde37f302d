//! Placeholders: a value still reading `à compléter` (what the `bascule init` skeleton writes
//! where a value is due) is a warning until it is filled, in every text of the inventory. A
//! value that is wrong besides (not an address, not a date) keeps its error alone.

use super::{Report, texts};
use crate::diag::{Code, Diagnostic, Pos};
use crate::model::{Action, Fate, Inventory, S};
use std::collections::BTreeSet;

/// What the skeleton writes where a value is due.
pub const PLACEHOLDER: &str = "à compléter";

/// `à compléter`, whatever its case, accents, spaces or a final `…`.
pub fn is_placeholder(s: &str) -> bool {
    let t = s
        .trim()
        .trim_end_matches(['…', '.'])
        .trim_end()
        .to_lowercase();
    t == PLACEHOLDER || t == "a completer" || t == "à completer" || t == "a compléter"
}

/// The comment that marks an example value of the skeleton `bascule init` writes.
pub const EXAMPLE_MARK: &str = "exemple à changer";

/// Every value the skeleton marked as an example (a date, a number, an address that looks
/// real and would pass every other rule), as long as its mark is there: the mark on the
/// value's line, or alone on the line just before the value; a comment that starts with it. Read from the inventory's
/// text, since comments are not in the model.
pub fn example_marks(file: &str, text: &str) -> Vec<Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(hash) = line.find('#') else {
            continue;
        };
        // The comment starts with the mark (prose that mentions it is not one).
        let comment = line[hash..]
            .trim_start_matches('#')
            .trim_start()
            .to_lowercase();
        if !comment.starts_with(EXAMPLE_MARK) {
            continue;
        }
        let before = line[..hash].trim();
        let at = if before.is_empty() || before == "-" {
            match lines[i + 1..]
                .iter()
                .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            {
                Some(n) => i + 1 + n,
                None => continue,
            }
        } else {
            i
        };
        let col = lines[at].len() - lines[at].trim_start().len() + 1;
        out.push(
            Diagnostic::warning(
                Code::W0134,
                file,
                Pos::new(
                    u32::try_from(at + 1).unwrap_or(u32::MAX),
                    u32::try_from(col).unwrap_or(u32::MAX),
                ),
                crate::msg!("placeholders.example", mark = EXAMPLE_MARK),
            )
            .with_help(crate::msg!(
                "placeholders.example.help",
                mark = EXAMPLE_MARK
            )),
        );
    }
    out
}

/// Every text still holding the placeholder, located.
pub(super) fn placeholder_rules(r: &mut Report, inv: &Inventory) {
    let errors: BTreeSet<Pos> = r
        .out
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Pos::new(d.line, d.col))
        .collect();
    let mut found: Vec<(Pos, &str)> = texts::all_texts(inv)
        .into_iter()
        .map(|(s, _)| (Pos::from(s), s.value.as_str()))
        .collect();
    found.extend(nested(inv));
    for (at, value) in found {
        if is_placeholder(value) && !errors.contains(&at) {
            r.at(
                Code::W0132,
                at,
                crate::msg!("placeholders.left", placeholder = PLACEHOLDER),
                crate::msg!("placeholders.left.help"),
            );
        }
    }
}

/// The texts inside actions, database strategies and fates, located at their value.
fn nested(inv: &Inventory) -> Vec<(Pos, &str)> {
    let mut out: Vec<(Pos, &str)> = Vec::new();
    for inst in &inv.instances {
        if let Some(m) = &inst.migration {
            if let Some(db) = &m.value.database {
                out.extend(db.value.machines().into_iter().map(|s| (Pos::from(db), s)));
            }
            if let Some(t) = &m.value.target {
                out.extend(t.value.names().into_iter().map(|s| (Pos::from(t), s)));
            }
        }
        for h in &inst.hosted_sites {
            if let Fate::MoveTo(s) = &h.fate.value {
                out.push((Pos::from(&h.fate), s));
            }
        }
        for a in inst
            .vms
            .iter()
            .flat_map(|vm| &vm.actions)
            .flat_map(|sa| &sa.actions)
        {
            out.extend(action_texts(a).into_iter().map(|s| (Pos::from(a), s)));
        }
    }
    out
}

fn action_texts(a: &S<Action>) -> Vec<&str> {
    match &a.value {
        Action::DnsMove(m) => vec![m.name.as_str(), m.from.as_str()],
        Action::DnsRelease(n) => vec![n.as_str()],
        Action::Create(_) | Action::Deactivate | Action::Delete => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Labels;
    use crate::validate::{Mode, validate};

    fn check(from: &str, to: &str) -> Vec<crate::diag::Diagnostic> {
        let text = crate::fixtures::SEED.replacen(from, to, 1);
        assert_ne!(text, crate::fixtures::SEED, "{from}");
        let (_, inv) = crate::load::load_bytes("i.yaml", text.as_bytes()).unwrap();
        validate("i.yaml", &inv, Mode::Check, &Labels::defaults()).diagnostics
    }

    #[test]
    fn recognises_the_placeholder_written_loosely() {
        for yes in [
            "à compléter",
            " À compléter ",
            "à compléter…",
            "a completer",
            "À COMPLÉTER.",
        ] {
            assert!(is_placeholder(yes), "{yes}");
        }
        for no in ["compléter", "à compléter plus tard", "", "Serveur"] {
            assert!(!is_placeholder(no), "{no}");
        }
    }

    #[test]
    fn every_text_field_warns_located() {
        for (from, to) in [
            ("users: Étudiants", "users: à compléter #"),
            ("    meeting: DRI", "    meeting: À compléter"),
            (
                "role: Serveur BD de production Campus",
                "role: à compléter #",
            ),
            ("purpose: Présenter", "purpose: À compléter… #"),
        ] {
            let d = check(from, to);
            let w: Vec<_> = d.iter().filter(|d| d.code == Code::W0132).collect();
            assert_eq!(w.len(), 1, "{to}: {d:?}");
            let text = crate::fixtures::SEED.replacen(from, to, 1);
            let line = text[..text.find(to).unwrap()].matches('\n').count() as u32 + 1;
            assert_eq!(w[0].line, line, "{to}");
            assert!(!w[0].is_error());
        }
    }

    #[test]
    fn a_wrong_value_keeps_only_its_error() {
        let d = check("ip: 10.88.0.210", "ip: à compléter");
        assert!(d.iter().any(|d| d.code == Code::E0101), "{d:?}");
        assert!(!d.iter().any(|d| d.code == Code::W0132), "{d:?}");
    }
}
