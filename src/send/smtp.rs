//! One SMTP session for `bascule send`, through lettre's connection: TLS (STARTTLS, implicit
//! TLS, or none on a loopback address only), authentication, and each delivery step by step
//! so that the journal can be written at the one moment it becomes uncertain: after the
//! server accepted the sender and the recipients, before the message itself.

use lettre::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailParameter};
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

/// How long one exchange with the server may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// How the connection is encrypted (`--tls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain connection, then STARTTLS (refused if the server does not offer it).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to a loopback address (a relay on this machine).
    None,
}

/// The server and how to reach it. The password never comes from a file or a flag.
#[derive(Clone)]
pub struct Server {
    /// Host name or IP address of the SMTP server (`--smtp`), without brackets.
    pub host: String,
    /// TCP port of the server (`--smtp HOST:PORT`, else the TLS mode's usual port).
    pub port: u16,
    /// How the connection is encrypted.
    pub tls: TlsMode,
    /// The login (`--smtp-user`); `None`: no authentication.
    pub user: Option<String>,
    /// The password, from `BASCULE_SMTP_PASSWORD`; read only with `user`.
    pub password: Option<String>,
    /// A certificate authority (PEM) trusted besides the system's.
    pub ca: Option<Vec<u8>>,
}

/// The outcome of one delivery.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted the message.
    Sent,
    /// The server refused it (a recipient, the sender or the message): nothing delivered,
    /// the session goes on.
    Refused(String),
    /// The connection failed before the message was handed over: nothing delivered, the
    /// session is over.
    Broken(String),
    /// The connection failed after the message was handed over and before the server
    /// answered: it may have arrived.
    Cut(String),
}

/// An open connection, encrypted and authenticated, ready for deliveries.
pub struct Session {
    conn: SmtpConnection,
}

/// Every address `host:port` resolves to, refused unless all are loopback addresses when
/// `loopback_only`.
pub fn addresses(server: &Server) -> Result<Vec<SocketAddr>, String> {
    let all: Vec<SocketAddr> = (server.host.as_str(), server.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{}`: {e}", server.host))?
        .collect();
    if server.tls == TlsMode::None && all.iter().any(|a| !a.ip().is_loopback()) {
        return Err(format!(
            "`--tls none` sends in clear text: only to a loopback address, and `{}` is not one",
            server.host
        ));
    }
    Ok(all)
}

fn tls(server: &Server) -> Result<TlsParameters, String> {
    let mut b = TlsParameters::builder(server.host.clone());
    if let Some(pem) = &server.ca {
        let cert = Certificate::from_pem(pem)
            .map_err(|e| format!("the CA certificate is unusable: {e}"))?;
        b = b.add_root_certificate(cert);
    }
    b.build_rustls().map_err(|e| format!("TLS: {e}"))
}

/// Connects, encrypts and authenticates.
pub fn connect(server: &Server) -> Result<Session, String> {
    let addrs = addresses(server)?;
    let hello = ClientId::default();
    let params = match server.tls {
        TlsMode::None => None,
        _ => Some(tls(server)?),
    };
    let implicit = (server.tls == TlsMode::Tls)
        .then_some(())
        .and(params.as_ref());
    let at = format!("{}:{}", server.host, server.port);
    let mut conn = SmtpConnection::connect(&addrs[..], Some(TIMEOUT), &hello, implicit, None)
        .map_err(|e| format!("cannot connect to {at}: {e}"))?;
    if let (TlsMode::Starttls, Some(p)) = (server.tls, &params) {
        if !conn.can_starttls() {
            return Err(format!(
                "{at} does not offer STARTTLS: use `--tls tls` if it speaks TLS from the start"
            ));
        }
        conn.starttls(p, &hello)
            .map_err(|e| format!("STARTTLS with {at} failed: {e}"))?;
    }
    if let Some(user) = &server.user {
        let password = server.password.clone().unwrap_or_default();
        let credentials = Credentials::new(user.clone(), password);
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
            .map_err(|e| format!("{at} refused the login of `{user}`: {e}"))?;
    }
    Ok(Session { conn })
}

fn refused_or_broken(e: lettre::transport::smtp::Error) -> Outcome {
    if e.is_permanent() || e.is_transient() {
        Outcome::Refused(e.to_string())
    } else {
        Outcome::Broken(e.to_string())
    }
}

impl Session {
    /// The server takes internationalised addresses (SMTPUTF8).
    pub fn smtputf8(&self) -> bool {
        self.conn
            .server_info()
            .supports_feature(Extension::SmtpUtfEight)
    }

    /// Sends `message` from `from` to `to`. `handing_over` runs once the server waits for
    /// the message (the journal's « sending »); if it fails, nothing is handed over.
    pub fn deliver(
        &mut self,
        from: &Address,
        to: &[Address],
        message: &[u8],
        handing_over: impl FnOnce() -> std::io::Result<()>,
    ) -> Result<Outcome, std::io::Error> {
        let ascii = |a: &Address| a.to_string().is_ascii();
        let utf8 = !ascii(from) || !to.iter().all(ascii);
        let params = if utf8 {
            vec![MailParameter::SmtpUtfEight]
        } else {
            vec![]
        };
        if let Err(e) = self.conn.command(Mail::new(Some(from.clone()), params)) {
            return Ok(self.reset(refused_or_broken(e)));
        }
        for rcpt in to {
            if let Err(e) = self.conn.command(Rcpt::new(rcpt.clone(), vec![])) {
                let outcome = match refused_or_broken(e) {
                    Outcome::Refused(why) => Outcome::Refused(format!("recipient {rcpt}: {why}")),
                    other => other,
                };
                return Ok(self.reset(outcome));
            }
        }
        if let Err(e) = self.conn.command(Data) {
            return Ok(self.reset(refused_or_broken(e)));
        }
        if let Err(e) = handing_over() {
            self.conn.abort();
            return Err(e);
        }
        Ok(match self.conn.message(message) {
            Ok(_) => Outcome::Sent,
            Err(e) if e.is_permanent() || e.is_transient() => Outcome::Refused(e.to_string()),
            Err(e) => Outcome::Cut(e.to_string()),
        })
    }

    /// After a refusal, the server forgets the transaction (RSET) so the next one starts
    /// clean.
    fn reset(&mut self, outcome: Outcome) -> Outcome {
        match outcome {
            Outcome::Refused(why) if self.conn.command(Rset).is_err() => {
                Outcome::Broken(format!("{why}; then the server did not accept RSET"))
            }
            other => other,
        }
    }

    /// Says QUIT and closes the connection, ignoring the server's answer.
    pub fn quit(mut self) {
        let _ = self.conn.quit();
    }
}
