//! What each instance's migration is, checked against its timeline: the VMs that receive it
//! exist on jour M and stay; the files and the database leave a VM still in service and go
//! to one that is there; the database a new VM uses is not taken away later. Also what
//! names the work: an application is upgraded or kept, an instance not migrated dates its
//! states from one that is, the writer's Markdown stays inside its section, and the
//! meeting takes its article.

use super::Report;
use crate::diag::{Code, Pos, shown};
use crate::model::{Application, Database, DbMove, Instance, Inventory, S, StateKind};
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
            format!(
                "« la réunion {} » may lack its article",
                shown(&m.value)
            ),
            "write the body with its article (`le comité de direction`, `la commission des études`), or its proper name or acronym (`DRI`)",
        );
    }
}

/// Why machine `vi` cannot be one that serves from jour M on, if it cannot.
fn not_in_service(t: &Timeline, vi: VmIx, jour_m: usize) -> Option<&'static str> {
    let line = &t.vms[vi];
    if line.created.is_some_and(|c| c > jour_m) {
        Some("is created after jour M")
    } else if line.deactivated.is_some() {
        Some("is deactivated")
    } else if line.deleted.is_some() {
        Some("is deleted")
    } else {
        None
    }
}

/// The VMs receiving the migration are known, and in service from jour M on; returns them.
fn target_rules(r: &mut Report, inst: &Instance, t: &Timeline, jour_m: usize) -> Option<Vec<VmIx>> {
    let m = inst.migration.as_ref()?;
    let at = Pos::from(m);
    let name = shown(&inst.name.value);
    let help = "name the VMs that run the instance after jour M with `migration: { target: MACHINE }` (or a list)";
    let targets = match timeline::migration_target(inst, t)? {
        Target::Named(v) => v,
        Target::Derived(i) => vec![i],
        // Reported by the reference rules (E0119).
        Target::Unknown => return None,
        Target::NoCreation => {
            r.at(
                Code::E0128,
                at,
                format!("{name} migrates but creates no VM"),
                help,
            );
            return None;
        }
        Target::Ambiguous(created) => {
            let list: Vec<String> = created
                .iter()
                .map(|&i| shown(&inst.vms[i].machine.value))
                .collect();
            let msg = format!(
                "{name} creates {}: which ones receive the migration?",
                list.join(", ")
            );
            r.at(Code::E0128, at, msg, help);
            return None;
        }
    };
    for &vi in &targets {
        if let Some(why) = not_in_service(t, vi, jour_m) {
            let machine = shown(&inst.vms[vi].machine.value);
            r.at(
                Code::E0128,
                at,
                format!("`{machine}` receives {name}'s migration but {why}"),
                "a VM that receives the migration exists on jour M and stays: choose another `target`",
            );
        }
    }
    Some(targets)
}

/// Why machine `vi` cannot give data on jour M, if it cannot: it must exist then and still
/// be in service when the data leaves it (a deactivation or deletion on jour M itself comes
/// after the data moves).
fn cannot_give(t: &Timeline, vi: VmIx, jour_m: usize) -> Option<&'static str> {
    let line = &t.vms[vi];
    if line.created.is_some_and(|c| c >= jour_m) {
        Some("is not there before jour M")
    } else if line.deactivated.is_some_and(|d| d < jour_m) {
        Some("is deactivated before jour M")
    } else if line.deleted.is_some_and(|d| d < jour_m) {
        Some("is deleted before jour M")
    } else {
        None
    }
}

