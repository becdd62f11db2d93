//! Compiling a program: the source is checked as written (so syntax errors
//! read as CPython's), then its syntax tree is rewritten before codegen.
//!
//! The rewrite, which keeps every line number:
//! - **Budget checks.** A call to `__step__()` starts the body of every
//!   loop and function, and guards every comprehension (`if __step__()`),
//!   so a runaway program reaches a check on every iteration, even inside
//!   `except BaseException:` (the check raises again at the next loop head).
//! - **The module body runs as a coroutine.** It becomes the body of
//!   `async def <module>()`, with every module-level name declared
//!   `global`, so top-level code binds module globals as before. Top-level
//!   calls spelled `….run(…)`, `….run_until_complete(…)`,
//!   `….run_forever(…)` or `run(…)` become `await __aio_block__(f, …)`: a
//!   run started at the top level suspends the program instead of blocking
//!   the thread, which is what lets the browser's real clock drive it.

use ruff_text_size::TextRange;
use rustpython_vm::bytecode::CodeObject;
use rustpython_vm::compiler::ast::visitor::transformer::{self, Transformer};
use rustpython_vm::compiler::ast::{
    self as ast, name::Name, Alias, Arguments, AtomicNodeIndex, Expr, ExprAttribute, ExprAwait,
    ExprCall, ExprContext, ExprName, Identifier, Parameters, Stmt, StmtAssign, StmtExpr,
    StmtFunctionDef, StmtGlobal, StmtImport, StmtPass,
};
use rustpython_vm::compiler::codegen::{compile::compile_top, symboltable::SymbolTable};
use rustpython_vm::compiler::core::SourceFileBuilder;
use rustpython_vm::compiler::{self, CompileError, CompileOpts, Mode};

/// The name of the budget check the rewrite inserts.
pub(crate) const STEP: &str = "__step__";
/// The name of the top-level run wrapper the rewrite inserts.
pub(crate) const BLOCK: &str = "__aio_block__";
/// The name of the `from m import *` replacement.
pub(crate) const IMPORT_STAR: &str = "__aio_import_star__";
/// The coroutine function the module body becomes.
pub(crate) const MODULE_FN: &str = "<module>";

/// Compiles `source` (named `path` in tracebacks) into the code of a module
/// that defines `<module>`, the program's body as a coroutine function.
pub(crate) fn compile_program(source: &str, path: &str) -> Result<CodeObject, CompileError> {
    let opts = CompileOpts::default();
    // As written first: its syntax errors are the ones to report.
    compiler::compile(source, Mode::Exec, path, opts)?;
    let source_file = SourceFileBuilder::new(path, source).finish();
    let parsed = compiler::parser::parse_module(source)
        .map_err(|err| CompileError::from_ruff_parse_error(err, &source_file))?;
    let mut module = parsed.into_syntax();
    let globals = module_names(&module, &source_file);
    StepChecks.visit_body(&mut module.body);
    let body = std::mem::take(&mut module.body)
        .into_iter()
        .map(top_level)
        .collect();
    module.body = vec![wrap(body, globals, module.range)];
    compile_top(ast::Mod::Module(module), source_file, Mode::Exec, opts).map_err(Into::into)
}

