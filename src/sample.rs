//! Synthetic inventories, for the property tests and the benchmarks: valid by construction,
//! seeded (the same seed gives the same text), and unlike the reference inventory in every
//! way a real one can be — 1 to N instances, 1 to M VMs, 0, 1 or many of every list,
//! vowel- and consonant-initial names, 3 to 8 states, 0, 1 or several creations per
//! instance, every environment, and (with `hostile`) names full of `&`, `<`, `|`, `*`, quotes.

use std::fmt::Write;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub seed: u64,
    /// Instances: exactly this many, or a random count from 1 to it when `vary`.
    pub instances: usize,
    /// VMs per instance: exactly, or from 1 when `vary`.
    pub vms: usize,
    pub vary: bool,
    /// Names and texts with Markdown, HTML and YAML metacharacters.
    pub hostile: bool,
}

/// Words that read as French names, vowel- and consonant-initial alike.
const NAMES: &[&str] = &[
    "Examens",
    "Archives",
    "Orientation",
    "Inscriptions",
    "Bibliothèque",
    "Recherche",
    "Évaluation",
    "Hébergement",
    "Formation",
    "Portail",
    "Usagers",
    "Admissions",
    "Ressources",
    "Intranet",
    "Laboratoires",
    "Yvonne",
    "Haute-Rive",
    "Stages",
    "Olympe",
    "Agora",
];
const ENVIRONMENTS: &[&str] = &[
    "production",
    "preproduction",
    "test",
    "development",
    "training",
    "sandbox",
];
const ROLES: &[&str] = &[
    "Serveur web de production",
    "Serveur de bases de données",
    "Serveur de fichiers partagés pour les étudiants et le personnel enseignant",
    "Serveur de tests",
    "Serveur de développement des cours en ligne",
];
const HOSTILE: &[&str] = &[
    "A & B",
    "<b>gras</b>",
    "x | y",
    "*étoile*",
    "l’\"apostrophe\"",
    "[lien](x)",
];

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Gen {
    rng: fastrand::Rng,
    shape: Shape,
    ticket: u32,
    out: String,
    /// The ids of the instances that migrate, so far.
    migrated: Vec<String>,
}

impl Gen {
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn count(&mut self, max: usize) -> usize {
        if self.shape.vary {
            self.rng.usize(1..=max.max(1))
        } else {
            max
        }
    }

    fn ticket(&mut self) -> u32 {
        self.ticket += 1 + self.rng.u32(..3);
        self.ticket
    }

    fn name(&mut self, i: usize) -> String {
        let base = match i / NAMES.len() {
            0 => NAMES[i].to_string(),
            round => format!("{} {}", NAMES[i % NAMES.len()], round + 1),
        };
        if self.shape.hostile && self.rng.bool() {
            format!("{base} {}", self.pick(HOSTILE))
        } else {
            base
        }
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }
}

/// The states: reference, 0–3 before, jour M, 1–3 after (3 to 8 in all). Returns (ids of before, ids of
/// after).
fn states(g: &mut Gen) -> (Vec<String>, Vec<String>) {
    g.line("states:");
    g.line("  - { id: reference, kind: reference, date: 2025-03-03 }");
    let before: Vec<u32> = match g.rng.usize(..4) {
        0 => vec![],
        1 => vec![7],
        2 => vec![14, 3],
        _ => vec![21, 14, 3],
    };
    let mut ids = (Vec::new(), Vec::new());
    for n in &before {
        g.line(&format!(
            "  - {{ id: m-{n}, kind: before, offset_days: {n} }}"
        ));
        ids.0.push(format!("m-{n}"));
    }
    g.line("  - { id: jour-m, kind: migration }");
    let after: &[u32] = [&[30][..], &[7, 30], &[1, 14, 45]][g.rng.usize(..3)];
    for n in after {
        g.line(&format!(
            "  - {{ id: m{n}, kind: after, offset_days: {n} }}"
        ));
        ids.1.push(format!("m{n}"));
    }
    ids
}

