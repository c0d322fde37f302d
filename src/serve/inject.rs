//! What `serve` adds to the HTML it sends, and only there (files on disk never carry it):
//! just before `</body>`, the reload script, and the error overlay when the last build
//! failed. Script and style are files of their own under `/__bascule/`, so that a page
//! whose policy allows only its own origin's scripts still reloads.

use super::live::Snapshot;
use super::panel::Panel;

/// Every route of `serve` itself starts with this; no output file can.
pub(crate) const PREFIX: &str = "/__bascule/";
/// The Server-Sent Events stream: one `reload` event per build, with the build's tag.
pub(crate) const EVENTS: &str = "/__bascule/events";
pub(crate) const SCRIPT: &str = "/__bascule/live.js";
pub(crate) const STYLE: &str = "/__bascule/overlay.css";

/// Reloads the page when the server announces a build other than the one it shows (also
/// right after connecting, so that a build finished while the page loaded is not missed).
pub(crate) const LIVE_JS: &str = r#"// bascule serve: reload the page when a new build is published.
(() => {
  const tag = document.currentScript && document.currentScript.dataset.tag;
  const events = new EventSource("/__bascule/events");
  events.addEventListener("reload", (e) => {
    if (e.data !== tag) {
      events.close();
      location.reload();
    }
  });
})();
"#;

pub(crate) const OVERLAY_CSS: &str = "#bascule-overlay{all:initial;display:block;position:fixed;\
top:0;left:0;right:0;z-index:2147483647;max-height:80vh;overflow:auto;box-sizing:border-box;\
padding:1rem 1.5rem;background:#fff;color:#111;border-bottom:4px solid #b00020;\
box-shadow:0 4px 16px rgba(0,0,0,.35);font:16px/1.4 system-ui,sans-serif}\n\
#bascule-overlay p{margin:0 0 .5rem;font-weight:700;color:#b00020}\n\
#bascule-overlay pre{margin:0;white-space:pre-wrap;font:14px/1.45 ui-monospace,monospace;color:#111}\n";

/// A page of the server's own, saying `text`.
fn page(panel: &Panel, title: &str, text: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<title>{}</title>\n</head>\n<body>\n<p>{}</p>\n</body>\n</html>\n",
        escape(&panel.lang),
        escape(title),
        escape(text)
    )
}

/// `html` with the reload script (and the overlay, when the last build failed) inserted
/// just before its last `</body>`, or at its end when it has none.
pub(crate) fn inject(html: &str, live: &Snapshot) -> String {
    let mut extra = format!(
        "<script src=\"{SCRIPT}\" data-tag=\"{}\"></script>\n",
        escape(&live.tag)
    );
    if let Some(errors) = &live.overlay {
        extra.push_str(&overlay(errors, &live.panel));
    }
    // ASCII lowercasing keeps every byte where it was.
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + extra.len());
    out.push_str(&html[..at]);
    out.push_str(&extra);
    out.push_str(&html[at..]);
    out
}

/// The page shown while there is no built page.
pub(crate) fn placeholder(live: &Snapshot) -> String {
    inject(
        &page(&live.panel, "bascule serve", &live.panel.no_page),
        live,
    )
}

/// The page of a 404.
pub(crate) fn not_found(live: &Snapshot) -> String {
    let text = &live.panel.not_found;
    inject(&page(&live.panel, text, text), live)
}

/// The errors of the last build, over the page.
fn overlay(errors: &str, panel: &Panel) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"{STYLE}\">\n<div id=\"bascule-overlay\" role=\"alert\" \
lang=\"{}\">\n<p>{}</p>\n<pre>{}</pre>\n</div>\n",
        escape(&panel.lang),
        escape(&panel.failed),
        escape(errors)
    )
}

/// Text made safe in HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut buf = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(overlay: Option<&str>) -> Snapshot {
        Snapshot {
            tag: "7-1".into(),
            overlay: overlay.map(String::from),
            panel: std::sync::Arc::new(Panel::new(crate::diag::french())),
        }
    }

    #[test]
    fn the_pages_of_the_server_speak_the_language_of_the_run() {
        let fr = placeholder(&snap(Some("E")));
        assert!(fr.contains("<html lang=\"fr-CA\">"), "{fr}");
        assert!(
            fr.contains("lang=\"fr-CA\">\n<p>La dernière génération a échoué"),
            "{fr}"
        );
        assert!(fr.contains("Pas encore de page"), "{fr}");
        let en = Snapshot {
            panel: std::sync::Arc::new(Panel::new(crate::diag::english())),
            ..snap(Some("E"))
        };
        let page = not_found(&en);
        assert!(page.contains("<html lang=\"en\">") && page.contains("<p>404 Not Found</p>"));
        assert!(inject("", &en).contains("the last build failed"));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = "<html><body><pre></body></pre>\n</BODY></html>";
        let out = inject(html, &snap(None));
        let script = out.find(SCRIPT).unwrap();
        assert!(script > out.find("</pre>").unwrap(), "{out}");
        assert!(out.ends_with("</script>\n</BODY></html>"), "{out}");
        assert!(!out.contains("bascule-overlay"));
        assert!(out.contains("data-tag=\"7-1\""));
    }

    #[test]
    fn without_a_body_end_it_is_appended() {
        let out = inject("<p>x", &snap(None));
        assert!(out.starts_with("<p>x<script"), "{out}");
    }

    #[test]
    fn the_overlay_is_escaped() {
        let out = inject(
            "<body></body>",
            &snap(Some("inv.yaml:3:5: <script>alert(1)</script> & \"x\"")),
        );
        assert!(out.contains("id=\"bascule-overlay\""));
        assert!(
            out.contains("inv.yaml:3:5: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;")
        );
        assert!(!out.contains("<script>alert"), "{out}");
    }

    #[test]
    fn the_placeholder_carries_script_and_overlay() {
        let out = placeholder(&snap(Some("E")));
        assert!(out.contains(SCRIPT) && out.contains("bascule-overlay"));
    }
}