/// Every name of the module's own scope.
fn module_names(
    module: &ast::ModModule,
    source_file: &rustpython_vm::compiler::core::SourceFile,
) -> Vec<String> {
    match SymbolTable::scan_program(module, source_file.clone()) {
        Ok(table) => table
            .symbols
            .keys()
            .filter(|name| !name.starts_with("__") || !name.ends_with("__"))
            .cloned()
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn index() -> AtomicNodeIndex {
    AtomicNodeIndex::NONE
}

fn name(id: &str, range: TextRange) -> Expr {
    Expr::Name(ExprName {
        node_index: index(),
        range,
        id: Name::new(id),
        ctx: ExprContext::Load,
    })
}

fn call(func: Expr, args: Vec<Expr>, keywords: Box<[ast::Keyword]>, range: TextRange) -> Expr {
    Expr::Call(ExprCall {
        node_index: index(),
        range,
        func: Box::new(func),
        arguments: Arguments {
            range,
            node_index: index(),
            args: args.into_boxed_slice(),
            keywords,
        },
    })
}

fn step_call(range: TextRange) -> Expr {
    call(name(STEP, range), Vec::new(), Box::new([]), range)
}

fn step_stmt(range: TextRange) -> Stmt {
    Stmt::Expr(StmtExpr {
        node_index: index(),
        range,
        value: Box::new(step_call(range)),
    })
}

/// Inserts the budget checks.
struct StepChecks;

impl Transformer for StepChecks {
    fn visit_stmt(&self, stmt: &mut Stmt) {
        transformer::walk_stmt(self, stmt);
        match stmt {
            Stmt::While(node) => {
                let range = ranged(&node.body, node.range);
                node.body.insert(0, step_stmt(range));
            }
            Stmt::For(node) => {
                let range = ranged(&node.body, node.range);
                node.body.insert(0, step_stmt(range));
            }
            Stmt::FunctionDef(node) => {
                let range = ranged(&node.body, node.range);
                // After a docstring, so the function keeps it.
                let at = usize::from(is_docstring(node.body.first()));
                node.body.insert(at, step_stmt(range));
            }
            _ => {}
        }
    }

    fn visit_comprehension(&self, comprehension: &mut ast::Comprehension) {
        transformer::walk_comprehension(self, comprehension);
        let range = comprehension.range;
        comprehension.ifs.insert(0, step_call(range));
    }
}

fn ranged(body: &[Stmt], fallback: TextRange) -> TextRange {
    use ruff_text_size::Ranged;
    body.first().map_or(fallback, Ranged::range)
}

fn is_docstring(stmt: Option<&Stmt>) -> bool {
    matches!(stmt, Some(Stmt::Expr(StmtExpr { value, .. })) if matches!(**value, Expr::StringLiteral(_)))
}

/// Rewrites one top-level statement: runs become awaits, annotations and
/// `import *` are spelled so a function body accepts them.
fn top_level(stmt: Stmt) -> Stmt {
    match stmt {
        Stmt::AnnAssign(node) => match node.value {
            Some(value) => Stmt::Assign(StmtAssign {
                node_index: index(),
                range: node.range,
                targets: vec![*node.target],
                value: Box::new(await_runs(*value)),
            }),
            None => Stmt::Pass(StmtPass {
                node_index: index(),
                range: node.range,
            }),
        },
        Stmt::ImportFrom(node) if node.names.iter().any(|alias| alias.name.id.as_str() == "*") => {
            import_star(node)
        }
        Stmt::Expr(mut node) => {
            node.value = Box::new(await_runs(*node.value));
            Stmt::Expr(node)
        }
        Stmt::Assign(mut node) => {
            node.value = Box::new(await_runs(*node.value));
            Stmt::Assign(node)
        }
        Stmt::AugAssign(mut node) => {
            node.value = Box::new(await_runs(*node.value));
            Stmt::AugAssign(node)
        }
        Stmt::If(mut node) => {
            node.body = node.body.into_iter().map(top_level).collect();
            for clause in &mut node.elif_else_clauses {
                clause.body = std::mem::take(&mut clause.body)
                    .into_iter()
                    .map(top_level)
                    .collect();
            }
            Stmt::If(node)
        }
        Stmt::For(mut node) => {
            node.body = node.body.into_iter().map(top_level).collect();
            node.orelse = node.orelse.into_iter().map(top_level).collect();
            Stmt::For(node)
        }
        Stmt::While(mut node) => {
            node.body = node.body.into_iter().map(top_level).collect();
            node.orelse = node.orelse.into_iter().map(top_level).collect();
            Stmt::While(node)
        }
        Stmt::With(mut node) => {
            node.body = node.body.into_iter().map(top_level).collect();
            Stmt::With(node)
        }
        Stmt::Try(mut node) => {
            node.body = node.body.into_iter().map(top_level).collect();
            for handler in &mut node.handlers {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                handler.body = std::mem::take(&mut handler.body)
                    .into_iter()
                    .map(top_level)
                    .collect();
            }
            node.orelse = node.orelse.into_iter().map(top_level).collect();
            node.finalbody = node.finalbody.into_iter().map(top_level).collect();
            Stmt::Try(node)
        }
        other => other,
    }
}

/// `from m import *` becomes `import m as __aio_star__` and a call that
/// copies its public names into the module's globals.
fn import_star(node: ast::StmtImportFrom) -> Stmt {
    let range = node.range;
    let module = node.module.unwrap_or_else(|| Identifier::new("", range));
    let import = Stmt::Import(StmtImport {
        node_index: index(),
        range,
        names: vec![Alias {
            range,
            node_index: index(),
            name: module,
            asname: Some(Identifier::new("__aio_star__", range)),
        }],
        is_lazy: false,
    });
    let copy = step_like(IMPORT_STAR, vec![name("__aio_star__", range)], range);
    Stmt::If(ast::StmtIf {
        node_index: index(),
        range,
        test: Box::new(Expr::BooleanLiteral(ast::ExprBooleanLiteral {
            node_index: index(),
            range,
            value: true,
        })),
        body: vec![import, copy],
        elif_else_clauses: Vec::new(),
    })
}

fn step_like(func: &str, args: Vec<Expr>, range: TextRange) -> Stmt {
    Stmt::Expr(StmtExpr {
        node_index: index(),
        range,
        value: Box::new(call(name(func, range), args, Box::new([]), range)),
    })
}

fn is_run_call(func: &Expr) -> bool {
    match func {
        Expr::Attribute(ExprAttribute { attr, .. }) => {
            matches!(
                attr.id.as_str(),
                "run" | "run_until_complete" | "run_forever"
            )
        }
        Expr::Name(ExprName { id, .. }) => id.as_str() == "run",
        _ => false,
    }
}

/// Turns the run calls of a top-level expression into awaits, without
/// entering nested scopes (lambdas, comprehensions).
fn await_runs(expr: Expr) -> Expr {
    struct Runs;
    impl Transformer for Runs {
        fn visit_expr(&self, expr: &mut Expr) {
            match expr {
                Expr::Lambda(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
                | Expr::Generator(_) => return,
                _ => {}
            }
            transformer::walk_expr(self, expr);
            if let Expr::Call(node) = expr {
                if is_run_call(&node.func) {
                    let range = node.range;
                    let placeholder = name(BLOCK, range);
                    let func = std::mem::replace(&mut *node.func, placeholder);
                    let mut args = Vec::with_capacity(node.arguments.args.len() + 1);
                    args.push(func);
                    args.extend(std::mem::take(&mut node.arguments.args).into_vec());
                    node.arguments.args = args.into_boxed_slice();
                    let inner = std::mem::replace(expr, name(BLOCK, range));
                    *expr = Expr::Await(ExprAwait {
                        node_index: index(),
                        range,
                        value: Box::new(inner),
                    });
                }
            }
        }
    }
    let mut expr = expr;
    Runs.visit_expr(&mut expr);
    expr
}

/// `async def <module>(): global …; <body>`.
fn wrap(mut body: Vec<Stmt>, globals: Vec<String>, range: TextRange) -> Stmt {
    if !globals.is_empty() {
        body.insert(
            0,
            Stmt::Global(StmtGlobal {
                node_index: index(),
                range: TextRange::empty(range.start()),
                names: globals
                    .iter()
                    .map(|global| Identifier::new(global.as_str(), range))
                    .collect(),
            }),
        );
    }
    if body.is_empty() {
        body.push(Stmt::Pass(StmtPass {
            node_index: index(),
            range,
        }));
    }
    Stmt::FunctionDef(StmtFunctionDef {
        node_index: index(),
        range,
        is_async: true,
        decorator_list: Vec::new(),
        name: Identifier::new(MODULE_FN, range),
        type_params: None,
        parameters: Box::new(Parameters {
            range,
            node_index: index(),
            posonlyargs: Vec::new(),
            args: Vec::new(),
            vararg: None,
            kwonlyargs: Vec::new(),
            kwarg: None,
        }),
        returns: None,
        body,
    })
}