fn header(g: &mut Gen) {
    let org = if g.shape.hostile {
        "Collège <Nord> & associés"
    } else {
        "Collège du Nord"
    };
    let style = if g.rng.bool() { "iso" } else { "long" };
    let notes = if g.rng.bool() {
        "\n  notes: |\n    Les usagers sont prévenus : la veille, **par courriel**.\n    Voir [le guide](https://guide.exemple.ca)."
    } else {
        ""
    };
    let text = format!(
        "document:\n  title: {}\n  organisation: {}\n  purpose: {}\n  decision: {{ meeting: CA, date: 2025-01-20 }}\n  date_style: {style}\n  weekends: true\n  zones: [exemple.ca]{notes}\napplication: {{ name: Plateforme, from: \"2.0\", target: 3.1.4{} }}\nplatform:\n  name: Atelier\n  os: {{ name: Debian, version: \"12\" }}\n  components: [{}]",
        q("Opérations sur les machines virtuelles lors de la mise à jour"),
        q(org),
        q("Présenter les opérations sur les VM"),
        if g.rng.bool() {
            ", source_code: 2.0.9, data_dir: donnees"
        } else {
            ""
        },
        [
            "",
            "{ name: PHP, version: 8.2.1 }",
            "{ name: PHP, version: 8.2.1 }, { name: Apache, version: \"2.4\" }"
        ][g.rng.usize(..3)],
    );
    g.line(&text);
}

/// One VM's lines. `kind`: what happens to it.
#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Stays,
    Replaced,
    Deleted,
    Created,
}

struct Vm {
    machine: String,
    fate: Fate,
    dns: Option<String>,
}

/// One VM's lines; returns the state a created VM is created at.
fn vm_yaml(g: &mut Gen, vm: &Vm, ip: &str, before: &[String], after: &[String]) -> Option<String> {
    let role = q(g.pick(ROLES));
    g.line(&format!("      - machine: {}", vm.machine));
    if let Some(d) = &vm.dns {
        g.line(&format!("        dns: [{d}]"));
    }
    match vm.fate {
        Fate::Created => {
            g.line(&format!("        role_after: {role}"));
            let at = if before.is_empty() || g.rng.bool() {
                "reference".to_string()
            } else {
                before[0].clone()
            };
            // Every creation has its number: `check` requires it (E0117).
            let ticket = g.ticket();
            g.line("        actions:");
            g.line(&format!(
                "          - {{ state: {at}, do: [{{ create: {{ ticket: {ticket} }} }}] }}"
            ));
            return Some(at);
        }
        Fate::Stays => {
            g.line(&format!("        ip: {ip}"));
            g.line(&format!("        role: {role}"));
            g.line(&format!("        role_after: {role}"));
            if g.rng.u8(..3) == 0 {
                g.line("        software: [{ name: PostgreSQL, version: \"15\" }]");
            }
        }
        Fate::Replaced | Fate::Deleted => {
            g.line(&format!("        ip: {ip}"));
            g.line(&format!("        role: {role}"));
            g.line("        actions:");
            if vm.fate == Fate::Replaced {
                g.line("          - { state: jour-m, do: [deactivate] }");
            }
            let last = &after[g.rng.usize(..after.len())];
            g.line(&format!("          - {{ state: {last}, do: [delete] }}"));
        }
    }
    None
}

/// The VMs of instance `i`; returns them and the migration target, if the instance creates
/// one (its first VM, which takes the name of the first replaced VM on jour M).
fn vms(
    g: &mut Gen,
    i: usize,
    id: &str,
    before: &[String],
    after: &[String],
) -> (Vec<Vm>, Option<usize>) {
    let n = g.count(g.shape.vms);
    let creations = if n < 2 {
        0
    } else {
        [0, 1, 1, 2][g.rng.usize(..4)].min(n - 1)
    };
    let vms: Vec<Vm> = (0..n)
        .map(|k| {
            let fate = if k < creations {
                Fate::Created
            } else {
                [Fate::Stays, Fate::Stays, Fate::Replaced, Fate::Deleted][g.rng.usize(..4)]
            };
            let machine = format!("{id}-vm{k}");
            let dns = (g.rng.u8(..4) > 0).then(|| format!("{machine}.exemple.ca"));
            Vm { machine, fate, dns }
        })
        .collect();
    // The first creation takes the name of the first replaced VM on jour M.
    let replaced = vms
        .iter()
        .position(|v| v.fate == Fate::Replaced && v.dns.is_some());
    g.line("    vms:");
    for (k, vm) in vms.iter().enumerate() {
        let ip = format!("10.{}.{}.{}", i % 250, k / 250, k % 250 + 1);
        let created_at = vm_yaml(g, vm, &ip, before, after);
        if k == 0
            && vm.fate == Fate::Created
            && let Some(r) = replaced
        {
            let (name, from) = (vms[r].dns.clone().unwrap_or_default(), &vms[r].machine);
            // Created before jour M, it may take the name early (at the last `before`).
            let early = created_at.is_some_and(|c| c != "reference") && g.rng.bool();
            let at = match before.last() {
                Some(b) if early => b.as_str(),
                _ => "jour-m",
            };
            g.line(&format!("          - state: {at}"));
            g.line(&format!(
                "            do: [{{ dns-move: {{ name: {name}, from: {from} }} }}]"
            ));
        }
    }
    (vms, (creations > 0).then_some(0))
}

