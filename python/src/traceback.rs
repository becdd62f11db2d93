//! Uncaught exceptions and syntax errors as CPython prints them, and as
//! data (file, line, column, message) an editor can mark.

use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::compiler::CompileError;
use rustpython_vm::{AsObject, VirtualMachine};
use serde::Serialize;

/// One frame of a traceback, innermost last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceFrame {
    /// The file (the program's own name, or a module's).
    pub file: String,
    /// The line, from 1.
    pub line: u32,
    /// The function, or `<module>`.
    pub name: String,
    /// The source line, stripped, when it is known.
    pub text: Option<String>,
}

/// The exception that ended a run, or the syntax error that stopped it
/// from starting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PythonError {
    /// The exception's type as CPython names it (`ValueError`,
    /// `asyncio.exceptions.CancelledError`, `SyntaxError`).
    pub kind: String,
    /// Its message (`str(exception)`).
    pub message: String,
    /// The line to mark in the program, when the error is in it.
    pub line: Option<u32>,
    /// The column to mark (from 1), for syntax errors.
    pub column: Option<u32>,
    /// The frames, outermost first (frames of this crate's own modules are
    /// left out).
    pub frames: Vec<TraceFrame>,
    /// The whole traceback as CPython prints it.
    pub text: String,
}

/// Whether a file name is one of this crate's own modules (`<asyncio>`).
fn is_internal(file: &str) -> bool {
    file.starts_with('<') && file.ends_with('>')
}

fn type_name(vm: &VirtualMachine, exc: &PyBaseExceptionRef) -> String {
    let class = exc.class();
    let name = class.name().to_string();
    let module = class
        .as_object()
        .get_attr("__module__", vm)
        .ok()
        .and_then(|m| m.str(vm).ok().map(|s| s.to_string()))
        .unwrap_or_default();
    if module.is_empty() || module == "builtins" {
        name
    } else {
        format!("{module}.{name}")
    }
}

fn source_line(source: Option<&str>, line: u32) -> Option<String> {
    let text = source?.lines().nth(line.checked_sub(1)? as usize)?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The exception as data, `program` naming the program's file and source.
pub(crate) fn describe(
    vm: &VirtualMachine,
    exc: &PyBaseExceptionRef,
    program: Option<(&str, &str)>,
) -> PythonError {
    let mut frames = Vec::new();
    let mut tb = exc.__traceback__();
    while let Some(entry) = tb {
        let file = entry.frame.code.source_path().to_string();
        let line = entry.lineno.get() as u32;
        if !is_internal(&file) {
            let source = program
                .filter(|(name, _)| *name == file)
                .map(|(_, src)| src);
            frames.push(TraceFrame {
                name: entry.frame.code.obj_name.to_string(),
                text: source_line(source, line),
                file,
                line,
            });
        }
        tb = entry.next.lock().clone();
    }
    let kind = type_name(vm, exc);
    let message = exc
        .as_object()
        .str(vm)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let line = frames
        .iter()
        .rev()
        .find(|frame| program.is_some_and(|(name, _)| name == frame.file))
        .map(|frame| frame.line);
    let mut text = String::new();
    if !frames.is_empty() {
        text.push_str("Traceback (most recent call last):\n");
        for frame in &frames {
            text.push_str(&format!(
                "  File \"{}\", line {}, in {}\n",
                frame.file, frame.line, frame.name
            ));
            if let Some(source) = &frame.text {
                text.push_str(&format!("    {source}\n"));
            }
        }
    }
    if message.is_empty() {
        text.push_str(&format!("{kind}\n"));
    } else {
        text.push_str(&format!("{kind}: {message}\n"));
    }
    PythonError {
        kind,
        message,
        line,
        column: None,
        frames,
        text,
    }
}

/// The traceback text of `exc`.
pub(crate) fn format_exception(
    vm: &VirtualMachine,
    exc: &PyBaseExceptionRef,
    program: Option<(&str, &str)>,
) -> String {
    describe(vm, exc, program).text
}

/// A syntax error as data, with CPython's caret line.
pub(crate) fn syntax_error(err: &CompileError, file: &str, source: &str) -> PythonError {
    let (line, column) = err.python_location();
    let message = err.to_string();
    let kind = match err {
        CompileError::Parse(parse) if parse.error.to_string().contains("indent") => {
            "IndentationError".to_string()
        }
        _ => "SyntaxError".to_string(),
    };
    let raw = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let stripped = raw.trim_start();
    let indent = raw.len() - stripped.len();
    let mut text = format!("  File \"{file}\", line {line}\n");
    if !stripped.trim_end().is_empty() {
        text.push_str(&format!("    {}\n", stripped.trim_end()));
        let caret = column.saturating_sub(1).saturating_sub(indent);
        text.push_str(&format!("    {}^\n", " ".repeat(caret)));
    }
    text.push_str(&format!("{kind}: {message}\n"));
    PythonError {
        kind,
        message,
        line: (line > 0).then_some(line as u32),
        column: (column > 0).then_some(column as u32),
        frames: vec![TraceFrame {
            file: file.to_string(),
            line: line as u32,
            name: "<module>".to_string(),
            text: (!stripped.is_empty()).then(|| stripped.trim_end().to_string()),
        }],
        text,
    }
}