fn move_fault(r: &mut Report, at: Pos, msg: String, help: &str) {
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
            let msg = format!("the files come from `{machine}`, which also receives them");
            move_fault(
                r,
                Pos::from(f),
                msg,
                "`files_from` names the VM the files leave",
            );
        } else if let Some(why) = cannot_give(t, vi, jour_m) {
            let msg = format!("the files come from `{machine}`, which {why}");
            move_fault(
                r,
                Pos::from(f),
                msg,
                "name a VM in service on jour M in `files_from`",
            );
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
                let msg = format!(
                    "the new VMs use the database on `{}`, which {why}",
                    shown(source)
                );
                move_fault(
                    r,
                    at,
                    msg,
                    "a database the instance keeps using stays in service: migrate it (`migrate: { from: …, to: … }`) or keep its server",
                );
            }
        }
        Database::Migrate(mv) => {
            if let Some(why) = cannot_give(t, si, jour_m) {
                let msg = format!("the database leaves `{}`, which {why}", shown(source));
                move_fault(
                    r,
                    at,
                    msg,
                    "name the server the database is on before jour M",
                );
            }
            let to = match mv {
                DbMove::Between(b) => index(&b.to),
                DbMove::From(_) if targets.len() > 1 => {
                    let msg =
                        "the database moves, but to which of the VMs that receive the migration?"
                            .to_string();
                    return move_fault(
                        r,
                        at,
                        msg,
                        "say where it goes: `migrate: { from: MACHINE, to: MACHINE }`",
                    );
                }
                DbMove::From(_) => targets.first().copied(),
            };
            let Some(ti) = to else { return };
            let dest = shown(&inst.vms[ti].machine.value);
            if ti == si {
                let msg = format!("the database would move from `{dest}` into itself");
                move_fault(
                    r,
                    at,
                    msg,
                    "two moves into one database: name another server in `to`, or write `stays: MACHINE`",
                );
            } else if let Some(why) = not_in_service(t, ti, jour_m) {
                let msg = format!("the database moves to `{dest}`, which {why}");
                move_fault(
                    r,
                    at,
                    msg,
                    "the server that receives the database exists on jour M and stays",
                );
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
        ((true, true), true) => Some(format!("{name} is upgraded and kept at a version at once")),
        ((true, false), _) => Some(format!("{name} has a `from` version but no `target`")),
        ((false, true), _) => Some(format!("{name} has a `target` version but no `from`")),
    };
    if let Some(msg) = fault {
        r.err(
            Code::E0136,
            &a.name,
            msg,
            "an upgraded application gives `from` and `target`; one that keeps its version gives `version`",
        );
    }
}

/// `follows` names a migrating instance, and only an instance not migrated follows one.
fn follows_rules(r: &mut Report, inv: &Inventory, inst: &Instance) {
    let Some(f) = &inst.follows else { return };
    let ids = inv.instances.iter().map(|i| i.id.value.as_str());
    let found = inv.instances.iter().find(|i| i.id.value == f.value);
    let (msg, help) = match found {
        _ if inst.migration.is_some() => (
            format!(
                "{} migrates: its own `jour_m` dates its states",
                shown(&inst.name.value)
            ),
            "remove `follows` (only an instance that is not migrated follows another)".to_string(),
        ),
        None => (
            format!("no instance has the id `{}`", shown(&f.value)),
            Report::suggest(&f.value, ids, "name the `id` of a migrated instance".into()),
        ),
        Some(other) if other.migration.is_none() || other.id.value == inst.id.value => (
            format!(
                "`{}` is not migrated: it has no jour M to follow",
                shown(&f.value)
            ),
            "name the `id` of a migrated instance".to_string(),
        ),
        Some(_) => return,
    };
    r.err(Code::E0137, f, msg, &help);
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
                format!("this section holds {what}"),
                "a section holds paragraphs, lists, quotes, **emphasis**, [links](https://…) and `code`; no heading, HTML, code block, table or image",
            );
        }
    }
}

/// The first construct a writer's section may not hold, named.
pub(super) fn refused_markdown(text: &str) -> Option<&'static str> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(text, options).find_map(|e| match e {
        Event::Start(Tag::Heading { .. }) => Some("a heading"),
        Event::Html(_) | Event::InlineHtml(_) => Some("HTML"),
        Event::Start(Tag::CodeBlock(_)) => Some("a code block"),
        Event::Start(Tag::Table(_)) => Some("a table"),
        Event::Start(Tag::Image { .. }) => Some("an image"),
        Event::Start(Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_) => {
            Some("a footnote")
        }
        Event::Rule => Some("a horizontal rule"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_hold_prose_only() {
        assert_eq!(
            refused_markdown(
                "Un paragraphe, **gras**, [lien](https://x.ca).\n\n- a\n- b\n\n> citation `code`"
            ),
            None
        );
        assert_eq!(refused_markdown("# Titre"), Some("a heading"));
        assert_eq!(refused_markdown("Titre\n====="), Some("a heading"));
        assert_eq!(refused_markdown("a <b>x</b>"), Some("HTML"));
        assert_eq!(refused_markdown("<div>x</div>"), Some("HTML"));
        assert_eq!(refused_markdown("```\nsans fin"), Some("a code block"));
        assert_eq!(refused_markdown("    indenté"), Some("a code block"));
        assert_eq!(
            refused_markdown("| a | b |\n|---|---|\n| 1 | 2 |"),
            Some("a table")
        );
        assert_eq!(refused_markdown("![x](y.png)"), Some("an image"));
        assert_eq!(refused_markdown("note[^1]\n\n[^1]: x"), Some("a footnote"));
        assert_eq!(refused_markdown("a\n\n---\n\nb"), Some("a horizontal rule"));
    }
}
