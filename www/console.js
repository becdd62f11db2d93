// The console: each printed line with its loop time, `[1.000 s] World`.
import { seconds } from "./format.js";

export class Console {
  #element;

  constructor(element) {
    this.#element = element;
  }

  clear() {
    this.#element.replaceChildren();
  }

  // A heading between runs (compare mode).
  section(title) {
    const heading = document.createElement("p");
    heading.className = "console-section";
    heading.textContent = title;
    this.#element.append(heading);
  }

  line(atMs, text) {
    const line = document.createElement("div");
    line.textContent = `[${seconds(atMs)}] ${text}`;
    this.#element.append(line);
    this.#element.scrollTop = this.#element.scrollHeight;
  }
}
