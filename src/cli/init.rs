//! `bascule init`: a new migration project, or an existing repository adopting bascule.

use super::*;
use std::path::Path;
use std::process::ExitCode;

/// What `init` did to each file, one line each.
fn report(done: &[bascule::init::Done]) {
    use bascule::diag::Count;
    use bascule::init::Done;
    use bascule::msg;
    for d in done {
        say(&line(&match d {
            Done::Created(p) => msg!("init.created", path = p.display()),
            Done::Merged(p, n) => msg!("init.merged", n = Count::of(*n), path = p.display()),
            Done::Replaced(p) => msg!("init.replaced", path = p.display()),
            Done::Kept {
                path,
                replaceable: true,
            } => msg!("init.kept_replaceable", path = path.display()),
            Done::Kept { path, .. } => msg!("init.kept", path = path.display()),
        }));
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
                say(&line(&bascule::msg!(
                    "init.next",
                    placeholder = init::PLACEHOLDER,
                    inventory = inventory.display(),
                    mark = bascule::validate::EXAMPLE_MARK
                )));
            } else {
                let text = bascule::msg!("init.unchanged", inventory = inventory.display());
                say(&line(&text));
            }
            ExitCode::SUCCESS
        }
        Err(InitError::Usage(e)) => usage(&e),
        Err(InitError::Io(e)) => {
            say(&line(&bascule::msg!("init.failed", reason = e)));
            ExitCode::from(1)
        }
    }
}