/// The instance's migration, when it creates a VM; returns whether it migrates. Its data
/// leaves VMs in service on jour M; its database is connected to a VM that stays, moved to
/// the (only) receiving VM, moved between servers (to a second created VM), or left alone.
fn migration(g: &mut Gen, vms: &[Vm], target: Option<usize>) -> bool {
    let Some(t) = target else { return false };
    let old: Vec<&Vm> = vms.iter().filter(|v| v.fate != Fate::Created).collect();
    let stays = vms.iter().find(|v| v.fate == Fate::Stays);
    let second = vms.get(1).filter(|v| v.fate == Fate::Created);
    let two_nodes = second.is_some() && g.rng.bool();
    g.line("    migration:");
    match second.filter(|_| two_nodes) {
        Some(s) => g.line(&format!(
            "      target: [{}, {}]",
            vms[t].machine, s.machine
        )),
        None => g.line(&format!("      target: {}", vms[t].machine)),
    }
    if let Some(from) = old.first().filter(|_| g.rng.u8(..4) > 0) {
        g.line(&format!("      files_from: {}", from.machine));
    }
    let db = match (g.rng.u8(..5), old.last()) {
        (0, _) => stays.map(|s| format!("{{ connect: {} }}", s.machine)),
        (1, _) => stays.map(|s| format!("{{ stays: {} }}", s.machine)),
        (2, Some(o)) if !two_nodes => Some(format!("{{ migrate: {} }}", o.machine)),
        (3, Some(o)) => second.filter(|_| !two_nodes).map(|s| {
            format!(
                "{{ migrate: {{ from: {}, to: {} }} }}",
                o.machine, s.machine
            )
        }),
        _ => None,
    };
    if let Some(db) = db {
        g.line(&format!("      database: {db}"));
    }
    if g.rng.u8(..3) == 0 {
        // Only the system changes: the application keeps its version.
        g.line("    application: { name: Outil, version: \"5.1\" }");
        g.line("    platform: { os: { name: Debian, version: \"12\", from: \"10\" } }");
    }
    true
}

/// Sometimes, the jour M intervention's window: a start, a duration, contacts (only where a
/// VM is deactivated on jour M, so that the instance has an intervention that day).
fn window(g: &mut Gen, vms: &[Vm]) {
    if !vms.iter().any(|v| v.fate == Fate::Replaced) || g.rng.bool() {
        return;
    }
    let start = ["18:00", "07:30", "22:15"][g.rng.usize(..3)];
    let duration = ["4h", "2h30", "90min"][g.rng.usize(..3)];
    let contacts = if g.shape.hostile {
        "Équipe <Systèmes> & \"réseau\"; poste 2401, \\n"
    } else {
        "Équipe des systèmes, poste 2401"
    };
    g.line("    interventions:");
    g.line(&format!(
        "      - {{ state: jour-m, start: \"{start}\", duration: {duration}, contacts: {} }}",
        q(contacts)
    ));
}

