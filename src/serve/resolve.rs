//! Request target → a file inside the site folder, or nothing. Nothing outside the site
//! folder is ever named: `..` and `.` segments, empty segments (`//etc`), encoded
//! separators (`%2f`, `%5c`), backslashes and NUL are refused before the file system is
//! asked, and the path found is then resolved (links followed) and must still lie inside
//! the resolved site folder, so that a link pointing out of it is refused too.

use percent_encoding::percent_decode_str;
use std::path::{Component, Path, PathBuf};

/// What a request target names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A regular file inside the site folder (links resolved).
    File(PathBuf),
    /// A folder asked for without its final `/`: the same with it, so that the page's
    /// relative links resolve inside the folder.
    Redirect(String),
    NotFound,
}

/// The file `target` (a request target such as `/annexes/annexe-1.svg?x`) names in `site`.
pub(crate) fn resolve(site: &Path, target: &str) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(rel) = relative(path) else {
        return Target::NotFound;
    };
    let Ok(root) = std::fs::canonicalize(site) else {
        return Target::NotFound;
    };
    let Some(found) = inside(&root, &root.join(&rel)) else {
        return Target::NotFound;
    };
    if found.is_file() {
        return Target::File(found);
    }
    if !found.is_dir() {
        return Target::NotFound;
    }
    if !path.ends_with('/') {
        return Target::Redirect(format!("{path}/"));
    }
    match inside(&root, &found.join("index.html")) {
        Some(index) if index.is_file() => Target::File(index),
        _ => Target::NotFound,
    }
}

/// `path` resolved (links followed), if it exists and lies inside `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    real.starts_with(root).then_some(real)
}

/// The decoded relative path of an origin-form path (`/a/b/`), made of plain names only;
/// `None` for anything else.
fn relative(path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix('/')?;
    let mut rel = PathBuf::new();
    let segments: Vec<&str> = rest.split('/').collect();
    for (i, raw) in segments.iter().enumerate() {
        if raw.is_empty() {
            // Only the last segment may be empty: `/` or `/annexes/`.
            if i + 1 == segments.len() {
                continue;
            }
            return None;
        }
        rel.push(segment(raw)?);
    }
    Some(rel)
}

/// One percent-decoded path segment, if it is a plain file name.
fn segment(raw: &str) -> Option<String> {
    let name = percent_decode_str(raw).decode_utf8().ok()?;
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && matches!(
            Path::new(name.as_ref()).components().collect::<Vec<_>>()[..],
            [Component::Normal(_)]
        );
    plain.then(|| name.into_owned())
}

/// The `Content-Type` of a file of the site, by extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("ico") => "image/vnd.microsoft.icon",
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("md") => "text/markdown; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("eml") => "message/rfc822",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_decoded() {
        assert_eq!(relative("/"), Some(PathBuf::new()));
        assert_eq!(relative("/a/b.svg"), Some(PathBuf::from("a/b.svg")));
        assert_eq!(relative("/a/"), Some(PathBuf::from("a")));
        assert_eq!(
            relative("/ann%C3%A9e.txt"),
            Some(PathBuf::from("année.txt"))
        );
    }

    #[test]
    fn escapes_are_refused() {
        for bad in [
            "",
            "a",
            "//etc/passwd",
            "/../x",
            "/a/../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/.",
            "/a/./b",
            "/..%2f..%2fCargo.toml",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/a%00b",
            "/%ff",
            "http://example.org/x",
            "C:/x",
        ] {
            assert_eq!(relative(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a/b.SVG")), "image/svg+xml");
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("annexes")).unwrap();
        std::fs::write(site.join("index.html"), "<p>").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), site.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), site.join("up")).unwrap();
        std::os::unix::fs::symlink(site.join("index.html"), site.join("same.html")).unwrap();
        assert_eq!(resolve(&site, "/leak.txt"), Target::NotFound);
        assert_eq!(resolve(&site, "/up/secret.txt"), Target::NotFound);
        assert_eq!(resolve(&site, "/up/"), Target::NotFound);
        let index = std::fs::canonicalize(site.join("index.html")).unwrap();
        assert_eq!(resolve(&site, "/same.html"), Target::File(index.clone()));
        assert_eq!(resolve(&site, "/?reload=1"), Target::File(index));
        assert_eq!(
            resolve(&site, "/annexes"),
            Target::Redirect("/annexes/".into())
        );
        assert_eq!(resolve(&site, "/annexes/"), Target::NotFound);
    }
}
