//! Octopus tickets: one creation ticket per VM to create, one intervention draft per
//! instance and state with red work, their `.eml` exports and a manifest.
//!
//! Octopus (the college's service desk) turns an email into a request: subject → subject,
//! body → description, attachments kept. Each ticket is written twice: `tickets/<id>.txt`
//! (subject on the first line, a blank line, then the description) for copy-paste, and
//! `tickets/<id>.eml` ready to open in a mail client and send.
//!
//! Like every renderer this module only reads the [`Plan`] (the VM a new one replaces, the
//! DNS names held before a state, the state of a creation all come from it); the helpers
//! below only group and look up for the templates.

use crate::diag::{Code, Diagnostic, Pos};
use crate::plan::{
    ActionPlan, ColumnPlan, HostedSitePlan, InstancePlan, InterventionPlan, MigrationWork, Plan,
    ReplacedPlan, StatePlan, VmPlan,
};
use crate::templates::Templates;
use serde::Serialize;

/// Template of a creation ticket.
pub const CREATION_TEMPLATE: &str = "ticket-creation.txt.tera";
/// Template of an intervention draft.
pub const INTERVENTION_TEMPLATE: &str = "ticket-intervention.txt.tera";
/// Folder of the outputs, relative to the output directory.
pub const DIR: &str = "tickets";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A VM to create (Octopus numbers 57330, 57838 in the seed).
    Creation,
    /// DNS changes, deactivations, deletions and data migration of one state.
    Intervention,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Creation => "création",
            Kind::Intervention => "intervention",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    /// File stem: the Octopus number when known (`57330`), else a stable draft name
    /// (`campus-jour-m`, `campus-creation-campus35web`).
    pub id: String,
    pub number: Option<u32>,
    pub kind: Kind,
    /// The email subject (Octopus: the request's subject).
    pub subject: String,
    /// The email body (Octopus: the request's description), ending with a newline.
    pub body: String,
    /// Instance id.
    pub instance: String,
    /// State id: the creation's state, or the intervention's.
    pub state: String,
    /// Machines involved.
    pub vms: Vec<String>,
    /// Paths relative to the output folder, e.g. `annexes/annexe-1.png`.
    pub attachments: Vec<String>,
    /// The Octopus mailbox from the inventory (`document.octopus_mailbox`), never invented.
    pub to: Option<String>,
}

impl Ticket {
    pub fn txt_name(&self) -> String {
        format!("{DIR}/{}.txt", self.id)
    }

    pub fn eml_name(&self) -> String {
        format!("{DIR}/{}.eml", self.id)
    }

    /// The `.txt` file: subject, blank line, body.
    pub fn text(&self) -> String {
        format!("{}\n\n{}", self.subject, self.body)
    }
}

/// Output format of [`print`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

// ---------------------------------------------------------------------------------------
// Template contexts
// ---------------------------------------------------------------------------------------

/// What one state means for one VM (creation tickets).
#[derive(Serialize)]
struct Step<'a> {
    state: &'a StatePlan,
    column: &'a ColumnPlan,
    actions: Vec<&'a ActionPlan>,
    /// DNS names held once the state's actions are done.
    dns: &'a [String],
    /// The instance's data migration, when this VM receives it at this state.
    migration: Option<&'a MigrationWork>,
}

/// A VM whose DNS name the new VM takes.

#[derive(Serialize)]
struct CreationCtx<'a> {
    plan: &'a Plan,
    inst: &'a InstancePlan,
    vm: &'a VmPlan,
    number: Option<u32>,
    txt: String,
    eml: String,
    /// File name of the attachment, e.g. `annexe-1.png`.
    attachment: &'a str,
    /// The state the VM is created at.
    created: Option<&'a ColumnPlan>,
    /// The migration state (jour M) and the DNS names the VM holds after it.
    jour_m: Option<&'a ColumnPlan>,
    jour_m_dns: Option<&'a [String]>,
    replaces: &'a [ReplacedPlan],
    /// Every state after the creation.
    steps: Vec<Step<'a>>,
}

/// One VM of an intervention, with its DNS names before and after the state.
#[derive(Serialize)]
struct VmLine<'a> {
    machine: &'a str,
    ip: Option<&'a str>,
    dns_before: &'a [String],
    dns_after: &'a [String],
    /// Deleted at this state.
    deleted: bool,
}

