//! What each instance's migration is, checked against its timeline: the VMs that receive it
//! exist on jour M and stay; the files and the database leave a VM still in service and go
//! to one that is there; the database a new VM uses is not taken away later. Also what
//! names the work: an application is upgraded or kept, an instance not migrated dates its
//! states from one that is, the writer's Markdown stays inside its section, and the
//! meeting takes its article.

use super::Report;
use crate::diag::{Code, Pos, Text, shown};
use crate::model::{Application, Database, DbMove, Instance, Inventory, S, StateKind};
use crate::msg;
use crate::timeline::{self, Target, Timeline, VmIx};

/// Every rule of this file for `inst`.
pub(super) fn instance_rules(r: &mut Report, inv: &Inventory, inst: &Instance, t: &Timeline) {
    let jour_m = inv
        .states
        .iter()
        .position(|s| s.kind.value == StateKind::Migration)
        .unwrap_or(0);
    if let Some(targets) = target_rules(r, inst, t, jour_m) {
        data_rules(r, inst, t, jour_m, &targets);
    }
    if let Some(a) = &inst.application {
        application_rules(r, a);
    }
    follows_rules(r, inv, inst);
}

/// The document-wide rules: its application and its meeting.
pub(super) fn document_rules(r: &mut Report, inv: &Inventory) {
    if let Some(a) = &inv.application {
        application_rules(r, a);
    }
    let m = &inv.document.decision.meeting;
    let placeholder = super::is_placeholder(&m.value);
    if !placeholder && !crate::french::meeting_phrase(&m.value).1 {
        r.err(
            Code::W0139,
            m,
            msg!("migration.meeting", meeting = shown(&m.value)),
            msg!("migration.meeting.help"),
        );
    }
}

/// Why machine `vi` cannot be one that serves from jour M on, if it cannot.
fn not_in_service(t: &Timeline, vi: VmIx, jour_m: usize) -> Option<Text> {
    let line = &t.vms[vi];
    if line.created.is_some_and(|c| c > jour_m) {
        Some(msg!("migration.why.created_after"))
    } else if line.deactivated.is_some() {
        Some(msg!("migration.why.deactivated"))
    } else if line.deleted.is_some() {
        Some(msg!("migration.why.deleted"))
    } else {
        None
    }
}

/// The VMs receiving the migration are known, and in service from jour M on; returns them.
fn target_rules(r: &mut Report, inst: &Instance, t: &Timeline, jour_m: usize) -> Option<Vec<VmIx>> {
    let m = inst.migration.as_ref()?;
    let at = Pos::from(m);
    let name = shown(&inst.name.value);
    let help = msg!("migration.target.help");
    let targets = match timeline::migration_target(inst, t)? {
        Target::Named(v) => v,
        Target::Derived(i) => vec![i],
        // Reported by the reference rules (E0119).
        Target::Unknown => return None,
        Target::NoCreation => {
            r.at(
                Code::E0128,
                at,
                msg!("migration.no_creation", name = &name),
                help,
            );
            return None;
        }
        Target::Ambiguous(created) => {
            let list: Vec<String> = created
                .iter()
                .map(|&i| shown(&inst.vms[i].machine.value))
                .collect();
            let text = msg!(
                "migration.ambiguous",
                name = &name,
                created = list.join(", ")
            );
            r.at(Code::E0128, at, text, help);
            return None;
        }
    };
    for &vi in &targets {
        if let Some(why) = not_in_service(t, vi, jour_m) {
            let machine = shown(&inst.vms[vi].machine.value);
            r.at(
                Code::E0128,
                at,
                msg!(
                    "migration.target_gone",
                    machine = machine,
                    name = &name,
                    why = why
                ),
                msg!("migration.target_gone.help"),
            );
        }
    }
    Some(targets)
}

