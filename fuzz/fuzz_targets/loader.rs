//! Fuzzes load → validate → plan: any bytes must give an inventory or a located
//! diagnostic, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((src, inv)) = bascule::load::load_bytes("fuzz.yaml", data) {
        let diags = bascule::validate::validate(&src.name, &inv, bascule::validate::Mode::Check);
        if !diags.iter().any(|d| d.is_error()) {
            let _ = bascule::plan::plan(&inv);
        }
    }
});
