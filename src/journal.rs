//! The journal of sent requests: `<inventory>.sent.json` beside the inventory, committed with
//! it, read by `bascule send` (what was sent, what changed since) and by `check` (a creation
//! sent whose number is pending is a warning, not an error).
//!
//! One entry per delivery, appended, never rewritten but for its own outcome: `sending` is
//! written once the server has accepted the recipients and waits for the message, `sent`
//! or `refused` once it has answered. An entry left `sending` is a delivery cut mid-way:
//! the message may have arrived, so it is never sent again without `--retry`. Every write
//! replaces the file in one step (a temporary file, synced, then renamed).

use crate::diag::{Code, Diagnostic, Pos};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The version of the journal's format.
pub const VERSION: u32 = 1;

/// The journal file: its format version, then every delivery in the order made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journal {
    /// The format's version; reading refuses any other than [`VERSION`].
    pub version: u32,
    /// Every delivery, oldest first (appended, never removed).
    pub deliveries: Vec<Delivery>,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            version: VERSION,
            deliveries: Vec::new(),
        }
    }
}

/// One message handed to the SMTP server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// The request's stable name (its ticket files' stem), e.g. `examens-jour-m`.
    pub key: String,
    /// A new request, or an update of request `number`.
    pub purpose: Purpose,
    /// The request updated (an update only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// `Message-ID:` of the message, with its angle brackets.
    pub message_id: String,
    /// `sha256:` of the request as sent, Octopus numbers left out (see `crate::send`).
    pub digest: String,
    /// `Subject:` of the message as sent.
    pub subject: String,
    /// `To:` of the message: one address or a list, as the inventory writes it.
    pub to: String,
    /// Where the delivery stands: being handed over, sent, or refused.
    pub status: Status,
    /// When the server was handed the message (RFC 3339, UTC).
    pub started: String,
    /// When it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished: Option<String>,
    /// The server's answer when it refused, or the fault that cut the delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Why a message was sent (serialized lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// To open a new request.
    New,
    /// To update request `number`, already filed.
    Update,
}

/// How a delivery ended, as far as the journal knows (serialized lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Handed over, no answer recorded: it may have arrived.
    Sending,
    /// The server accepted it.
    Sent,
    /// The server refused it: nothing was delivered.
    Refused,
}

impl Journal {
    /// The last delivery of `key` that may have reached Octopus (sent, or cut mid-way).
    pub fn last(&self, key: &str) -> Option<&Delivery> {
        self.deliveries
            .iter()
            .rev()
            .find(|d| d.key == key && d.status != Status::Refused)
    }

    /// The last delivery of `key` that the server accepted.
    pub fn last_sent(&self, key: &str) -> Option<&Delivery> {
        self.deliveries
            .iter()
            .rev()
            .find(|d| d.key == key && d.status == Status::Sent)
    }

    /// The keys of every request that may have reached Octopus.
    pub fn sent_keys(&self) -> BTreeSet<String> {
        self.deliveries
            .iter()
            .filter(|d| d.status != Status::Refused)
            .map(|d| d.key.clone())
            .collect()
    }
}

/// The journal of `inventory`: `inventaire.yaml` → `inventaire.sent.json`, in its folder.
pub fn path_for(inventory: &Path) -> PathBuf {
    let stem = inventory
        .file_stem()
        .map_or_else(|| "inventory".into(), |s| s.to_string_lossy().into_owned());
    inventory.with_file_name(format!("{stem}.sent.json"))
}

fn fault(path: &Path, pos: Pos, message: crate::diag::Text) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(Code::E0151, &path.display().to_string(), pos, message)
            .with_help(crate::msg!("journal.help")),
    )
}

/// Reads the journal at `path`; none there is an empty journal.
pub fn read(path: &Path) -> Result<Journal, Box<Diagnostic>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Journal::default()),
        Err(e) => {
            let text = crate::msg!("journal.unreadable", reason = e);
            return Err(fault(path, Pos::default(), text));
        }
    };
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| {
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        let pos = Pos::new(n(e.line()), n(e.column()));
        fault(path, pos, crate::msg!("journal.not_journal", reason = e))
    })?;
    if journal.version != VERSION {
        return Err(fault(
            path,
            Pos::default(),
            crate::msg!(
                "journal.version",
                version = journal.version,
                known = VERSION
            ),
        ));
    }
    Ok(journal)
}

/// Replaces the journal at `path` in one step, synced to disk before and after the rename.
pub fn write(path: &Path, journal: &Journal) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut text = serde_json::to_vec_pretty(journal).map_err(std::io::Error::other)?;
    text.push(b'\n');
    let mut tmp = tempfile::Builder::new()
        .prefix(".bascule-journal")
        .tempfile_in(dir)?;
    tmp.write_all(&text)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(key: &str, status: Status) -> Delivery {
        Delivery {
            key: key.into(),
            purpose: Purpose::New,
            number: None,
            message_id: format!("<{key}@example.org>"),
            digest: "sha256:00".into(),
            subject: "s".into(),
            to: "o@example.org".into(),
            status,
            started: "2026-12-06T10:00:00Z".into(),
            finished: None,
            error: None,
        }
    }

    #[test]
    fn path_is_beside_the_inventory() {
        assert_eq!(
            path_for(Path::new("inventory/moodle.yaml")),
            Path::new("inventory/moodle.sent.json")
        );
    }

    #[test]
    fn refused_deliveries_never_count_as_sent() {
        let j = Journal {
            version: VERSION,
            deliveries: vec![
                delivery("a", Status::Sent),
                delivery("b", Status::Refused),
                delivery("c", Status::Sending),
                delivery("a", Status::Refused),
            ],
        };
        assert_eq!(j.last("a").unwrap().status, Status::Sent);
        assert!(j.last("b").is_none());
        assert_eq!(j.last("c").unwrap().status, Status::Sending);
        let keys: Vec<String> = j.sent_keys().into_iter().collect();
        assert_eq!(keys, ["a", "c"]);
    }

    #[test]
    fn a_journal_round_trips_and_a_bad_one_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("i.sent.json");
        assert_eq!(read(&path).unwrap(), Journal::default());
        let j = Journal {
            version: VERSION,
            deliveries: vec![delivery("a", Status::Sent)],
        };
        write(&path, &j).unwrap();
        assert_eq!(read(&path).unwrap(), j);
        std::fs::write(&path, "{\n  \"version\": 1,\n  \"deliveries\": 3\n}\n").unwrap();
        let e = read(&path).unwrap_err();
        assert_eq!((e.code, e.line), (Code::E0151, 3), "{e:?}");
        std::fs::write(&path, "{\"version\": 2, \"deliveries\": []}").unwrap();
        assert!(read(&path).unwrap_err().message.en().contains("version 2"));
    }
}
