//! Bytes a server sent past the end of a body its `Content-Length` delimited.
//!
//! HTTP reads exactly `Content-Length` bytes of a body; ureq leaves what comes after them
//! unread and drops the connection without a word (its pool does not reuse one with input left
//! over). A server (or a proxy, or a CDN) announcing a shorter length than the file it sends
//! thus hands bpkit the file's first bytes only, and the user saw a bare checksum mismatch that
//! blamed the manifest's `uri` or checksum. So every connection is wrapped in [`Watched`], which
//! notes, when ureq lets go of it, whether bytes were left in its input buffer, for the thread
//! that was reading through it ([`take`]): the body reads that end a response, and so let go of
//! its connection, run on the thread that asked for it (ureq is blocking).
//!
//! What is noted is a hint for a message, never a decision: bytes that had not reached the
//! buffer yet when the body ended are not seen, and a connection let go of for another reason
//! (an error answer whose body was not read, a download stopped half-way) also leaves bytes,
//! which is why the download asks only after a whole body it announced the length of.

use std::cell::Cell;
use std::fmt;

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

thread_local! {
    /// Whether a connection this thread read through was let go of with bytes left unread.
    static LEFT_OVER: Cell<bool> = const { Cell::new(false) };
}

/// Whether a connection was let go of with bytes left unread on this thread since the last
/// call; forgets it.
pub(crate) fn take() -> bool {
    LEFT_OVER.with(|seen| seen.replace(false))
}

/// A connector that wraps each transport of `C` in [`Watched`].
#[derive(Debug)]
pub(crate) struct Watching<C>(pub C);

impl<C: Connector<Out = Box<dyn Transport>>> Connector for Watching<C> {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(self
            .0
            .connect(details, chained)?
            .map(|inner| Box::new(Watched { inner }) as Box<dyn Transport>))
    }
}

/// A transport that, dropped with input left unread, says so to its thread ([`take`]).
pub(crate) struct Watched {
    inner: Box<dyn Transport>,
}

impl fmt::Debug for Watched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Watched").field(&self.inner).finish()
    }
}

impl Transport for Watched {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.inner.transmit_output(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        // A line break or two after a body is a sloppy server's habit, not a file cut short.
        let left = self.inner.buffers().input();
        if left.iter().any(|b| !b.is_ascii_whitespace()) {
            LEFT_OVER.with(|seen| seen.set(true));
        }
    }
}
