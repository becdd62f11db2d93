//! The side-by-side table and the target lines printed after it.
//!
//! Every measurement module returns a [`Section`]: rows of the table, one
//! [`Verdict`] per target it checks, and notes. A [`Report`] collects the
//! sections and renders them as one table, then the notes, then one line per
//! target: `target <name>: <measured> vs <target> -> met|MISSED`.

use std::fmt;

/// Who is measured: one column each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contender {
    /// This project's event loop.
    Asyncio,
    /// `wasm_bindgen_futures::spawn_local`.
    SpawnLocal,
    /// `gloo_timers::future::TimeoutFuture`.
    GlooTimers,
    /// The same thing written with plain JavaScript promises.
    JsPromises,
}

impl Contender {
    /// Every contender, in column order.
    pub const ALL: [Contender; 4] = [
        Contender::Asyncio,
        Contender::SpawnLocal,
        Contender::GlooTimers,
        Contender::JsPromises,
    ];

    /// The column heading.
    pub fn heading(self) -> &'static str {
        match self {
            Contender::Asyncio => "asyncio",
            Contender::SpawnLocal => "spawn_local",
            Contender::GlooTimers => "gloo-timers",
            Contender::JsPromises => "JS promises",
        }
    }

    fn column(self) -> usize {
        self as usize
    }
}

/// What a contender without such a thing shows.
pub const NOT_APPLICABLE: &str = "n/a";

/// One row of the table: a measurement, a cell per contender, its target.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    label: String,
    cells: [String; 4],
    target: String,
}

impl Row {
    /// A row with every cell "n/a" and no target.
    pub fn new(label: impl Into<String>) -> Row {
        Row {
            label: label.into(),
            cells: Contender::ALL.map(|_| NOT_APPLICABLE.to_string()),
            target: String::new(),
        }
    }

    /// Sets `contender`'s cell.
    pub fn cell(mut self, contender: Contender, value: impl Into<String>) -> Row {
        self.cells[contender.column()] = value.into();
        self
    }

    /// Sets the target column.
    pub fn target(mut self, target: impl Into<String>) -> Row {
        self.target = target.into();
        self
    }
}

/// Whether one target was met.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Short name of the target.
    pub name: String,
    /// What was measured, with its unit.
    pub measured: String,
    /// The target, with its unit.
    pub target: String,
    /// Whether the measurement meets the target.
    pub met: bool,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = if self.met { "met" } else { "MISSED" };
        write!(
            f,
            "target {}: {} vs {} -> {}",
            self.name, self.measured, self.target, outcome
        )
    }
}

/// What one measurement module contributes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    /// Rows of the table.
    pub rows: Vec<Row>,
    /// One per target checked.
    pub verdicts: Vec<Verdict>,
    /// Printed under the table: how a number was obtained, errors.
    pub notes: Vec<String>,
}

/// All sections, rendered as one table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    sections: Vec<Section>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Report {
        Report::default()
    }

    /// Adds a section below the previous ones.
    pub fn push(&mut self, section: Section) {
        self.sections.push(section);
    }

    fn rows(&self) -> impl Iterator<Item = &Row> {
        self.sections.iter().flat_map(|s| s.rows.iter())
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn write_line(f: &mut fmt::Formatter<'_>, cells: &[&str], widths: &[usize]) -> fmt::Result {
    let mut line = String::from("|");
    for (cell, &w) in cells.iter().zip(widths) {
        line.push(' ');
        line.push_str(cell);
        line.push_str(&" ".repeat(w - width(cell) + 1));
        line.push('|');
    }
    writeln!(f, "{line}")
}

/// Lines up `lines` (the headings first) in columns, with a rule under the
/// headings.
fn write_grid(f: &mut fmt::Formatter<'_>, lines: &[Vec<&str>]) -> fmt::Result {
    let mut widths: Vec<usize> = Vec::new();
    for line in lines {
        widths.resize(widths.len().max(line.len()), 0);
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(width(cell));
        }
    }
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
    for (i, line) in lines.iter().enumerate() {
        write_line(f, line, &widths)?;
        if i == 0 {
            write_line(f, &rule, &widths)?;
        }
    }
    Ok(())
}

