// The explanation and the two listings, Python and Rust, side by side.
//
// In an `editable` element the Python listing is an editor (CodeMirror 6,
// bundled at build time into pkg/codemirror.js and imported only here,
// when the first editor is shown): the reader changes the program, Reset
// brings back the shown one, errors are marked on their line and the
// timeline's spans highlight theirs. Otherwise it is a highlighted,
// read-only listing, as it always was, and the bundle is never loaded.
// The Rust listing is the port of the original program, whatever the
// editor holds; a program of the reader's or the author's has none.
//
// Events: `edit` (the program shown changed).
import { highlight } from "./highlight.js";

const EDITOR_MODULE = new URL("./pkg/codemirror.js", import.meta.url).href;

export class Listings extends EventTarget {
  #title;
  #explanation;
  #python;
  #pythonPre;
  #editorHost;
  #hint;
  #reset;
  #rustFigure;
  #rust;
  #editable;
  // The CodeMirror editor once made, and the promise of it while loading.
  #editor = null;
  #loading = null;
  // The program shown (what Reset restores), and the text before the
  // editor exists.
  #original = "";
  #text = "";

  constructor(root, { editable = false } = {}) {
    super();
    this.#title = root.querySelector("#example-title");
    this.#explanation = root.querySelector("#explanation");
    this.#pythonPre = root.querySelector("#python-source pre");
    this.#python = root.querySelector("#python-source code");
    this.#editorHost = root.querySelector("#python-editor");
    this.#hint = root.querySelector("#editor-hint");
    this.#reset = root.querySelector("#reset-program");
    this.#rustFigure = root.querySelector("#rust-source");
    this.#rust = root.querySelector("#rust-source code");
    this.#editable = editable;
    this.#reset.hidden = !editable;
    this.#hint.hidden = !editable;
    this.#reset.addEventListener("click", () => {
      this.source = this.#original;
      this.#editor?.focus();
    });
  }

  get editable() {
    return this.#editable;
  }

  // Shows `example`, its Python being `source` (the listing's, unless a
  // link or the element brought another).
  show(example, source = example.pythonSource) {
    this.#title.textContent = example.title;
    this.#explanation.textContent = example.explanation;
    this.#original = example.pythonSource;
    this.#rustFigure.hidden = !example.rustSource;
    highlight(this.#rust, example.rustSource, "rust");
    this.source = source;
  }

  // The Python program shown (as edited).
  get source() {
    return this.#editor ? this.#editor.value : this.#text;
  }

  set source(text) {
    this.#text = text;
    if (this.#editor) {
      // The editor says `edit` when its text changes.
      if (this.#editor.value !== text) this.#editor.value = text;
      else this.#editor.markError(null);
    } else {
      highlight(this.#python, text, "python");
      if (this.#editable) this.ready();
      this.dispatchEvent(new Event("edit"));
    }
  }

  // Whether the program differs from the one shown.
  get edited() {
    return this.source !== this.#original;
  }

  // Resolves once the editor is there (at once when not editable);
  // rejects if its module cannot be loaded, and the listing stays.
  ready() {
    if (!this.#editable) return Promise.resolve();
    this.#loading ??= import(EDITOR_MODULE).then(({ createEditor }) => {
      // In a shadow root of its own, CodeMirror's styles are constructed
      // style sheets, which a Content-Security-Policy without inline
      // styles allows (in a document it would add a <style> element).
      const parent = this.#editorHost.shadowRoot ?? this.#editorHost.attachShadow({ mode: "open" });
      this.#editor = createEditor({
        parent,
        doc: this.#text,
        label: "Python program (Tab indents; Escape, then Tab, leaves the editor)",
        onChange: () => this.dispatchEvent(new Event("edit")),
      });
      this.#editorHost.hidden = false;
      this.#pythonPre.hidden = true;
    });
    return this.#loading;
  }

  // Marks line `line` (from 1) with `message`; null clears the mark.
  markError(line, message = "") {
    this.#editor?.markError(line, message);
  }

  // Highlights line `line` (a span's await); null clears it.
  traceLine(line) {
    this.#editor?.trace(line);
  }

  get errorLine() {
    return this.#editor?.errorLine ?? null;
  }

  get tracedLine() {
    return this.#editor?.tracedLine ?? null;
  }
}
