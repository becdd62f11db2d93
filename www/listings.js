// The explanation and the two listings, Python and Rust, side by side.
//
// In an `editable` element the Python listing becomes an editor (CodeMirror
// 6, bundled at build time into pkg/codemirror.js and imported only here)
// when the reader first clicks it, or focuses it and presses Enter, and
// when a run has a line to mark in it: the reader changes the program,
// Reset brings back the shown one, errors are marked on their line and the
// timeline's spans highlight theirs. Until then, and always when the
// element is not editable, it is a highlighted, read-only listing, and the
// bundle is not loaded.
// The Rust listing is the port of the original program, whatever the
// editor holds; a program of the reader's or the author's has none. An
// example's listings are fetched when it is shown (`sources.js`).
//
// Events: `edit` (the program shown changed), `listing-error` (an
// example's listings could not be fetched; `detail` says why).
import { highlight } from "./highlight.js";
import { listings } from "./sources.js";

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
  // The program shown (what Reset restores; null until an example's
  // listing is fetched), and the text before the editor exists.
  #original = "";
  #text = "";
  // The number of the latest `show`, and whether the program in the
  // listing since was given (by a link, the element or the reader) rather
  // than the example's own.
  #shown = 0;
  #given = false;
  // Whether the text is being put in the editor (not typed by the reader).
  #putting = false;
  // Settles when the latest `show` has its listings, or gave up on them.
  loaded = Promise.resolve();
  // The marks asked for before the editor exists: [line, message] and a line.
  #error = null;
  #traced = null;

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
    if (editable) {
      this.#hint.textContent = "Click the program, or press Enter on it, to edit it.";
      this.#pythonPre.setAttribute("aria-describedby", "editor-hint");
      this.#pythonPre.classList.add("openable");
      // The editor opens with the caret where the reader clicked, or at
      // the start on Enter.
      this.#pythonPre.addEventListener("click", (event) => this.#open(this.#offsetAt(event.clientX, event.clientY)));
      this.#pythonPre.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
          event.preventDefault();
          this.#open(0);
        }
      });
    }
    this.#reset.addEventListener("click", () => {
      if (this.#original === null) return;
      this.#given = false;
      this.#put(this.#original);
      this.#editor?.focus();
    });
  }

  // Opens the editor with the caret at character `offset` of the program.
  #open(offset) {
    this.ready().then(
      () => this.#editor.focusAt(offset),
      () => {},
    );
  }

  // The character of the listing at viewport point (x, y), or 0 where the
  // browser cannot say.
  #offsetAt(x, y) {
    const doc = this.#python.ownerDocument;
    const root = this.#python.getRootNode();
    let node = null;
    let offset = 0;
    if (doc.caretPositionFromPoint) {
      const shadowRoots = root instanceof ShadowRoot ? [root] : [];
      const position = doc.caretPositionFromPoint(x, y, { shadowRoots });
      node = position?.offsetNode ?? null;
      offset = position?.offset ?? 0;
    } else if (doc.caretRangeFromPoint) {
      const range = doc.caretRangeFromPoint(x, y);
      node = range?.startContainer ?? null;
      offset = range?.startOffset ?? 0;
    }
    if (!node || !this.#python.contains(node)) return 0;
    const before = doc.createRange();
    before.setStart(this.#python, 0);
    before.setEnd(node, offset);
    return before.toString().length;
  }

  get editable() {
    return this.#editable;
  }

  // Shows `example`: a program of the reader's or the author's at once,
  // a catalogue example once its listings are fetched (`loaded`).
  show(example) {
    this.#title.textContent = example.title;
    this.#explanation.textContent = example.explanation;
    const shown = ++this.#shown;
    this.#given = false;
    if (example.pythonSource !== undefined) {
      this.#fill(example.pythonSource, example.rustSource);
      this.loaded = Promise.resolve();
      return;
    }
    this.#original = null;
    this.#busy(true);
    highlight(this.#rust, "", "rust");
    this.#put("");
    this.loaded = listings.load(example.id).then(
      ({ python, rust }) => {
        if (shown === this.#shown) this.#fill(python, rust);
      },
      (error) => {
        if (shown !== this.#shown) return;
        this.#busy(false);
        this.dispatchEvent(new CustomEvent("listing-error", { detail: error.message }));
      },
    );
  }

  // The example's own listings have come.
  #fill(python, rust) {
    this.#busy(false);
    this.#original = python;
    this.#rustFigure.hidden = !rust;
    highlight(this.#rust, rust, "rust");
    // A program given meanwhile stays; whether it is edited may change.
    if (this.#given) this.dispatchEvent(new Event("edit"));
    else this.#put(python);
  }

  #busy(busy) {
    for (const pre of [this.#pythonPre, this.#rust.parentElement]) {
      if (busy) pre.setAttribute("aria-busy", "true");
      else pre.removeAttribute("aria-busy");
    }
  }

  // The Python program shown (as edited).
  get source() {
    return this.#editor ? this.#editor.value : this.#text;
  }

  // Puts a program of the reader's or the author's in the listing.
  set source(text) {
    this.#given = true;
    this.#put(text);
  }

  #put(text) {
    this.#text = text;
    if (this.#editor) {
      // The editor says `edit` when its text changes.
      this.#putting = true;
      try {
        if (this.#editor.value !== text) this.#editor.value = text;
        else this.#editor.markError(null);
      } finally {
        this.#putting = false;
      }
    } else {
      highlight(this.#python, text, "python");
      this.#error = null;
      this.#traced = null;
      this.dispatchEvent(new Event("edit"));
    }
  }

  // Whether the program differs from the one shown (while the example's
  // listing is on its way: whether one was given).
  get edited() {
    return this.#original === null ? this.#given : this.source !== this.#original;
  }

  // Makes the editor: resolves once it is there (at once when not
  // editable); rejects if its module cannot be loaded, and the listing
  // stays.
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
        onChange: () => {
          if (!this.#putting) this.#given = true;
          this.dispatchEvent(new Event("edit"));
        },
      });
      if (this.#error) this.#editor.markError(...this.#error);
      if (this.#traced !== null) this.#editor.trace(this.#traced);
      this.#error = null;
      this.#traced = null;
      this.#hint.textContent = "Tab indents; press Escape, then Tab, to leave the editor.";
      this.#editorHost.hidden = false;
      this.#pythonPre.hidden = true;
    });
    // A failed load may be tried again on the next click.
    this.#loading.catch(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  // Marks line `line` (from 1) with `message`; null clears the mark. In an
  // editable element whose editor is not made yet, a mark makes it.
  markError(line, message = "") {
    if (this.#editor) {
      this.#editor.markError(line, message);
    } else if (this.#editable) {
      this.#error = line === null ? null : [line, message];
      if (line !== null) this.ready().catch(() => {});
    }
  }

  // Highlights line `line` (a span's await); null clears it. Like a mark,
  // it makes the editor of an editable element.
  traceLine(line) {
    if (this.#editor) {
      this.#editor.trace(line);
    } else if (this.#editable) {
      this.#traced = line;
      if (line !== null) this.ready().catch(() => {});
    }
  }

  get errorLine() {
    return this.#editor ? this.#editor.errorLine : (this.#error?.[0] ?? null);
  }

  get tracedLine() {
    return this.#editor ? this.#editor.tracedLine : this.#traced;
  }
}
