//! A ticket as an email draft (RFC 5322 / MIME), assembled by mail-builder: RFC 2047
//! subject, quoted-printable or base64 body, the annexe PNG attached.
//!
//! The stored message is a draft for a mail client: no `From:` (the client fills in the
//! sender), no `Date:` or `Message-ID:` (the client adds them when sending; writing them here
//! would make two builds differ), `X-Unsent: 1` so that Outlook opens it ready to send, and a
//! fixed MIME boundary. `To:` only when the inventory (or `--to`) gives the Octopus mailbox.
//! `bascule send` builds the same message with the headers of a sent one (see [`Head`]).

use crate::model::mailboxes;
use lettre::message::Mailbox;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::headers::{Header, HeaderType};
use mail_builder::mime::{BodyPart, MimePart};

/// The MIME boundary's prefix. The boundary is this, then a digest of the message's parts
/// (the same parts, the same boundary: builds stay identical), and it is verified: a part
/// sent as it is (a plain-ASCII calendar file) could otherwise hold it and split the
/// message for a mail reader.
pub(crate) const BOUNDARY_PREFIX: &str = "=_bascule_";

/// A boundary for these parts: a digest of them, with a counter in the unlikely case that
/// the encoded message holds it anywhere but on its delimiter lines.
fn boundary(body: &str, attachments: &[(&str, &[u8])], attempt: u32) -> String {
    use sha2::{Digest as _, Sha256};
    let mut h = Sha256::new();
    h.update(attempt.to_le_bytes());
    h.update(body.as_bytes());
    for (name, bytes) in attachments {
        h.update(name.as_bytes());
        h.update(bytes);
    }
    let hex: String = h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{BOUNDARY_PREFIX}{hex}")
}

/// `--boundary` stands only at the start of its delimiter lines: once per part, and once to
/// close.
fn boundary_holds(message: &[u8], boundary: &str, parts: usize) -> bool {
    let needle = format!("--{boundary}");
    let text = String::from_utf8_lossy(message);
    let found = text.matches(&needle).count();
    let delimiters = text
        .split("\r\n")
        .filter(|l| *l == needle || *l == format!("{needle}--"))
        .count();
    found == parts + 1 && delimiters == parts + 1
}

fn header(out: &mut Vec<u8>, name: &str, value: HeaderType<'_>) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    value.write_header(out, name.len() + 2);
}

fn address(m: &Mailbox) -> Address<'_> {
    Address::new_address(m.name.as_deref(), m.email.to_string())
}

fn address_header(list: &[Mailbox]) -> HeaderType<'_> {
    match list {
        [m] => address(m).into(),
        _ => Address::new_list(list.iter().map(address).collect()).into(),
    }
}

/// The headers that differ between a draft and a sent message.
#[derive(Debug, Default, Clone)]
pub(crate) struct Head {
    /// `To:` (one address or a list), when known.
    pub to: Option<String>,
    /// Set when the message is sent: `From:`, `Date:` (RFC 5322) and `Message-ID:` (with
    /// its angle brackets). A draft has none of them and says `X-Unsent: 1`.
    pub sent: Option<Sent>,
}

#[derive(Debug, Clone)]
pub struct Sent {
    pub from: String,
    pub date: String,
    pub message_id: String,
}

/// The whole message. `attachments`: file name and bytes, sent as `image/png` (or as a
/// calendar for `.ics`).
pub(crate) fn message(
    head: &Head,
    subject: &str,
    body: &str,
    attachments: &[(&str, &[u8])],
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(
        body.len()
            + attachments
                .iter()
                .map(|a| a.1.len() * 4 / 3 + 256)
                .sum::<usize>(),
    );
    let to = head
        .to
        .as_deref()
        .map(|t| mailboxes(t).map_err(|e| format!("invalid Octopus mailbox: {}", e.en())))
        .transpose()?;
    if let Some(sent) = &head.sent {
        let from = mailboxes(&sent.from).map_err(|e| format!("invalid sender: {}", e.en()))?;
        header(&mut out, "From", address_header(&from));
    }
    if let Some(to) = &to {
        header(&mut out, "To", address_header(to));
    }
    let subject: String = subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    header(&mut out, "Subject", Text::new(subject).into());
    if let Some(sent) = &head.sent {
        header(&mut out, "Date", Raw::new(sent.date.as_str()).into());
        header(
            &mut out,
            "Message-ID",
            Raw::new(sent.message_id.as_str()).into(),
        );
    }
    header(&mut out, "MIME-Version", Raw::new("1.0").into());
    if head.sent.is_none() {
        header(&mut out, "X-Unsent", Raw::new("1").into());
    }
    let head_len = out.len();
    for attempt in 0..8 {
        let b = boundary(body, attachments, attempt);
        out.truncate(head_len);
        body_parts(body, attachments, &b).write_part(&mut out);
        if boundary_holds(&out[head_len..], &b, attachments.len() + 1) {
            return Ok(out);
        }
    }
    Err("no MIME boundary stays out of the message's parts".into())
}

/// The text, then each attachment, in one multipart/mixed.
fn body_parts<'a>(body: &str, attachments: &[(&'a str, &'a [u8])], boundary: &str) -> MimePart<'a> {
    let mut parts = vec![MimePart::new("text/plain", body.replace('\n', "\r\n"))];
    for (name, bytes) in attachments {
        let kind = if name.ends_with(".ics") {
            "text/calendar; method=PUBLISH; charset=utf-8"
        } else {
            "image/png"
        };
        parts.push(MimePart::new(kind, *bytes).attachment(name.to_string()));
    }
    let ct = ContentType::new("multipart/mixed").attribute("boundary", boundary.to_string());
    MimePart::new(ct, BodyPart::Multipart(parts))
}

