//! `cargo fuzz run manifest`: see `bpkit_fuzz::manifest` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bpkit_fuzz::manifest(data));
