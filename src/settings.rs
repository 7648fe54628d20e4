//! What the library would otherwise read from the process environment, handed in once by the
//! program at its edge (the `kb` binary reads `KB_NOW`, `KB_TRACE` and `HOSTNAME`; a test or
//! another program sets what it wants, or nothing). The library itself reads no environment
//! variable and prints nothing.

use std::sync::OnceLock;

use jiff::Timestamp;

/// The settings; [`Settings::default`] is "the real clock, no tracing, the host name from
/// /etc/hostname only".
#[derive(Debug, Default, Clone)]
pub struct Settings {
    /// A fixed "now", for reproducible tests and benchmarks.
    pub now: Option<Timestamp>,
    /// Where the index's timing notes go (for benchmarking); none when `None`.
    pub trace: Option<fn(&str)>,
    /// Where a hint for the person goes (shown once, e.g. how to set a git identity); dropped
    /// when `None`.
    pub notice: Option<fn(&str)>,
    /// The machine's name when /etc/hostname has none (it names this clone's review log).
    pub host: Option<String>,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Set the settings for this process; only the first call counts (`false` for later ones).
pub fn set(settings: Settings) -> bool {
    SETTINGS.set(settings).is_ok()
}

/// The settings in force.
pub fn get() -> &'static Settings {
    SETTINGS.get_or_init(Settings::default)
}