/// A service request's body as MailIntegration reads it: between two lines holding the
/// token it is configured with (`NewSRBodyEnclosingToken`).
pub(crate) fn enclose(body: &str, token: Option<&str>) -> String {
    match token {
        Some(t) => format!("{t}\n{body}{t}\n"),
        None => body.to_string(),
    }
}

/// The boundary a message declares (for the tests that take a message apart).
#[cfg(test)]
pub(crate) fn boundary_of(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    let after = text.split("boundary=\"").nth(1).unwrap_or_default();
    after.split('"').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_has_mime_parts_and_no_volatile_headers() {
        let m = message(
            &Head::default(),
            "Test é",
            "Corps\n",
            &[("annexe-1.png", &[1, 2, 3])],
        )
        .unwrap();
        let m = String::from_utf8(m).unwrap();
        assert!(m.is_ascii());
        assert!(!m.contains("\nTo:") && !m.starts_with("To:"));
        assert!(!m.contains("Date:") && !m.contains("Message-ID:"));
        assert!(m.contains("MIME-Version: 1.0\r\n"));
        assert!(m.contains("boundary=\"=_bascule_"));
        assert!(m.contains("filename=\"annexe-1.png\""));
        assert!(m.contains("AQID"));
        assert!(m.contains("Subject: =?utf-8?"), "{m}");
        assert_eq!(
            m,
            String::from_utf8(
                message(
                    &Head::default(),
                    "Test é",
                    "Corps\n",
                    &[("annexe-1.png", &[1, 2, 3])]
                )
                .unwrap()
            )
            .unwrap()
        );
    }

    fn to(list: &str) -> Head {
        Head {
            to: Some(list.into()),
            sent: None,
        }
    }

    #[test]
    fn mailbox_is_checked_and_never_splits_headers() {
        let with_to = message(&to("octopus@example.org"), "s", "b\n", &[]).unwrap();
        assert!(with_to.starts_with(b"To: <octopus@example.org>\r\n"));
        for bad in [
            "a@b\r\nBcc: x@y",
            "nobody",
            "a b@c.d",
            "a@b@c",
            "@b.c",
            "a@",
            "",
        ] {
            assert!(message(&to(bad), "s", "b", &[]).is_err(), "{bad}");
        }
        let m = message(&Head::default(), "ligne\r\nBcc: x@y", "b", &[]).unwrap();
        assert!(!String::from_utf8(m).unwrap().contains("\nBcc:"));
    }

    #[test]
    fn names_and_lists_are_addresses() {
        let m = message(
            &to("Centre de services <octopus@example.org>, b@example.org"),
            "s",
            "b\n",
            &[],
        )
        .unwrap();
        let m = String::from_utf8(m).unwrap();
        assert!(
            m.starts_with("To: \"Centre de services\" <octopus@example.org>, <b@example.org>\r\n"),
            "{m}"
        );
    }

    #[test]
    fn a_sent_message_has_its_headers_and_no_draft_mark() {
        let head = Head {
            to: Some("o@example.org".into()),
            sent: Some(Sent {
                from: "Équipe Web <web@example.org>".into(),
                date: "Sun, 06 Dec 2026 10:00:00 +0000".into(),
                message_id: "<a.b@example.org>".into(),
            }),
        };
        let m = String::from_utf8(message(&head, "s", "b\n", &[]).unwrap()).unwrap();
        let head_end = m.find("\r\n\r\n").unwrap();
        let lines: Vec<&str> = m[..head_end]
            .split("\r\n")
            .map(|l| l.split(':').next().unwrap())
            .collect();
        assert_eq!(lines[..2], ["From", "To"], "{m}");
        assert!(m.starts_with("From: =?utf-8?"), "{m}");
        assert!(m.contains("\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n"));
        assert!(m.contains("\r\nMessage-ID: <a.b@example.org>\r\n"));
        assert!(!m.contains("X-Unsent"));
        let bad = Head {
            sent: Some(Sent {
                from: "nobody".into(),
                ..head.sent.clone().unwrap()
            }),
            ..head
        };
        assert!(message(&bad, "s", "b", &[]).is_err());
    }

    #[test]
    fn a_service_request_body_is_enclosed() {
        assert_eq!(
            enclose("a\nb\n", Some("CreateSR")),
            "CreateSR\na\nb\nCreateSR\n"
        );
        assert_eq!(enclose("a\n", None), "a\n");
    }

    #[test]
    fn no_text_can_split_the_message() {
        let ics: &[u8] = b"BEGIN:VCALENDAR\r\n--=_bascule_ticket_part\r\nContent-Type: text/plain\r\n\r\nfaux\r\nEND:VCALENDAR\r\n";
        let m = message(&Head::default(), "s", "corps\n", &[("x.ics", ics)]).unwrap();
        let b = boundary_of(&m);
        let b = b.as_str();
        assert!(
            b.starts_with(BOUNDARY_PREFIX) && b.len() == BOUNDARY_PREFIX.len() + 24,
            "{b}"
        );
        assert!(boundary_holds(&m, b, 2));
        assert!(
            !boundary_holds(&m, "=_bascule_ticket_part", 2),
            "the old fixed one would split it"
        );
        assert!(
            !boundary_holds(b"--b\r\nx --b\r\n--b--\r\n", "b", 1),
            "a boundary inside a line"
        );
        assert!(boundary_holds(b"--b\r\nx\r\n--b--\r\n", "b", 1));
        let other = message(&Head::default(), "s", "corps 2\n", &[("x.ics", ics)]).unwrap();
        assert_ne!(boundary_of(&other), b, "another message, another boundary");
        assert_eq!(
            boundary_of(&message(&Head::default(), "s", "corps\n", &[("x.ics", ics)]).unwrap()),
            b
        );
    }
}
