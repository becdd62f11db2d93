// `<asyncio-playground example="hello">`: the whole playground in one
// element; an embedding page needs this script and the element.
//
// Attributes: `example`, `mode` (a variant id such as `concurrent` or
// `sequential`, or `compare`), `clock` (`real`, `virtual`), `params` (query
// form, `tasks=3&delay=0.5`), `base-url` (the development server, for the
// network examples), `autorun`, `theme` (`auto`, `light`, `dark`), and
// `url-state` (keep the state in the page's URL hash, for the full page).
// Methods `run()`, `stop()`, `reset()`; events `ready`, `run-start`,
// `run-end` (`{ totalMs, speedup, tasks, stopped }`) and `error` (the
// message). Each element renders into its own shadow root, styled with
// custom properties (`--bg`, `--fg`, `--accent`, …) and `::part()`; the
// `light-dom` attribute renders the first such element into the page
// itself, as the full page does. Every element shares one wasm module.
import { layout } from "./layout.js";
import { Playground } from "./app.js";

const STYLE = new URL("./style.css", import.meta.url).href;

function stylesheet() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLE;
  return link;
}

class AsyncioPlayground extends HTMLElement {
  static observedAttributes = ["example", "mode", "clock", "params", "base-url", "views"];

  connectedCallback() {
    if (this.playground) return;
    const doc = this.ownerDocument;
    let root;
    if (this.hasAttribute("light-dom") && !doc.querySelector("asyncio-playground[data-light-dom]")) {
      this.dataset.lightDom = "";
      if (![...doc.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === STYLE))
        doc.head.append(stylesheet());
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
    this.playground = new Playground(root, this);
    this.playground.start();
  }

  attributeChangedCallback() {
    this.playground?.attributesChanged();
  }

  // Runs the shown example (as the Run button does); resolves when it ends.
  async run() {
    await this.playground?.loaded;
    return this.playground?.run();
  }

  stop() {
    this.playground?.stop();
  }

  // Stops any run and goes back to what the attributes say.
  async reset() {
    await this.playground?.loaded;
    return this.playground?.reset();
  }
}

customElements.define("asyncio-playground", AsyncioPlayground);
