pub(crate) mod constants;
mod non_utf8;
mod utf8;

pub use non_utf8::*;
pub use utf8::*;
