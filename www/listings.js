// The explanation and the two listings, Python and Rust, side by side.
import { highlight } from "./highlight.js";

export class Listings {
  #title;
  #explanation;
  #python;
  #rust;

  constructor(root) {
    this.#title = root.querySelector("#example-title");
    this.#explanation = root.querySelector("#explanation");
    this.#python = root.querySelector("#python-source code");
    this.#rust = root.querySelector("#rust-source code");
  }

  show(example) {
    this.#title.textContent = example.title;
    this.#explanation.textContent = example.explanation;
    highlight(this.#python, example.pythonSource, "python");
    highlight(this.#rust, example.rustSource, "rust");
  }
}
