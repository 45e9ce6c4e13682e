//! `cargo fuzz run version`: see `bpkit_fuzz::version` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bpkit_fuzz::version(data));