/// Why machine `vi` cannot give data on jour M, if it cannot: it must exist then and still
/// be in service when the data leaves it (a deactivation or deletion on jour M itself comes
/// after the data moves).
fn cannot_give(t: &Timeline, vi: VmIx, jour_m: usize) -> Option<Text> {
    let line = &t.vms[vi];
    if line.created.is_some_and(|c| c >= jour_m) {
        Some(msg!("migration.why.not_before"))
    } else if line.deactivated.is_some_and(|d| d < jour_m) {
        Some(msg!("migration.why.deactivated_before"))
    } else if line.deleted.is_some_and(|d| d < jour_m) {
        Some(msg!("migration.why.deleted_before"))
    } else {
        None
    }
}

fn move_fault(r: &mut Report, at: Pos, msg: Text, help: Text) {
    r.at(Code::E0135, at, msg, help);
}

/// The files and the database leave a VM in service and go where the timeline allows.
fn data_rules(r: &mut Report, inst: &Instance, t: &Timeline, jour_m: usize, targets: &[VmIx]) {
    let Some(m) = &inst.migration else { return };
    let index = |name: &str| timeline::vm_index(inst, name);
    if let Some(f) = &m.value.files_from
        && let Some(vi) = index(&f.value)
    {
        let machine = shown(&f.value);
        if targets.contains(&vi) {
            let text = msg!("migration.files_into_itself", machine = machine);
            move_fault(
                r,
                Pos::from(f),
                text,
                msg!("migration.files_into_itself.help"),
            );
        } else if let Some(why) = cannot_give(t, vi, jour_m) {
            let text = msg!("migration.files_from", machine = machine, why = why);
            move_fault(r, Pos::from(f), text, msg!("migration.files_from.help"));
        }
    }
    if let Some(db) = &m.value.database {
        database_rules(r, inst, t, jour_m, targets, db);
    }
}

fn database_rules(
    r: &mut Report,
    inst: &Instance,
    t: &Timeline,
    jour_m: usize,
    targets: &[VmIx],
    db: &S<Database>,
) {
    let at = Pos::from(db);
    let index = |name: &str| timeline::vm_index(inst, name);
    let source = db.value.source();
    let Some(si) = index(source) else { return };
    match &db.value {
        Database::Connect(_) | Database::Stays(_) => {
            if let Some(why) = not_in_service(t, si, jour_m) {
                let text = msg!("migration.db_used", server = shown(source), why = why);
                move_fault(r, at, text, msg!("migration.db_used.help"));
            }
        }
        Database::Migrate(mv) => {
            if let Some(why) = cannot_give(t, si, jour_m) {
                let text = msg!("migration.db_leaves", server = shown(source), why = why);
                move_fault(r, at, text, msg!("migration.db_leaves.help"));
            }
            let to = match mv {
                DbMove::Between(b) => index(&b.to),
                DbMove::From(_) if targets.len() > 1 => {
                    let text = msg!("migration.db_where");
                    return move_fault(r, at, text, msg!("migration.db_where.help"));
                }
                DbMove::From(_) => targets.first().copied(),
            };
            let Some(ti) = to else { return };
            let dest = shown(&inst.vms[ti].machine.value);
            if ti == si {
                let text = msg!("migration.db_itself", server = dest);
                move_fault(r, at, text, msg!("migration.db_itself.help"));
            } else if let Some(why) = not_in_service(t, ti, jour_m) {
                let text = msg!("migration.db_to", server = dest, why = why);
                move_fault(r, at, text, msg!("migration.db_to.help"));
            }
        }
    }
}

/// An application is upgraded (`from` and `target`) or kept at its `version`, not both.
fn application_rules(r: &mut Report, a: &Application) {
    let name = shown(&a.name.value);
    let upgrade = (a.from.is_some(), a.target.is_some());
    let fault = match (upgrade, a.version.is_some()) {
        ((true, true), false) | ((false, false), true) | ((false, false), false) => None,
        ((true, true), true) => Some(msg!("migration.app_both", name = &name)),
        ((true, false), _) => Some(msg!("migration.app_no_target", name = &name)),
        ((false, true), _) => Some(msg!("migration.app_no_from", name = &name)),
    };
    if let Some(msg) = fault {
        r.err(Code::E0136, &a.name, msg, msg!("migration.app.help"));
    }
}

