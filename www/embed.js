// `<asyncio-playground example="hello">`: the whole playground in one
// element; an embedding page needs this script and the element.
import { layout } from "./layout.js";
import { Playground } from "./app.js";

class AsyncioPlayground extends HTMLElement {
  connectedCallback() {
    if (this.playground) return;
    this.replaceChildren(...layout());
    this.playground = new Playground(this);
    this.playground.start(this.getAttribute("example"));
  }
}

customElements.define("asyncio-playground", AsyncioPlayground);