/// One action of an intervention, with the VM it applies to.
#[derive(Serialize)]
struct ActionLine<'a> {
    machine: &'a str,
    ip: Option<&'a str>,
    /// DNS names the VM holds when the action starts (state before).
    dns_before: &'a [String],
    action: &'a ActionPlan,
}

#[derive(Serialize)]
struct InterventionCtx<'a> {
    plan: &'a Plan,
    inst: &'a InstancePlan,
    state: &'a StatePlan,
    iv: &'a InterventionPlan,
    id: &'a str,
    txt: String,
    eml: String,
    attachment: &'a str,
    /// Distinct kinds of work, in the order a technician does them (for the subject).
    work: Vec<&'static str>,
    deactivations: Vec<ActionLine<'a>>,
    /// `dns-in` and `dns-release` (a `dns-out` is the other side of a `dns-in`).
    dns: Vec<ActionLine<'a>>,
    deletions: Vec<ActionLine<'a>>,
    hosted_sites: &'a [HostedSitePlan],
    vms: Vec<VmLine<'a>>,
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn state_index(plan: &Plan, id: &str) -> Option<usize> {
    plan.states.iter().position(|s| s.id == id)
}

fn creation_ctx<'a>(
    plan: &'a Plan,
    inst: &'a InstancePlan,
    vm: &'a VmPlan,
    id: &str,
) -> CreationCtx<'a> {
    let created_at = vm.created_at;
    let mig = plan.states.iter().position(|s| s.kind == "migration");
    let steps = created_at
        .map(|c| c + 1)
        .unwrap_or(0)
        .min(plan.states.len());
    let steps = (steps..plan.states.len())
        .filter_map(|si| {
            let cell = vm.cells.get(si)?;
            Some(Step {
                state: &plan.states[si],
                column: inst.columns.get(si)?,
                actions: cell.actions.iter().filter(|a| a.kind != "create").collect(),
                dns: &cell.dns,
                migration: inst
                    .interventions
                    .iter()
                    .find(|iv| iv.state_id == plan.states[si].id)
                    .and_then(|iv| iv.migration.as_ref())
                    .filter(|m| m.new_vm == vm.machine),
            })
        })
        .collect();
    CreationCtx {
        plan,
        inst,
        vm,
        number: vm.ticket,
        txt: format!("{DIR}/{id}.txt"),
        eml: format!("{DIR}/{id}.eml"),
        attachment: file_name(&inst.annexe_png),
        created: created_at.and_then(|c| inst.columns.get(c)),
        jour_m: mig.and_then(|m| inst.columns.get(m)),
        jour_m_dns: mig.and_then(|m| vm.cells.get(m)).map(|c| c.dns.as_slice()),
        replaces: &vm.replaces,
        steps,
    }
}

fn intervention_ctx<'a>(
    plan: &'a Plan,
    inst: &'a InstancePlan,
    state: &'a StatePlan,
    si: usize,
    iv: &'a InterventionPlan,
    id: &'a str,
) -> InterventionCtx<'a> {
    let find = |m: &str| inst.vms.iter().find(|v| v.machine == m);
    let lines = |kinds: &[&str]| -> Vec<ActionLine<'a>> {
        iv.actions
            .iter()
            .filter(|a| kinds.contains(&a.action.kind))
            .map(|a| {
                let vm = find(&a.machine);
                ActionLine {
                    machine: &a.machine,
                    ip: vm.and_then(|v| v.ip.as_deref()),
                    dns_before: vm
                        .and_then(|v| v.cells.get(si))
                        .map_or(&[][..], |c| c.dns_before.as_slice()),
                    action: &a.action,
                }
            })
            .collect()
    };
    let deactivations = lines(&["deactivate"]);
    let dns = lines(&["dns-in", "dns-release"]);
    let deletions = lines(&["delete"]);
    let mut work = Vec::new();
    if !deactivations.is_empty() {
        work.push("désactivation");
    }
    if iv.migration.is_some() {
        work.push("migration des données");
    }
    if !dns.is_empty() || iv.actions.iter().any(|a| a.action.kind == "dns-out") {
        work.push("changements DNS");
    }
    if !iv.hosted_sites.is_empty() {
        work.push("sites hébergés");
    }
    if !deletions.is_empty() {
        work.push("suppression");
    }
    let vms = iv
        .vms
        .iter()
        .map(|r| VmLine {
            machine: &r.machine,
            ip: r.ip.as_deref(),
            dns_before: find(&r.machine)
                .and_then(|v| v.cells.get(si))
                .map_or(&[][..], |c| c.dns_before.as_slice()),
            dns_after: &r.dns,
            deleted: deletions.iter().any(|d| d.machine == r.machine),
        })
        .collect();
    InterventionCtx {
        plan,
        inst,
        state,
        iv,
        id,
        txt: format!("{DIR}/{id}.txt"),
        eml: format!("{DIR}/{id}.eml"),
        attachment: file_name(&inst.annexe_png),
        work,
        deactivations,
        dns,
        deletions,
        hosted_sites: &iv.hosted_sites,
        vms,
    }
}

