// `<asyncio-playground example="hello">`: the whole playground in one
// element; an embedding page needs this script and the element.
//
// Attributes, each reflected as a property: `example`, `mode` (a variant
// id such as `concurrent` or `sequential`, or `compare`), `clock` (`real`,
// `virtual`), `params` (query form, `tasks=3&delay=0.5`), `views` (which of
// listings, console, timeline, replay, table to show), `theme` (`auto`, `light`, `dark`),
// `base-url` (`baseUrl`: the development server, for the network
// examples), `autorun` (boolean), `editable` (boolean: the Python listing
// is an editor, and Run runs what it holds), and `url-state` (`urlState`:
// keep the state in the page's URL hash, for the full page). A `<pre>` or
// `<script type="text/x-python">` child is the element's own program,
// which readers see even without JavaScript; the `code` property reads
// and sets the program shown. Methods `run()`,
// `stop()`, `reset()`; events `playground-ready`, `playground-run-start`,
// `playground-run-end` (`{ totalMs, speedup, tasks, stopped }`) and
// `playground-error` (the message). Each element renders into its own
// shadow root, styled with custom properties (`--bg`, `--fg`, `--accent`,
// …) and `::part()`; the `light-dom` attribute renders the first such
// element into the page itself, as the full page does. Every element
// shares one wasm module.
//
// The script may be loaded more than once, under any URL: the element is
// defined once. Removed from the document, an element stops its run and
// lets go of every listener it added; put back, it works again.
import { layout } from "./layout.js";
import { Playground } from "./app.js";
import { heldProgram } from "./program.js";

const TAG = "asyncio-playground";
const STYLE = new URL("./style.css", import.meta.url).href;

function stylesheet() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLE;
  return link;
}

// Attributes reflected as string properties: [attribute, property].
const STRING_ATTRIBUTES = [
  ["example", "example"],
  ["mode", "mode"],
  ["clock", "clock"],
  ["params", "params"],
  ["views", "views"],
  ["theme", "theme"],
  ["base-url", "baseUrl"],
];
// Boolean attributes: [attribute, property].
const BOOLEAN_ATTRIBUTES = [
  ["autorun", "autorun"],
  ["editable", "editable"],
  ["url-state", "urlState"],
];

export class AsyncioPlaygroundElement extends HTMLElement {
  static observedAttributes = ["example", "mode", "clock", "params", "base-url", "views"];

  #playground = null;

  connectedCallback() {
    if (!this.#playground) {
      const doc = this.ownerDocument;
      // Read before a light-DOM layout replaces the children.
      const held = heldProgram(this);
      let root;
      if (this.hasAttribute("light-dom") && !doc.querySelector(`${TAG}[data-light-dom]`)) {
        this.dataset.lightDom = "";
        if (![...doc.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === STYLE)) {
          doc.head.append(stylesheet());
        }
        this.replaceChildren(...layout({ landmarks: true }));
        root = this;
      } else {
        root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
        root.replaceChildren(stylesheet(), ...layout());
        // One landmark per element, named after its example (see `Playground`)
        // unless the page names it.
        if (!this.hasAttribute("role")) this.setAttribute("role", "region");
        this.labelled = this.hasAttribute("aria-label") || this.hasAttribute("aria-labelledby");
      }
      this.#playground = new Playground(root, this, { held });
    }
    this.#playground.connect();
  }

  disconnectedCallback() {
    this.#playground?.disconnect();
  }

  attributeChangedCallback(_name, before, after) {
    if (before !== after) this.#playground?.attributesChanged();
  }

  // The element's playground, for tests and tools: its catalogue, package
  // and last reports.
  get playground() {
    return this.#playground;
  }

  // Runs the shown example (as the Run button does); resolves when it ends.
  async run() {
    await this.#playground?.loaded;
    return this.#playground?.run();
  }

  stop() {
    this.#playground?.stop();
  }

  // The Python program shown, as the reader edited it; set, it becomes
  // the element's own program (shown, and what Reset restores).
  get code() {
    return this.#playground?.code ?? "";
  }

  set code(text) {
    this.#playground.code = text;
  }

  // Stops any run and goes back to what the attributes say.
  async reset() {
    await this.#playground?.loaded;
    return this.#playground?.reset();
  }
}

for (const [attribute, property] of STRING_ATTRIBUTES) {
  Object.defineProperty(AsyncioPlaygroundElement.prototype, property, {
    get() {
      return this.getAttribute(attribute) ?? "";
    },
    set(value) {
      this.setAttribute(attribute, value);
    },
    configurable: true,
    enumerable: true,
  });
}
for (const [attribute, property] of BOOLEAN_ATTRIBUTES) {
  Object.defineProperty(AsyncioPlaygroundElement.prototype, property, {
    get() {
      return this.hasAttribute(attribute);
    },
    set(value) {
      this.toggleAttribute(attribute, Boolean(value));
    },
    configurable: true,
    enumerable: true,
  });
}

if (!customElements.get(TAG)) customElements.define(TAG, AsyncioPlaygroundElement);
