//! `cargo fuzz run uri`: see `bpkit_fuzz::uri` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bpkit_fuzz::uri(data));