/// `follows` names a migrating instance, and only an instance not migrated follows one.
fn follows_rules(r: &mut Report, inv: &Inventory, inst: &Instance) {
    let Some(f) = &inst.follows else { return };
    let ids = inv.instances.iter().map(|i| i.id.value.as_str());
    let found = inv.instances.iter().find(|i| i.id.value == f.value);
    let (msg, help) = match found {
        _ if inst.migration.is_some() => (
            msg!("migration.follows_migrated", name = shown(&inst.name.value)),
            msg!("migration.follows_migrated.help"),
        ),
        None => (
            msg!("migration.follows_unknown", id = shown(&f.value)),
            Report::suggest(&f.value, ids, msg!("migration.follows.help")),
        ),
        Some(other) if other.migration.is_none() || other.id.value == inst.id.value => (
            msg!("migration.follows_unmigrated", id = shown(&f.value)),
            msg!("migration.follows.help"),
        ),
        Some(_) => return,
    };
    r.err(Code::E0137, f, msg, help);
}

/// The writer's Markdown holds paragraphs, lists, quotes, emphasis, links and inline code
/// only: anything else (a heading, HTML, a code block, a table, an image) would break out of
/// its section or be shown differently in each format.
pub(super) fn section_rules(r: &mut Report, inv: &Inventory) {
    let all = super::texts::sections(&inv.document.sections)
        .into_iter()
        .chain(
            inv.instances
                .iter()
                .flat_map(|i| super::texts::sections(&i.sections)),
        );
    for s in all {
        if let Some(what) = refused_markdown(&s.value) {
            r.err(
                Code::E0138,
                s,
                msg!("migration.section", what = what),
                msg!("migration.section.help"),
            );
        }
    }
}

/// The first construct a writer's section may not hold, named.
pub(super) fn refused_markdown(text: &str) -> Option<Text> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(text, options).find_map(|e| match e {
        Event::Start(Tag::Heading { .. }) => Some(msg!("migration.md.heading")),
        Event::Html(_) | Event::InlineHtml(_) => Some(msg!("migration.md.html")),
        Event::Start(Tag::CodeBlock(_)) => Some(msg!("migration.md.code_block")),
        Event::Start(Tag::Table(_)) => Some(msg!("migration.md.table")),
        Event::Start(Tag::Image { .. }) => Some(msg!("migration.md.image")),
        Event::Start(Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_) => {
            Some(msg!("migration.md.footnote"))
        }
        Event::Rule => Some(msg!("migration.md.rule")),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<&'static str> {
        refused_markdown(text).map(|t| t.key())
    }

    #[test]
    fn sections_hold_prose_only() {
        assert_eq!(
            refused(
                "Un paragraphe, **gras**, [lien](https://x.ca).\n\n- a\n- b\n\n> citation `code`"
            ),
            None
        );
        assert_eq!(refused("# Titre"), Some("migration.md.heading"));
        assert_eq!(refused("Titre\n====="), Some("migration.md.heading"));
        assert_eq!(refused("a <b>x</b>"), Some("migration.md.html"));
        assert_eq!(refused("<div>x</div>"), Some("migration.md.html"));
        assert_eq!(refused("```\nsans fin"), Some("migration.md.code_block"));
        assert_eq!(refused("    indenté"), Some("migration.md.code_block"));
        assert_eq!(
            refused("| a | b |\n|---|---|\n| 1 | 2 |"),
            Some("migration.md.table")
        );
        assert_eq!(refused("![x](y.png)"), Some("migration.md.image"));
        assert_eq!(
            refused("note[^1]\n\n[^1]: x"),
            Some("migration.md.footnote")
        );
        assert_eq!(refused("a\n\n---\n\nb"), Some("migration.md.rule"));
    }
}
