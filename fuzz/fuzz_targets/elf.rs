//! `cargo fuzz run elf`: see `bpkit_fuzz::elf` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bpkit_fuzz::elf(data));
