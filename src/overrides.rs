//! The writer's override files (a template, `labels.yaml`) read without trusting the
//! templates folder: a link is refused, a folder is no override. Templates and labels both
//! read through here, so neither needs the other for it.

use std::path::Path;

/// The text of an override at `path`, if there is one: a regular file, never a link (a link
/// could publish any file of the machine, `/etc/passwd` or a key, in the document and the
/// site). A folder or nothing there is no override.
pub(crate) fn read_override(path: &Path) -> Result<Option<String>, String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
        Ok(m) if m.file_type().is_symlink() => Err(
            "it is a link; a template must be a regular file in the templates folder (copy the file there)"
                .into(),
        ),
        Ok(m) if m.is_file() => std::fs::read_to_string(path).map(Some).map_err(|e| e.to_string()),
        Ok(_) => Ok(None),
    }
}
