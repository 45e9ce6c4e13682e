//! `cargo fuzz run archive`: see `bpkit_fuzz::archive` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bpkit_fuzz::archive(data));
