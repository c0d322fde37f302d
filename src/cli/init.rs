//! `bascule init`: a new migration project, or an existing repository adopting bascule.

use super::*;
use std::path::Path;
use std::process::ExitCode;

/// What `init` did to each file, one line each.
fn report(done: &[bascule::init::Done]) {
    use bascule::init::Done;
    for d in done {
        say(&match d {
            Done::Created(p) => format!("created {}\n", p.display()),
            Done::Merged(p, n) => format!("added {n} line(s) to {}\n", p.display()),
            Done::Replaced(p) => format!("replaced {} (--force)\n", p.display()),
            Done::Kept {
                path,
                replaceable: true,
            } => format!(
                "kept {}: it exists (`--force` replaces it with bascule's)\n",
                path.display()
            ),
            Done::Kept { path, .. } => format!("kept {}: it exists\n", path.display()),
        });
    }
}

pub(crate) fn init(
    dir: &Path,
    organisation: Option<String>,
    instances: Vec<String>,
    force: bool,
) -> ExitCode {
    use bascule::init::{self, Done, InitError};
    let opts = init::Options {
        organisation,
        instances,
    };
    let result = init::files(&opts).and_then(|files| init::write(dir, &files, force));
    match result {
        Ok(done) => {
            report(&done);
            let inventory = dir.join(init::INVENTORY_PATH);
            let new = done.contains(&Done::Created(inventory.clone()));
            if new {
                say(&format!(
                    "next: fill every `{}` of {} and change every value marked `# {}` (then remove its mark), then run `bascule check`\n",
                    init::PLACEHOLDER,
                    inventory.display(),
                    bascule::validate::EXAMPLE_MARK
                ));
            } else {
                say(&format!(
                    "next: your inventory {} is unchanged; run `bascule check`\n",
                    inventory.display()
                ));
            }
            ExitCode::SUCCESS
        }
        Err(InitError::Usage(e)) => usage(&e),
        Err(InitError::Io(e)) => {
            say(&format!("error: {e}; the files created were removed\n"));
            ExitCode::from(1)
        }
    }
}
