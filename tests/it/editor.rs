//! The editor's view: yaml-language-server (what VS Code, Zed and Neovim run for YAML), driven
//! over the Language Server Protocol as an editor would, finds the schema through the
//! inventory's first line: the repo's inventory has no mistake, a broken one is underlined at
//! each mistake, values are completed and fields described on hover.

use crate::common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

fn server_path() -> Option<std::path::PathBuf> {
    let p = repo().join("node_modules/yaml-language-server/bin/yaml-language-server");
    p.is_file().then_some(p)
}

struct Server {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads LSP frames (`Content-Length: N`, blank line, N bytes of JSON) into a channel.
fn reader(out: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(out);
        loop {
            let mut len = 0;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    len = n.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            if let Ok(v) = serde_json::from_slice(&body)
                && tx.send(v).is_err()
            {
                return;
            }
        }
    });
    rx
}

const SETTINGS: &str = r#"{ "validate": true, "hover": true, "completion": true,
    "schemaStore": { "enable": false }, "format": { "enable": false } }"#;

impl Server {
    fn start(path: &std::path::Path) -> Server {
        let mut child = Command::new("node")
            .arg(path)
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run node");
        let input = child.stdin.take().unwrap();
        let messages = reader(child.stdout.take().unwrap());
        let mut s = Server {
            child,
            input,
            messages,
            next_id: 0,
        };
        let root = format!("file://{}", repo().display());
        let caps = json!({
            "textDocument": {
                "completion": { "completionItem": { "snippetSupport": false } },
                "hover": { "contentFormat": ["plaintext"] },
                "publishDiagnostics": {}
            },
            "workspace": { "configuration": true }
        });
        s.request(
            "initialize",
            json!({ "processId": null, "rootUri": root, "capabilities": caps }),
        );
        s.notify("initialized", json!({}));
        let yaml: Value = serde_json::from_str(SETTINGS).unwrap();
        s.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": { "yaml": yaml } }),
        );
        s
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message `pick` accepts, answering the server's own requests meanwhile.
    fn wait(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self
                .messages
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("yaml-language-server: no {what} within 60 s"));
            if let (Some(id), Some(method)) = (msg.get("id"), msg["method"].as_str()) {
                let result = match method {
                    "workspace/configuration" => {
                        let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                        let items: Vec<Value> = msg["params"]["items"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|i| match i["section"].as_str() {
                                Some("yaml") => serde_json::from_str(SETTINGS).unwrap(),
                                _ => Value::Null,
                            })
                            .chain(std::iter::repeat(Value::Null))
                            .take(n)
                            .collect();
                        Value::Array(items)
                    }
                    _ => Value::Null,
                };
                let id = id.clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": result }));
                continue;
            }
            if pick(&msg) {
                return msg;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(method, |m| m["id"] == id && m.get("method").is_none())
    }

    /// Opens `text` as a document of `inventory/` (never written to disk: the first line's
    /// relative path resolves from there) and returns its diagnostics.
    fn open(&mut self, name: &str, text: &str) -> (String, Vec<Value>) {
        let uri = format!("file://{}/inventory/{name}", repo().display());
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        let u = uri.clone();
        let msg = self.wait("diagnostics", move |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u
        });
        let diags = msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        (uri, diags)
    }
}

/// 0-based line and the column just after `needle` on it.
fn at(text: &str, needle: &str) -> (usize, usize) {
    let i = text.find(needle).unwrap_or_else(|| panic!("{needle:?}"));
    let line = text[..i].matches('\n').count();
    let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    (line, text[start..i + needle.len()].encode_utf16().count())
}

#[test]
fn the_editor_finds_the_schema_underlines_completes_and_describes() {
    let Some(path) = server_path() else {
        return tool_missing("yaml-language-server (npm install yaml-language-server)");
    };
    let mut server = Server::start(&path);

    let broken = SEED
        .replacen(
            "dns: [campus.cegepadistance.ca]",
            "dns: campus.cegepadistance.ca",
            1,
        )
        .replacen("fate: delete }", "fate: deleted }", 1)
        .replacen("    users: SIPI", "    usrs: SIPI", 1)
        .replacen("    kind: after", "    kind: aftr", 1);
    let (uri, diags) = server.open("editor-broken.yaml", &broken);
    let lines: Vec<u64> = diags
        .iter()
        .filter_map(|d| d["range"]["start"]["line"].as_u64())
        .collect();
    for needle in ["dns: campus.", "fate: deleted", "usrs: SIPI", "kind: aftr"] {
        let (line, _) = at(&broken, needle);
        assert!(
            lines.contains(&(line as u64)),
            "{needle} not underlined: {diags:#?}"
        );
    }
    // Opened after the broken one, so the schema is known by then: nothing is underlined.
    let (_, clean) = server.open("editor-seed.yaml", SEED);
    assert!(clean.is_empty(), "the seed is underlined: {clean:#?}");

    let (line, character) = at(&broken, "    environment: ");
    let done = server.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
    );
    let items = done["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    for env in ["production", "preproduction", "sandbox"] {
        assert!(labels.contains(&env), "{env} not completed: {labels:?}");
    }

    let (line, character) = at(&broken, "      - machin");
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
    );
    let shown = hover["result"]["contents"].to_string();
    assert!(shown.contains("Le nom de machine"), "hover: {shown}");
}
