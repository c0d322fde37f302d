//! A ticket as an email draft (RFC 5322 / MIME), assembled by mail-builder: RFC 2047
//! subject, quoted-printable or base64 body, the annexe PNG attached.
//!
//! The message is a draft for a mail client: no `From:` (the client fills in the sender),
//! no `Date:` or `Message-ID:` (the client adds them when sending; writing them here would
//! make two builds differ), `X-Unsent: 1` so that Outlook opens it ready to send, and a
//! fixed MIME boundary. `To:` only when the inventory (or `--to`) gives the Octopus mailbox.

use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::headers::{Header, HeaderType};
use mail_builder::mime::{BodyPart, MimePart};

/// Fixed boundary: quoted-printable and base64 never produce `=_`, so it cannot appear in
/// the parts.
pub const BOUNDARY: &str = "=_bascule_ticket_part";

fn header(out: &mut Vec<u8>, name: &str, value: HeaderType<'_>) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    value.write_header(out, name.len() + 2);
}

/// An address for `To:`: one `@`, something on each side, nothing that could end the
/// header or add another.
pub fn valid_mailbox(to: &str) -> bool {
    to.split_once('@').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && !to
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || "<>,;\"()[]\\".contains(c))
            && !b.contains('@')
    })
}

/// The whole message. `attachments`: file name and bytes, sent as `image/png`.
pub fn message(
    to: Option<&str>,
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
    if let Some(to) = to {
        if !valid_mailbox(to) {
            return Err(format!(
                "invalid Octopus mailbox `{}`",
                crate::diag::shown(to)
            ));
        }
        header(
            &mut out,
            "To",
            Address::new_address(None::<&str>, to).into(),
        );
    }
    let subject: String = subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    header(&mut out, "Subject", Text::new(subject).into());
    header(&mut out, "MIME-Version", Raw::new("1.0").into());
    header(&mut out, "X-Unsent", Raw::new("1").into());
    let mut parts = vec![MimePart::new("text/plain", body.replace('\n', "\r\n"))];
    for (name, bytes) in attachments {
        let kind = if name.ends_with(".ics") {
            "text/calendar; method=PUBLISH; charset=utf-8"
        } else {
            "image/png"
        };
        parts.push(MimePart::new(kind, *bytes).attachment(name.to_string()));
    }
    let ct = ContentType::new("multipart/mixed").attribute("boundary", BOUNDARY);
    MimePart::new(ct, BodyPart::Multipart(parts)).write_part(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_has_mime_parts_and_no_volatile_headers() {
        let m = message(None, "Test é", "Corps\n", &[("annexe-1.png", &[1, 2, 3])]).unwrap();
        let m = String::from_utf8(m).unwrap();
        assert!(m.is_ascii());
        assert!(!m.contains("\nTo:") && !m.starts_with("To:"));
        assert!(!m.contains("Date:") && !m.contains("Message-ID:"));
        assert!(m.contains("MIME-Version: 1.0\r\n"));
        assert!(m.contains("boundary=\"=_bascule_ticket_part\""));
        assert!(m.contains("filename=\"annexe-1.png\""));
        assert!(m.contains("AQID"));
        assert!(m.contains("Subject: =?utf-8?"), "{m}");
        assert_eq!(
            m,
            String::from_utf8(
                message(None, "Test é", "Corps\n", &[("annexe-1.png", &[1, 2, 3])]).unwrap()
            )
            .unwrap()
        );
    }

    #[test]
    fn mailbox_is_checked_and_never_splits_headers() {
        let with_to = message(Some("octopus@example.org"), "s", "b\n", &[]).unwrap();
        assert!(with_to.starts_with(b"To: <octopus@example.org>\r\n"));
        for bad in [
            "a@b\r\nBcc: x@y",
            "nobody",
            "a b@c.d",
            "a@b@c",
            "@b.c",
            "a@",
            "<a@b.c>",
        ] {
            assert!(message(Some(bad), "s", "b", &[]).is_err(), "{bad}");
        }
        let m = message(None, "ligne\r\nBcc: x@y", "b", &[]).unwrap();
        assert!(!String::from_utf8(m).unwrap().contains("\nBcc:"));
    }
}
