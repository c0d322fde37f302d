//! Fuzzes every stage but the PNGs: load → validate → plan → render → check. Any bytes
//! must give outputs or a located diagnostic, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bascule::check::exercise(data);
});