fn extras(g: &mut Gen, id: &str, vms: &[Vm]) {
    let gone = g.rng.usize(..4);
    if gone > 0 {
        g.line("    already_deleted:");
        for k in 0..gone {
            let third = g.rng.u8(..250);
            g.line(&format!(
                "      - {{ name: {id}-ancienne{k}, ip: 10.255.{third}.{} }}",
                k + 1
            ));
        }
    }
    let host = vms
        .iter()
        .find(|v| matches!(v.fate, Fate::Replaced | Fate::Deleted));
    if let Some(h) = host.filter(|_| g.rng.bool()) {
        g.line("    hosted_sites:");
        g.line(&format!(
            "      - {{ url: \"https://{id}-site.exemple.ca\", vm: {}, fate: delete }}",
            h.machine
        ));
        if g.rng.bool() {
            g.line(&format!("      - {{ url: \"https://{id}-autre.exemple.ca/a\", vm: {}, fate: {{ move-to: {id}-nouveau.exemple.ca }} }}", h.machine));
        }
    }
}

fn instance(g: &mut Gen, i: usize, before: &[String], after: &[String]) {
    let id = format!("i{i}");
    let name = g.name(i);
    g.line(&format!("  - id: {id}"));
    g.line(&format!("    name: {}", q(&name)));
    let env = g.pick(ENVIRONMENTS);
    g.line(&format!("    environment: {env}"));
    let users = if g.shape.hostile {
        "Équipes <A> & \"B\" | *C*"
    } else {
        "Étudiants et membres du personnel"
    };
    g.line(&format!("    users: {}", q(users)));
    g.line(&format!(
        "    role: {}",
        q("Service en ligne de l’établissement")
    ));
    g.line(&format!("    url: https://{id}.exemple.ca"));
    if g.rng.bool() {
        let first = crate::date::parse("2025-04-10").ok();
        let day = first.and_then(|d| crate::date::add_days(d, i as i64));
        g.line(&format!(
            "    jour_m: {}",
            day.map(crate::date::iso).unwrap_or_default()
        ));
    }
    if g.rng.u8(..3) == 0 {
        g.line(&format!(
            "    scope: {}",
            q(&format!(
                "toutes les VM {}",
                crate::french::elide("de", &name)
            ))
        ));
    }
    let (vms, target) = vms(g, i, &id, before, after);
    if migration(g, &vms, target) {
        g.migrated.push(id.clone());
        window(g, &vms);
    } else if let Some(first) = g.migrated.first().filter(|_| g.rng.bool()) {
        // Not migrated: its states are dated from another instance's jour M.
        g.line(&format!("    follows: {first}"));
    }
    extras(g, &id, &vms);
}

/// A valid inventory of `shape`, as YAML text.
pub fn inventory(shape: Shape) -> String {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(shape.seed),
        shape,
        ticket: 10_000,
        out: String::with_capacity(shape.instances * shape.vms * 200 + 1024),
        migrated: Vec::new(),
    };
    let _ = writeln!(g.out, "# Inventaire synthétique (graine {}).", shape.seed);
    header(&mut g);
    let (before, after) = states(&mut g);
    g.line("instances:");
    for i in 0..g.count(shape.instances) {
        instance(&mut g, i, &before, &after);
    }
    g.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_text() {
        let s = Shape {
            seed: 7,
            instances: 3,
            vms: 5,
            vary: true,
            hostile: true,
        };
        assert_eq!(inventory(s), inventory(s));
        assert_ne!(inventory(s), inventory(Shape { seed: 8, ..s }));
    }

    /// As many instances as the limits allow, hostile names and all, make a valid inventory
    /// (names past the list are numbered before anything is added, so that no two look
    /// alike); some seed gives the most states the limits allow.
    #[test]
    fn the_largest_hostile_inventory_is_valid_and_states_reach_eight() {
        use crate::validate::{Mode, validate};
        let s = Shape {
            seed: 18,
            instances: 100,
            vms: 2,
            vary: false,
            hostile: true,
        };
        let text = inventory(s);
        let (_, inv) = crate::load::load_bytes("t.yaml", text.as_bytes()).unwrap();
        let labels = crate::labels::Labels::defaults();
        let errors: Vec<String> = validate("t.yaml", &inv, Mode::Check, &labels)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .map(|d| d.message.en())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(inv.instances.len(), 100);
        assert_eq!(inv.states.len(), 8);
    }
}
