//! What an example is: its texts, its parameters with their ranges, and its
//! variants (one, or a sequential and a concurrent one to compare).

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed, single-threaded future, as the catalogue hands them out.
pub type LocalFuture = Pin<Box<dyn Future<Output = ()>>>;

/// The page groups examples by topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// Coroutines, `run`, the loop.
    Basics,
    /// Creating and awaiting tasks.
    Tasks,
    /// `wait`, `wait_for`, futures.
    Waiting,
    /// Events, locks and friends.
    Synchronisation,
    /// HTTP and WebSocket.
    Network,
    /// `run_in_executor`.
    Executors,
    /// The event loop's implementations.
    Loops,
}

impl Topic {
    /// The topic's heading on the page.
    pub fn label(self) -> &'static str {
        match self {
            Topic::Basics => "Basics",
            Topic::Tasks => "Tasks",
            Topic::Waiting => "Waiting and timeouts",
            Topic::Synchronisation => "Synchronisation",
            Topic::Network => "Network",
            Topic::Executors => "Executors",
            Topic::Loops => "Loops",
        }
    }
}

/// A number the user may change, within a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    /// The name examples read it by.
    pub name: &'static str,
    /// What the page shows beside the input.
    pub label: &'static str,
    /// The smallest value allowed.
    pub min: f64,
    /// The largest value allowed.
    pub max: f64,
    /// The value when none is given.
    pub default: f64,
    /// The input's step; whole numbers when 1.
    pub step: f64,
    /// The unit shown after the value (`s`, `ms`, `tasks`, or empty).
    pub unit: &'static str,
}

/// The values an example runs with, already checked against its ranges.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    values: Vec<(&'static str, f64)>,
    base_url: String,
}

impl Params {
    pub(crate) fn new(values: Vec<(&'static str, f64)>, base_url: String) -> Self {
        Params { values, base_url }
    }

    /// The value of `name` (0 for a name the example does not declare).
    pub fn get(&self, name: &str) -> f64 {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0.0, |(_, v)| *v)
    }

    /// The value of `name` as a whole number (it is one when its step is 1).
    pub fn count(&self, name: &str) -> usize {
        self.get(name).max(0.0).round() as usize
    }

    /// The development server the network examples talk to, without a
    /// trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// One way to run an example.
#[derive(Clone, Copy)]
pub struct Variant {
    /// `run` for single-variant examples; `sequential` or `concurrent` for
    /// the compared ones.
    pub id: &'static str,
    /// What the page calls it.
    pub label: &'static str,
    /// Builds the variant's main coroutine.
    pub main: fn(Params) -> LocalFuture,
}

impl fmt::Debug for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Variant").field("id", &self.id).finish()
    }
}

/// What an example needs from the page's surroundings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// The development server (delay, page, echo endpoints).
    pub server: bool,
    /// Web Workers (it runs inline, with a warning, without them).
    pub workers: bool,
    /// A browser: it measures the browser itself.
    pub browser: bool,
}

/// One runnable example.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// Stable id, used by the page, the embed attribute and the tests.
    pub id: &'static str,
    /// Human title.
    pub title: &'static str,
    /// Where the picker lists it.
    pub topic: Topic,
    /// One paragraph: what it shows and what to look for.
    pub explanation: &'static str,
    /// What the tutorial's Python looks like (written for this page);
    /// empty in the page's module (see `examples`).
    pub python_source: &'static str,
    /// The Rust source of the example: its own file, the code that runs;
    /// empty in the page's module.
    pub rust_source: &'static str,
    /// What the user may change.
    pub params: &'static [Param],
    /// One variant, or a sequential and a concurrent one to compare.
    pub variants: &'static [Variant],
    /// What it needs from its surroundings.
    pub needs: Needs,
}

/// Whether this build of the module can run the I/O examples (feature
/// `io`); the page's first module cannot.
pub const HAS_IO_EXAMPLES: bool = cfg!(feature = "io");

impl Example {
    /// Whether the example is one of the I/O examples (network, executors,
    /// the loop's implementations), which only a module built with feature
    /// `io` runs: the page loads that module when one of them is chosen.
    pub fn in_io_module(&self) -> bool {
        matches!(self.topic, Topic::Network | Topic::Executors | Topic::Loops)
    }

    /// The variant with this id.
    pub fn variant(&self, id: &str) -> Option<&'static Variant> {
        self.variants.iter().find(|v| v.id == id)
    }

    /// Whether the page offers compare mode for it.
    pub fn comparable(&self) -> bool {
        self.variant("sequential").is_some() && self.variant("concurrent").is_some()
    }
}
