//! What happens on Ctrl-C while kb waits for a person.
//!
//! While a prompt waits, an interrupt (SIGINT, or SIGTERM/SIGHUP when the terminal goes away)
//! ends kb at once, as it always did — nothing has been written yet — but first says where the
//! typed text is kept and how to go on. While the editor runs, kb ignores Ctrl-C itself (the
//! editor gets it, as with git), so an interrupt inside vi does not leave the editor orphaned.
//!
//! Written by hand on libc (already a dependency): the handler may only call async-signal-safe
//! functions, so it writes a message prepared beforehand with write(2) and leaves with _exit(2);
//! a crate such as ctrlc runs a handler thread, which would need the prompt to be cancellable.

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

static MESSAGE: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static MESSAGE_LEN: AtomicUsize = AtomicUsize::new(0);

const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_signal(signal: libc::c_int) {
    let text = MESSAGE.load(Ordering::SeqCst);
    let len = MESSAGE_LEN.load(Ordering::SeqCst);
    // SAFETY: write(2) and _exit(2) are async-signal-safe; `text` points at a leaked, never
    // freed buffer of `len` bytes (or is null).
    unsafe {
        if !text.is_null() {
            libc::write(2, text.cast(), len);
        }
        libc::_exit(128 + signal);
    }
}

/// While this lives, an interrupt prints `message` (after a line break, since it usually comes
/// in the middle of a prompt) and ends kb with 128 + the signal.
pub struct Guard(());

impl Guard {
    pub fn new(message: &str) -> Guard {
        set_message(message);
        install(on_signal as *const () as libc::sighandler_t);
        Guard(())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        install(libc::SIG_DFL);
    }
}

fn set_message(message: &str) {
    let text: &'static mut [u8] = format!("\n{message}\n").into_bytes().leak();
    // The old text is leaked, not freed: a signal may be reading it right now.
    MESSAGE_LEN.store(0, Ordering::SeqCst);
    MESSAGE.store(text.as_mut_ptr(), Ordering::SeqCst);
    MESSAGE_LEN.store(text.len(), Ordering::SeqCst);
}

fn install(handler: libc::sighandler_t) {
    for s in SIGNALS {
        // SAFETY: installing a handler that only calls async-signal-safe functions.
        unsafe {
            libc::signal(s, handler);
        }
    }
}

/// Run `f` (which waits for the editor) with SIGINT and SIGQUIT ignored by kb; whatever was
/// installed before is put back afterwards.
pub fn ignoring_interrupts<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: swapping signal dispositions; SIG_IGN needs no handler.
    let (int, quit) = unsafe {
        (
            libc::signal(libc::SIGINT, libc::SIG_IGN),
            libc::signal(libc::SIGQUIT, libc::SIG_IGN),
        )
    };
    let out = f();
    // SAFETY: restoring what was there.
    unsafe {
        libc::signal(libc::SIGINT, int);
        libc::signal(libc::SIGQUIT, quit);
    }
    out
}
