// The Python editor's CodeMirror 6 set-up. This module imports CodeMirror
// from npm, so the page never loads it as it is: `cargo xtask build`
// bundles it with esbuild (pinned in package.json) into pkg/codemirror.js,
// which listings.js imports only when an editor is needed.
//
// What it gives an editor: line numbers, Tab and Shift+Tab to indent (and,
// as CodeMirror has it, Escape then Tab to leave the editor, so the
// keyboard is never trapped), undo and redo, bracket matching and closing,
// Python highlighting in the page's token colours, a marked line for an
// error (with its message beside it) and a highlighted line for the
// timeline's spans. Text only ever enters as text.
import { EditorState, StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  WidgetType,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";
import { tags } from "@lezer/highlight";

const RUN_FREE_KEYMAP = defaultKeymap.filter((binding) => binding.key !== "Mod-Enter");

// The page's token colours (its custom properties, in both themes).
const TOKENS = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword],
    color: "var(--tok-keyword)",
  },
  { tag: [tags.bool, tags.null, tags.self], color: "var(--tok-keyword)" },
  { tag: [tags.string, tags.special(tags.string), tags.escape], color: "var(--tok-string)" },
  { tag: [tags.comment, tags.lineComment], color: "var(--tok-comment)", fontStyle: "italic" },
  { tag: [tags.number, tags.integer, tags.float], color: "var(--tok-number)" },
]);

// The editor's look, from the page's custom properties.
const THEME = EditorView.theme({
  "&": {
    backgroundColor: "var(--panel)",
    color: "var(--fg)",
    borderRadius: "0.3rem",
    fontSize: "0.85rem",
  },
  "&.cm-focused": { outline: "3px solid var(--focus)", outlineOffset: "2px" },
  // As tall as the program, and long lines wrapped: nothing scrolls inside
  // the editor, so no region needs a keyboard of its own to scroll.
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.5" },
  ".cm-content": { padding: "0.75rem 0", caretColor: "var(--fg)" },
  ".cm-gutters": { backgroundColor: "var(--panel)", color: "var(--muted)", border: "none" },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--accent) 8%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "color-mix(in srgb, var(--accent) 14%, transparent)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "color-mix(in srgb, var(--accent) 30%, transparent)",
  },
  "&.cm-focused .cm-matchingBracket": {
    backgroundColor: "color-mix(in srgb, var(--accent) 25%, transparent)",
    outline: "1px solid var(--accent)",
  },
  ".cm-error-line": { backgroundColor: "color-mix(in srgb, var(--error) 16%, transparent)" },
  ".cm-error-message": {
    color: "var(--error)",
    backgroundColor: "var(--bg)",
    padding: "0 0.3rem",
    fontWeight: "600",
    fontFamily: "system-ui, sans-serif",
    marginLeft: "1.5rem",
  },
  ".cm-traced-line": {
    backgroundColor: "color-mix(in srgb, var(--span-waiting) 30%, transparent)",
    boxShadow: "inset 3px 0 var(--span-waiting)",
  },
});

// The error's line and message, or null; the traced line, or null.
const setError = StateEffect.define();
const setTraced = StateEffect.define();

class Message extends WidgetType {
  constructor(text) {
    super();
    this.text = text;
  }

  eq(other) {
    return other.text === this.text;
  }

  toDOM() {
    const node = document.createElement("span");
    node.className = "cm-error-message";
    node.textContent = `← ${this.text}`;
    return node;
  }
}

// A line decoration (and a message at its end) on line `number` of `doc`
// (its last line for one past it, where an unexpected end of file is).
function lineMarks(doc, number, className, message) {
  if (!Number.isSafeInteger(number) || number < 1) return Decoration.none;
  const line = doc.line(Math.min(number, doc.lines));
  const builder = new RangeSetBuilder();
  builder.add(line.from, line.from, Decoration.line({ class: className }));
  if (message) builder.add(line.to, line.to, Decoration.widget({ widget: new Message(message), side: 1 }));
  return builder.finish();
}

// A marked line that goes when its text is edited, since it no longer
// says where the run's error or span was.
function markField(effect, className) {
  return StateField.define({
    create: () => ({ line: null, message: null, marks: Decoration.none }),
    update(value, tr) {
      let next = value;
      if (tr.docChanged && value.line !== null) next = { line: null, message: null, marks: Decoration.none };
      for (const e of tr.effects) {
        if (e.is(effect)) {
          const { line = null, message = null } = e.value ?? {};
          next = { line, message, marks: lineMarks(tr.state.doc, line, className, message) };
        }
      }
      return next;
    },
    provide: (field) => EditorView.decorations.from(field, (value) => value.marks),
  });
}

const errorField = markField(setError, "cm-error-line");
const tracedField = markField(setTraced, "cm-traced-line");

// An editor of `doc` in `parent`: `label` names it, `describedBy` is the id
// of its hint, and `onChange(text)` hears every edit.
export function createEditor({ parent, doc, label, describedBy, onChange }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        python(),
        syntaxHighlighting(TOKENS),
        // Ctrl+Enter runs the program (the page's shortcut), so it is not
        // CodeMirror's "insert a blank line".
        keymap.of([...closeBracketsKeymap, ...RUN_FREE_KEYMAP, ...historyKeymap, indentWithTab]),
        errorField,
        tracedField,
        THEME,
        EditorView.contentAttributes.of({
          "aria-label": label,
          ...(describedBy ? { "aria-describedby": describedBy } : {}),
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange?.(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    get value() {
      return view.state.doc.toString();
    },
    // Replaces the text (one undoable change), with no mark left.
    set value(text) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        effects: [setError.of(null), setTraced.of(null)],
      });
    },
    // Marks line `line` (from 1) as the error's, with `message` beside it;
    // null clears it.
    markError(line, message) {
      view.dispatch({ effects: setError.of(line === null ? null : { line, message }) });
    },
    // Highlights line `line`; null clears it.
    trace(line) {
      view.dispatch({ effects: setTraced.of(line === null ? null : { line }) });
    },
    // The line marked as the error's, or null; the highlighted line, or null.
    get errorLine() {
      return view.state.field(errorField).line;
    },
    get tracedLine() {
      return view.state.field(tracedField).line;
    },
    focus() {
      view.focus();
    },
    // Focuses the editor with the caret at character `offset` of the text.
    focusAt(offset) {
      const anchor = Math.max(0, Math.min(offset, view.state.doc.length));
      view.dispatch({ selection: { anchor }, scrollIntoView: true });
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