/// The notes, if any, then the target lines.
fn write_tail<'a>(
    f: &mut fmt::Formatter<'_>,
    notes: impl IntoIterator<Item = &'a String>,
    verdicts: impl IntoIterator<Item = &'a Verdict>,
) -> fmt::Result {
    let notes: Vec<&String> = notes.into_iter().collect();
    if !notes.is_empty() {
        writeln!(f)?;
        for note in notes {
            writeln!(f, "note: {note}")?;
        }
    }
    writeln!(f)?;
    for verdict in verdicts {
        writeln!(f, "{verdict}")?;
    }
    Ok(())
}

impl fmt::Display for Report {
    /// The table, the notes, then the target lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut headings = vec!["measurement"];
        headings.extend(Contender::ALL.map(Contender::heading));
        headings.push("target");
        let mut lines = vec![headings];
        for row in self.rows() {
            let mut cells = vec![row.label.as_str()];
            cells.extend(row.cells.iter().map(String::as_str));
            cells.push(&row.target);
            lines.push(cells);
        }
        write_grid(f, &lines)?;
        write_tail(
            f,
            self.sections.iter().flat_map(|s| &s.notes),
            self.sections.iter().flat_map(|s| &s.verdicts),
        )
    }
}

/// A table with value columns of its own, printed in [`Report`]'s style:
/// the table, the notes, then one line per target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Printed under the table: how a number was obtained, errors.
    pub notes: Vec<String>,
    /// One per target checked.
    pub verdicts: Vec<Verdict>,
}

impl Table {
    /// An empty table whose value columns, between "measurement" and
    /// "target", are headed `columns`.
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ..Table::default()
        }
    }

    /// Adds a row: its label, a cell per column (missing ones "n/a"), its
    /// target.
    pub fn row(&mut self, label: impl Into<String>, cells: &[String], target: impl Into<String>) {
        let mut row = vec![label.into()];
        row.extend((0..self.columns.len()).map(|i| {
            cells
                .get(i)
                .cloned()
                .unwrap_or_else(|| NOT_APPLICABLE.to_string())
        }));
        row.push(target.into());
        self.rows.push(row);
    }
}

impl fmt::Display for Table {
    /// The table, the notes, then the target lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut headings = vec!["measurement"];
        headings.extend(self.columns.iter().map(String::as_str));
        headings.push("target");
        let mut lines = vec![headings];
        lines.extend(
            self.rows
                .iter()
                .map(|row| row.iter().map(String::as_str).collect()),
        );
        write_grid(f, &lines)?;
        write_tail(f, &self.notes, &self.verdicts)
    }
}

/// Milliseconds, with a precision suited to their size.
pub fn ms(value: f64) -> String {
    if value.is_nan() {
        "-".to_string()
    } else if value < 0.1 {
        format!("{value:.4} ms")
    } else if value < 10.0 {
        format!("{value:.2} ms")
    } else {
        format!("{value:.0} ms")
    }
}

/// Microseconds, from milliseconds.
pub fn us(value_ms: f64) -> String {
    format!("{:.3} µs", value_ms * 1000.0)
}

/// A ratio, as `1.0042×`: four decimals, so that one just over a target
/// of `1.01×` does not print as `1.010×`.
pub fn times(ratio: f64) -> String {
    format!("{ratio:.4}×")
}

/// The median of `samples` (the mean of the middle two for an even count);
/// NaN for none.
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// How a measurement's rounds spread: the least, the median and the
/// greatest, and how many rounds there were. Printed beside every ratio a
/// target reads, so that a reader sees how far one run can be trusted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The least sample.
    pub min: f64,
    /// The median sample: what targets are read against.
    pub median: f64,
    /// The greatest sample.
    pub max: f64,
    /// How many samples.
    pub rounds: usize,
}

impl Spread {
    /// The spread of `samples`; NaN throughout for none.
    pub fn of(samples: &[f64]) -> Spread {
        let fold =
            |pick: fn(f64, f64) -> f64| samples.iter().copied().reduce(pick).unwrap_or(f64::NAN);
        Spread {
            min: fold(f64::min),
            median: median(samples),
            max: fold(f64::max),
            rounds: samples.len(),
        }
    }