fn ticket_error(code: Code, file: &str, message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(code, file, Pos::default(), message))
}

/// Splits a rendered ticket: first line the subject, the rest (after blank lines) the body.
fn split(template: &str, rendered: &str) -> Result<(String, String), Box<Diagnostic>> {
    let text = crate::templates::tidy(rendered);
    let (subject, body) = text.split_once('\n').unwrap_or((&text, ""));
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(ticket_error(
            Code::E0403,
            template,
            "the ticket template must start with the subject line".into(),
        ));
    }
    let body = body.trim_start_matches('\n');
    Ok((subject.to_string(), format!("{body}\n")))
}

/// Every ticket of the plan: per instance, its creation tickets then its intervention
/// drafts in state order.
pub fn tickets(plan: &Plan, templates: &Templates) -> Result<Vec<Ticket>, Box<Diagnostic>> {
    let mut out: Vec<Ticket> = Vec::new();
    for inst in &plan.instances {
        for vm in inst.vms.iter().filter(|v| v.to_create) {
            let id = match vm.ticket {
                Some(n) => n.to_string(),
                None => format!("{}-creation-{}", inst.id, vm.machine),
            };
            let ctx = creation_ctx(plan, inst, vm, &id);
            let (subject, body) = split(
                CREATION_TEMPLATE,
                &templates.render(CREATION_TEMPLATE, &ctx)?,
            )?;
            out.push(Ticket {
                number: vm.ticket,
                kind: Kind::Creation,
                subject,
                body,
                instance: inst.id.clone(),
                state: ctx.created.map(|c| c.state_id.clone()).unwrap_or_default(),
                vms: vec![vm.machine.clone()],
                attachments: vec![inst.annexe_png.clone()],
                to: plan.octopus_mailbox.clone(),
                id,
            });
        }
        for iv in &inst.interventions {
            let Some(si) = state_index(plan, &iv.state_id) else {
                continue;
            };
            let id = format!("{}-{}", inst.id, iv.state_id);
            let ctx = intervention_ctx(plan, inst, &plan.states[si], si, iv, &id);
            let (subject, body) = split(
                INTERVENTION_TEMPLATE,
                &templates.render(INTERVENTION_TEMPLATE, &ctx)?,
            )?;
            out.push(Ticket {
                number: None,
                kind: Kind::Intervention,
                subject,
                body,
                instance: inst.id.clone(),
                state: iv.state_id.clone(),
                vms: iv.vms.iter().map(|v| v.machine.clone()).collect(),
                attachments: vec![inst.annexe_png.clone()],
                to: plan.octopus_mailbox.clone(),
                id,
            });
        }
    }
    for (i, t) in out.iter().enumerate() {
        if out[..i].iter().any(|o| o.id == t.id) {
            return Err(ticket_error(
                Code::E0404,
                &t.txt_name(),
                format!("two tickets would be written to {}", t.txt_name()),
            ));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

#[derive(Serialize)]
struct IndexEntry<'a> {
    id: &'a str,
    number: Option<u32>,
    kind: Kind,
    subject: &'a str,
    instance: &'a str,
    state: &'a str,
    vms: &'a [String],
    attachments: &'a [String],
    txt: String,
    eml: String,
    to: Option<&'a str>,
}

/// Every ticket file: `tickets/<id>.txt`, `tickets/<id>.eml`, then `tickets/index.json`.
/// `pngs` gives the bytes of an attachment by its relative path; a missing one is an
/// error. `to` overrides each ticket's mailbox (`Ticket::to`, from the inventory).
pub fn files(
    tickets: &[Ticket],
    pngs: &dyn Fn(&str) -> Option<Vec<u8>>,
    to: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>, Box<Diagnostic>> {
    let mut out = Vec::with_capacity(tickets.len() * 2 + 1);
    let mut index = Vec::with_capacity(tickets.len());
    // Each annexe is attached to several tickets: encode it once.
    let mut encoded: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for t in tickets {
        let mut attachments = Vec::with_capacity(t.attachments.len());
        for path in &t.attachments {
            if let Some(e) = encoded.get(path.as_str()) {
                attachments.push((file_name(path), e.clone()));
                continue;
            }
            let bytes = pngs(path).ok_or_else(|| {
                Box::new(
                    Diagnostic::error(
                        Code::E0405,
                        &t.eml_name(),
                        Pos::default(),
                        format!("the attachment {path} of ticket {} is missing", t.id),
                    )
                    .with_help("render the annexes before the tickets"),
                )
            })?;
            let e = email::base64_lines(&bytes);
            encoded.insert(path, e.clone());
            attachments.push((file_name(path), e));
        }
        let mailbox = to.or(t.to.as_deref());
        let eml = email::message_encoded(mailbox, &t.subject, &t.body, &attachments)
            .map_err(|m| ticket_error(Code::E0406, &t.eml_name(), m))?;
        out.push((t.txt_name(), t.text().into_bytes()));
        out.push((t.eml_name(), eml));
        index.push(IndexEntry {
            id: &t.id,
            number: t.number,
            kind: t.kind,
            subject: &t.subject,
            instance: &t.instance,
            state: &t.state,
            vms: &t.vms,
            attachments: &t.attachments,
            txt: t.txt_name(),
            eml: t.eml_name(),
            to: mailbox,
        });
    }
    let mut json = serde_json::to_string_pretty(&index)
        .map_err(|e| ticket_error(Code::E0406, "tickets/index.json", e.to_string()))?;
    json.push('\n');
    out.push((format!("{DIR}/index.json"), json.into_bytes()));
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// `bascule tickets`
// ---------------------------------------------------------------------------------------

/// The tickets of `bascule tickets [--instance ID] [--ticket N] [--format text|json]`.
/// `number` matches an Octopus number or a draft name. An unknown instance or ticket is
/// an error listing the valid ones.
pub fn print(
    tickets: &[Ticket],
    instance: Option<&str>,
    number: Option<&str>,
    format: Format,
) -> Result<String, String> {
    if let Some(i) = instance
        && !tickets.iter().any(|t| t.instance == i)
    {
        let mut valid: Vec<&str> = tickets.iter().map(|t| t.instance.as_str()).collect();
        valid.dedup();
        return Err(format!(
            "unknown instance `{i}`; valid instances: {}",
            valid.join(", ")
        ));
    }
    let in_instance: Vec<&Ticket> = tickets
        .iter()
        .filter(|t| instance.is_none_or(|i| t.instance == i))
        .collect();
    let selected: Vec<&Ticket> = match number {
        None => in_instance,
        Some(n) => {
            let n = n.trim();
            let found: Vec<&Ticket> = in_instance.iter().copied().filter(|t| t.id == n).collect();
            if found.is_empty() {
                let valid: Vec<&str> = in_instance.iter().map(|t| t.id.as_str()).collect();
                return Err(format!(
                    "unknown ticket `{n}`{}; valid tickets: {}",
                    instance
                        .map(|i| format!(" in instance `{i}`"))
                        .unwrap_or_default(),
                    valid.join(", ")
                ));
            }
            found
        }
    };
    match format {
        Format::Json => serde_json::to_string_pretty(&selected)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string()),
        Format::Text => {
            let mut out = String::new();
            for (i, t) in selected.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let rule = "=".repeat(72);
                let number = match t.number {
                    Some(n) => format!("Octopus {n}"),
                    None => "brouillon, numéro Octopus à obtenir".to_string(),
                };
                out.push_str(&format!(
                    "{rule}\n{} — {} ({number})\n{rule}\nObjet\u{a0}:\n{}\n\nDescription\u{a0}:\n{}",
                    t.txt_name(),
                    t.kind.word(),
                    t.subject,
                    t.body
                ));
            }
            Ok(out)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Email (RFC 5322 / MIME)
// ---------------------------------------------------------------------------------------

/// A hand-written MIME writer: base64, quoted-printable, RFC 2047 encoded words.
///
/// The message is a draft for a mail client: no `From:` (the client fills in the
/// sender), no `Date:` or `Message-ID:` (the client adds them when sending; writing them
/// here would make two builds differ), `X-Unsent: 1` so that Outlook opens it ready to
/// send. `To:` only when the inventory (or the caller) gives the Octopus mailbox.
pub mod email {
    /// Fixed boundary: a quoted-printable or base64 body never contains `=_`, so it
    /// cannot appear in the parts.
    pub const BOUNDARY: &str = "=_bascule_ticket_part";

    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// Standard base64 with padding, no line breaks.
    pub fn base64(data: &[u8]) -> String {
        let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
        encode_into(data, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Appends the base64 of `data` to `out` (three bytes → four characters, `=` padding).
    fn encode_into(data: &[u8], out: &mut Vec<u8>) {
        let sextet = |n: u32, shift: u32| B64[((n >> shift) & 63) as usize];
        let mut chunks = data.chunks_exact(3);
        for c in &mut chunks {
            let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
            out.extend_from_slice(&[sextet(n, 18), sextet(n, 12), sextet(n, 6), sextet(n, 0)]);
        }
        match *chunks.remainder() {
            [a] => {
                let n = u32::from(a) << 16;
                out.extend_from_slice(&[sextet(n, 18), sextet(n, 12), b'=', b'=']);
            }
            [a, b] => {
                let n = (u32::from(a) << 16) | (u32::from(b) << 8);
                out.extend_from_slice(&[sextet(n, 18), sextet(n, 12), sextet(n, 6), b'=']);
            }
            _ => {}
        }
    }

    /// Base64 in lines of 76 characters (57 input bytes), each ended by CRLF.
    pub fn base64_lines(data: &[u8]) -> String {
        let mut out = Vec::with_capacity(data.len().div_ceil(57) * 78);
        for line in data.chunks(57) {
            encode_into(line, &mut out);
            out.extend_from_slice(b"\r\n");
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// An unstructured header (`Subject`): as is when it is short printable ASCII,
    /// else RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, folded so that no
    /// line exceeds 76 characters (`name: ` included). Words split between characters,
    /// never inside one.
    pub fn header(name: &str, value: &str) -> String {
        let lead = name.len() + 2;
        let plain = value.bytes().all(|b| (0x20..0x7f).contains(&b))
            && !value.contains("=?")
            && lead + value.len() <= 76;
        if plain {
            return format!("{name}: {value}\r\n");
        }
        const OVERHEAD: usize = "=?UTF-8?B??=".len();
        let mut words: Vec<String> = Vec::new();
        let mut chunk = String::new();
        let budget = |first: bool| {
            // Line limit 76: the first line holds `name: `, the others one space.
            let room = if first {
                76usize.saturating_sub(lead)
            } else {
                75
            };
            room.min(75).saturating_sub(OVERHEAD) / 4 * 3
        };
        for c in value.chars() {
            let c = if c.is_control() { ' ' } else { c };
            if chunk.len() + c.len_utf8() > budget(words.is_empty()) && !chunk.is_empty() {
                words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
                chunk.clear();
            }
            chunk.push(c);
        }
        if !chunk.is_empty() || words.is_empty() {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
        }
        format!("{name}: {}\r\n", words.join("\r\n "))
    }

    /// Quoted-printable (RFC 2045) of UTF-8 text: CRLF line ends, lines of at most 76
    /// characters with soft breaks, `=`, non-ASCII and trailing blanks encoded. A line
    /// starting with `.` or `From ` gets its first character encoded, so that neither
    /// SMTP nor an mbox reader can alter it.
    pub fn quoted_printable(text: &str) -> String {
        let mut out = String::with_capacity(text.len() * 2);
        for line in text.lines() {
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            let mut col = 0;
            for (k, &(i, c)) in chars.iter().enumerate() {
                let last = k + 1 == chars.len();
                let at_start = col == 0;
                let encode = c == '='
                    || !c.is_ascii()
                    || (c.is_ascii_control() && c != '\t')
                    || (last && (c == ' ' || c == '\t'))
                    || (at_start && c == '.')
                    || (at_start && line[i..].starts_with("From "));
                let token = if encode {
                    let mut buf = [0u8; 4];
                    c.encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| format!("={b:02X}"))
                        .collect::<String>()
                } else {
                    c.to_string()
                };
                // Keep room for the soft-break `=` unless this is the line's last token.
                let limit = if last { 76 } else { 75 };
                if col + token.len() > limit && col > 0 {
                    out.push_str("=\r\n");
                    col = 0;
                    // The token now starts a line: re-check the start-of-line rules.
                    if c == '.' || line[i..].starts_with("From ") {
                        let t = format!("={:02X}", c as u32);
                        col += t.len();
                        out.push_str(&t);
                        continue;
                    }
                }
                col += token.len();
                out.push_str(&token);
            }
            out.push_str("\r\n");
        }
        out
    }

    fn quoted(s: &str) -> String {
        s.replace('\\', "\\\\").replace('"', "\\\"")
    }

    /// The whole message. `attachments`: file name and bytes, sent as `image/png`.
    pub fn message(
        to: Option<&str>,
        subject: &str,
        body: &str,
        attachments: &[(String, Vec<u8>)],
    ) -> Result<Vec<u8>, String> {
        let encoded: Vec<(&str, String)> = attachments
            .iter()
            .map(|(name, bytes)| (name.as_str(), base64_lines(bytes)))
            .collect();
        message_encoded(to, subject, body, &encoded)
    }

    /// [`message`] with attachments already in [`base64_lines`]: a PNG attached to several
    /// tickets is encoded once.
    pub fn message_encoded(
        to: Option<&str>,
        subject: &str,
        body: &str,
        attachments: &[(&str, String)],
    ) -> Result<Vec<u8>, String> {
        let mut m = String::new();
        if let Some(to) = to {
            if to.chars().any(|c| c.is_control()) || !to.contains('@') {
                return Err(format!("invalid Octopus mailbox `{}`", to.escape_debug()));
            }
            m.push_str(&format!("To: {to}\r\n"));
        }
        m.push_str(&header("Subject", subject));
        m.push_str("MIME-Version: 1.0\r\n");
        m.push_str("X-Unsent: 1\r\n");
        m.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"{BOUNDARY}\"\r\n"
        ));
        m.push_str("\r\n");
        m.push_str("This is a multi-part message in MIME format.\r\n");
        m.push_str(&format!("\r\n--{BOUNDARY}\r\n"));
        m.push_str("Content-Type: text/plain; charset=utf-8\r\n");
        m.push_str("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        m.push_str(&quoted_printable(body));
        for (name, encoded) in attachments {
            let name = quoted(name);
            m.push_str(&format!("\r\n--{BOUNDARY}\r\n"));
            m.push_str(&format!("Content-Type: image/png; name=\"{name}\"\r\n"));
            m.push_str(&format!(
                "Content-Disposition: attachment; filename=\"{name}\"\r\n"
            ));
            m.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
            m.push_str(encoded);
        }
        m.push_str(&format!("\r\n--{BOUNDARY}--\r\n"));
        Ok(m.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::email::*;
    use super::*;

    use crate::fixtures::seed_plan as seed;

    fn seed_tickets() -> Vec<Ticket> {
        let p = seed();
        tickets(&p, &Templates::load(None).unwrap()).unwrap()
    }

    /// Minimal decoders, to test the encoders both ways.
    fn unbase64(s: &str) -> Vec<u8> {
        let val = |c: u8| B64_ALPHABET.iter().position(|&x| x == c).unwrap() as u32;
        let clean: Vec<u8> = s.bytes().filter(|b| !b"\r\n".contains(b)).collect();
        let mut out = Vec::new();
        for q in clean.chunks(4) {
            let pad = q.iter().filter(|&&b| b == b'=').count();
            let n = q
                .iter()
                .map(|&b| if b == b'=' { 0 } else { val(b) })
                .fold(0u32, |a, v| (a << 6) | v);
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..3 - pad]);
        }
        out
    }
    const B64_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    fn unqp(s: &str) -> String {
        let mut out = Vec::new();
        let s = s.replace("=\r\n", "");
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap().replace("\r\n", "\n")
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unbase64(&base64_lines(&bytes)), bytes);
        assert!(base64_lines(&bytes).lines().all(|l| l.len() <= 76));
    }

    #[test]
    fn print_text_separates_tickets_for_copy_paste() {
        let t = seed_tickets();
        let out = print(&t, Some("projets"), None, Format::Text).unwrap();
        assert_eq!(out.matches("\nObjet\u{a0}:\n").count(), 3, "{out}");
        assert!(out.starts_with(&"=".repeat(72)), "{out}");
        assert!(
            out.contains("tickets/projets-m30.txt — intervention (brouillon"),
            "{out}"
        );
    }

    #[test]
    fn ascii_subject_stays_plain() {
        assert_eq!(header("Subject", "Hello"), "Subject: Hello\r\n");
        let long = "X-".to_string() + &"N".repeat(80);
        assert!(
            header(&long, "é").ends_with("?=\r\n"),
            "no panic on a long name"
        );
    }

    #[test]
    fn accented_subject_is_encoded_and_folded() {
        let s = "Création de la VM campus35web (campus35.cegepadistance.ca) — mise à jour \
                 de Campus à Moodle 3.5.3 et encore des accents éèàùç pour allonger";
        let h = header("Subject", s);
        assert!(h.is_ascii(), "{h}");
        assert!(h.ends_with("\r\n"));
        let lines: Vec<&str> = h.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 2, "{h}");
        let mut decoded = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            assert!(line.len() <= 76, "line too long: {line}");
            let word = if k == 0 {
                line.strip_prefix("Subject: ").unwrap()
            } else {
                line.strip_prefix(' ').unwrap()
            };
            assert!(word.len() <= 75, "{word}");
            let inner = word
                .strip_prefix("=?UTF-8?B?")
                .unwrap()
                .strip_suffix("?=")
                .unwrap();
            let bytes = unbase64(inner);
            // Each word is whole UTF-8 on its own (RFC 2047 §5).
            assert!(std::str::from_utf8(&bytes).is_ok());
            decoded.extend(bytes);
        }
        assert_eq!(String::from_utf8(decoded).unwrap(), s);
    }

    #[test]
    fn quoted_printable_is_safe_and_reversible() {
        let text = "From here on\n.\n.hidden\nnormal = égal  \nFrom\n".to_string()
            + &"é".repeat(40)
            + "\n"
            + &"x".repeat(74)
            + ".From the end\n";
        let qp = quoted_printable(&text);
        for line in qp.split("\r\n") {
            assert!(line.len() <= 76, "{line}");
            assert!(!line.starts_with("From "), "{qp}");
            assert!(!line.starts_with('.'), "{qp}");
            assert!(!line.ends_with(' '), "{qp}");
        }
        assert!(
            qp.contains("=46rom here on\r\n=2E\r\n=2Ehidden\r\n"),
            "{qp}"
        );
        assert!(qp.contains("=3D =C3=A9gal =20\r\n"), "{qp}");
        assert!(!qp.contains("=_"));
        assert_eq!(unqp(&qp), text);
    }

    #[test]
    fn message_has_mime_parts_and_no_volatile_headers() {
        let m = message(
            None,
            "Test é",
            "Corps\n",
            &[("annexe-1.png".into(), vec![1, 2, 3])],
        )
        .unwrap();
        let m = String::from_utf8(m).unwrap();
        assert!(m.is_ascii());
        assert!(!m.contains("\nTo:") && !m.starts_with("To:"));
        assert!(!m.contains("Date:") && !m.contains("Message-ID:"));
        assert!(m.contains("MIME-Version: 1.0\r\n"));
        assert!(m.contains("filename=\"annexe-1.png\""));
        assert!(m.contains("AQID\r\n"));
        assert!(!m.replace("\r\n", "").contains('\n'), "bare LF");
        let with_to = message(Some("octopus@example.org"), "s", "b\n", &[]).unwrap();
        assert!(with_to.starts_with(b"To: octopus@example.org\r\n"));
        assert!(message(Some("a@b\r\nBcc: x@y"), "s", "b", &[]).is_err());
    }

    #[test]
    fn seed_tickets_are_named_by_number_or_draft_name() {
        let t = seed_tickets();
        let ids: Vec<&str> = t.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "57330",
                "campus-jour-m",
                "campus-m30",
                "57838",
                "projets-jour-m",
                "projets-m30"
            ]
        );
        assert_eq!(t[0].number, Some(57330));
        assert_eq!(t[0].vms, ["campus35web"]);
        assert_eq!(t[0].attachments, ["annexes/annexe-1.png"]);
        assert_eq!(t[0].state, "reference");
        assert!(t[0].subject.starts_with("Création de la VM campus35web"));
        assert!(t.iter().all(|t| t.to.is_none()), "no mailbox invented");
    }

    #[test]
    fn files_need_every_png() {
        let t = seed_tickets();
        let e = files(&t, &|_| None, None).unwrap_err();
        assert_eq!(e.code, Code::E0405);
        let f = files(&t, &|_| Some(b"\x89PNG\r\n\x1a\n".to_vec()), None).unwrap();
        assert_eq!(f.len(), t.len() * 2 + 1);
        assert_eq!(f[0].0, "tickets/57330.txt");
        assert_eq!(f[1].0, "tickets/57330.eml");
        assert_eq!(f.last().unwrap().0, "tickets/index.json");
    }

    #[test]
    fn print_selects_and_reports_unknowns() {
        let t = seed_tickets();
        let one = print(&t, None, Some("57838"), Format::Text).unwrap();
        assert!(
            one.contains("projets35") && !one.contains("campus35web"),
            "{one}"
        );
        let camp = print(&t, Some("campus"), None, Format::Json).unwrap();
        let v: serde_json::Value = serde_json::from_str(&camp).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 3);
        let e = print(&t, Some("nope"), None, Format::Text).unwrap_err();
        assert!(e.contains("campus, projets"), "{e}");
        let e = print(&t, Some("campus"), Some("57838"), Format::Text).unwrap_err();
        assert!(e.contains("57330, campus-jour-m, campus-m30"), "{e}");
    }

    #[test]
    fn known_jour_m_dates_the_tickets() {
        let text = crate::fixtures::SEED
            .replace("    order: 1\n", "    order: 1\n    jour_m: 2019-01-15\n");
        let (_, inv) = crate::load::load_bytes("inv.yaml", text.as_bytes()).unwrap();
        let p = crate::plan::plan(&inv);
        let t = tickets(&p, &Templates::load(None).unwrap()).unwrap();
        assert!(
            t[0].body.contains("Campus\u{a0}: 2019-01-15."),
            "{}",
            t[0].body
        );
        assert!(t[0].body.contains("jour M (2019-01-15)"), "{}", t[0].body);
        assert!(
            t[1].body.contains("Date\u{a0}: 2019-01-15\n"),
            "{}",
            t[1].body
        );
        assert!(
            t[2].body.contains("Date\u{a0}: 2019-02-14\n"),
            "{}",
            t[2].body
        );
        // Projets has no date yet.
        assert!(
            t[3].body.contains("date du jour M à confirmer"),
            "{}",
            t[3].body
        );
    }

    #[test]
    fn templates_folder_overrides_a_ticket_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CREATION_TEMPLATE),
            "Objet {{ vm.machine }}\n\nCorps {{ number }}\n",
        )
        .unwrap();
        let p = seed();
        let t = tickets(&p, &Templates::load(Some(dir.path())).unwrap()).unwrap();
        assert_eq!(
            (t[0].subject.as_str(), t[0].body.as_str()),
            ("Objet campus35web", "Corps 57330\n")
        );
        std::fs::write(dir.path().join(CREATION_TEMPLATE), "\n\n").unwrap();
        let e = tickets(&p, &Templates::load(Some(dir.path())).unwrap()).unwrap_err();
        assert_eq!(e.code, Code::E0403);
    }

    #[test]
    fn creation_without_number_warns_with_position() {
        let text = crate::fixtures::SEED.replace("{ create: { ticket: 57330 } }", "{ create: {} }");
        let (_, inv) = crate::load::load_bytes("inv.yaml", text.as_bytes()).unwrap();
        // The warning itself is validate's W0117 (E0117 in `check`).
        let w = crate::validate::validate("inv.yaml", &inv, crate::validate::Mode::Build);
        assert_eq!(w.iter().filter(|d| d.code == Code::W0117).count(), 1);
        assert!(w.iter().all(|d| !d.is_error()), "{w:?}");
        let p = crate::plan::plan(&inv);
        let t = tickets(&p, &Templates::load(None).unwrap()).unwrap();
        assert_eq!(t[0].id, "campus-creation-campus35web");
        assert!(t[0].body.contains("à obtenir"), "{}", t[0].body);
    }
}