    /// Each round's `ours[i] / theirs[i]`: ratios of runs made under the
    /// same conditions (the contenders take turns within a round).
    pub fn of_ratios(ours: &[f64], theirs: &[f64]) -> Spread {
        let ratios: Vec<f64> = ours.iter().zip(theirs).map(|(a, b)| a / b).collect();
        Spread::of(&ratios)
    }

    /// `median (min … max, N rounds)`, each value shown by `show`.
    pub fn show(&self, show: impl Fn(f64) -> String) -> String {
        format!(
            "{} (min {}, max {}, {} rounds)",
            show(self.median),
            show(self.min),
            show(self.max),
            self.rounds
        )
    }
}

/// A ratio with two decimals: `1.23×`.
pub fn ratio(value: f64) -> String {
    format!("{value:.2}×")
}

/// `spawn_local`'s time as a share of the JavaScript promises' above which
/// it ran at its slower level (it is about 0.75 at its usual one).
const SLOW_PEER_SHARE: f64 = 0.9;

/// A note when `spawn_local` (`peer_ms`) ran at its slower level in this
/// page, measured against the JavaScript promises (`js_ms`), which V8's
/// compilation of the module does not touch: the ratio then reads low.
pub fn slow_peer_note(peer_ms: f64, js_ms: f64) -> Option<String> {
    let share = peer_ms / js_ms;
    (share.is_finite() && share > SLOW_PEER_SHARE).then(|| {
        format!(
            "1. spawn_local took {share:.2} of the JS promises' time in this page (about 0.75 in \
             most pages): it ran at its slower level, and the ratio to it reads low (see \
             bench/README.md)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_and_missing_cells_say_not_applicable() {
        let mut report = Report::new();
        report.push(Section {
            rows: vec![Row::new("a row")
                .cell(Contender::Asyncio, "1.5 µs")
                .target("≤ 2 µs")],
            verdicts: vec![Verdict {
                name: "speed".into(),
                measured: "1.5 µs".into(),
                target: "≤ 2 µs".into(),
                met: true,
            }],
            notes: vec![],
        });
        let text = report.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(width(lines[0]), width(lines[1]));
        assert_eq!(width(lines[0]), width(lines[2]));
        assert!(lines[2].contains("| n/a "));
        assert_eq!(lines[4], "target speed: 1.5 µs vs ≤ 2 µs -> met");
    }

    #[test]
    fn a_spread_is_least_median_greatest() {
        let spread = Spread::of(&[3.0, 1.0, 2.0, 10.0]);
        assert_eq!((spread.min, spread.median, spread.max), (1.0, 2.5, 10.0));
        assert_eq!(spread.rounds, 4);
        assert_eq!(
            spread.show(ratio),
            "2.50× (min 1.00×, max 10.00×, 4 rounds)"
        );
        let paired = Spread::of_ratios(&[2.0, 3.0, 8.0], &[1.0, 3.0, 2.0]);
        assert_eq!((paired.min, paired.median, paired.max), (1.0, 2.0, 4.0));
        assert!(Spread::of(&[]).median.is_nan());
    }

    #[test]
    fn a_table_of_its_own_lines_up_the_same_way() {
        let mut table = Table::new(&["one", "two"]);
        table.row("a row", &["1.5 µs".to_string()], "≥ 1.0");
        table.notes.push("how".into());
        let text = table.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "| measurement | one    | two | target |");
        assert_eq!(width(lines[0]), width(lines[1]));
        assert_eq!(lines[2], "| a row       | 1.5 µs | n/a | ≥ 1.0  |");
        assert_eq!(lines[4], "note: how");
    }

    #[test]
    fn a_peer_at_its_slower_level_is_noted() {
        assert_eq!(slow_peer_note(5.2, 7.0), None);
        assert_eq!(slow_peer_note(5.7, 8.8), None);
        let note = slow_peer_note(7.39, 7.0).expect("the slower level");
        assert!(
            note.contains("took 1.06 of the JS promises' time"),
            "{note}"
        );
        assert_eq!(slow_peer_note(5.0, 0.0), None, "no JS time: nothing to say");
    }
}
