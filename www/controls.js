// The controls: the example picker (grouped by topic), the variant or
// compare choice, the clock, the parameters with their ranges, the server
// for network examples, Run and Stop, Copy link and Copy embed code.
//
// The view keeps its nodes to itself and says what the reader wants as
// events: `run`, `stop`, `share` (detail `"link"` or `"embed"`) and
// `change` (detail: which control, `example`, `mode`, `clock`, `params` or
// `server`). Whoever owns it reads and sets the controls with its methods.
import { DEFAULT_SERVER } from "./network.js";

function option(value, text) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = text;
  return node;
}

export class Controls extends EventTarget {
  #picker;
  #variant;
  #variantField;
  #clock;
  #params;
  #paramError;
  #serverField;
  #server;
  #runButton;
  #stopButton;
  #shareText;
  #form;

  // `root`: the element's tree, holding the form the layout built.
  constructor(root) {
    super();
    const find = (selector) => root.querySelector(selector);
    this.#picker = find("#example");
    this.#variant = find("#variant");
    this.#variantField = find("#variant-field");
    this.#clock = find("#clock");
    this.#params = find("#params");
    this.#paramError = find("#param-error");
    this.#serverField = find("#server-field");
    this.#server = find("#base-url");
    this.#runButton = find("#run");
    this.#stopButton = find("#stop");
    this.#shareText = find("#share-text");
    this.#form = find("form");
    this.#server.value = DEFAULT_SERVER;
    const say = (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail }));
    find("form").addEventListener("submit", (event) => {
      event.preventDefault();
      say("run");
    });
    this.#stopButton.addEventListener("click", () => say("stop"));
    find("#copy-link").addEventListener("click", () => say("share", "link"));
    find("#copy-embed").addEventListener("click", () => say("share", "embed"));
    this.#picker.addEventListener("change", () => say("change", "example"));
    this.#variant.addEventListener("change", () => say("change", "mode"));
    this.#clock.addEventListener("change", () => say("change", "clock"));
    this.#params.addEventListener("input", () => say("change", "params"));
    this.#server.addEventListener("input", () => say("change", "server"));
  }

  // Lists the catalogue, grouped by topic in catalogue order.
  list(catalogue) {
    const groups = new Map();
    for (const example of catalogue) {
      if (!groups.has(example.topic)) {
        const group = document.createElement("optgroup");
        group.label = example.topic;
        groups.set(example.topic, group);
      }
      groups.get(example.topic).append(option(example.id, example.title));
    }
    this.#picker.replaceChildren(...groups.values());
  }

  get exampleId() {
    return this.#picker.value;
  }

  select(id) {
    this.#picker.value = id;
  }

  // Shows the inputs for `example`: its variants (and compare mode), its
  // parameters at their defaults, the server if it needs one.
  show(example) {
    const choices = example.variants.map((v) => option(v.id, v.label));
    if (example.comparable) choices.unshift(option("compare", "Compare sequential and concurrent"));
    this.#variant.replaceChildren(...choices);
    this.#variantField.hidden = choices.length < 2;
    const fields = example.params.map((p) => {
      const label = document.createElement("label");
      label.className = "param";
      const name = document.createElement("span");
      name.textContent = p.label;
      const input = document.createElement("input");
      input.type = "number";
      input.name = p.name;
      input.min = String(p.min);
      input.max = String(p.max);
      input.step = String(p.step);
      input.value = String(p.default);
      input.required = true;
      input.setAttribute("aria-describedby", "param-error");
      const range = document.createElement("span");
      range.className = "param-range";
      range.textContent = `${p.unit ? `${p.unit} ` : ""}(${p.min} to ${p.max})`;
      label.append(name, input, range);
      return label;
    });
    this.#params.replaceChildren(...fields);
    this.#params.hidden = fields.length === 0;
    this.#serverField.hidden = !example.needs.server;
    this.setParamError(null);
  }

  // The variant id or `compare`; null when the example has one variant.
  get mode() {
    return this.#variantField.hidden ? null : this.#variant.value;
  }

  // The variant id or `compare`, shown or not.
  get variantId() {
    return this.#variant.value;
  }

  setMode(id) {
    this.#variant.value = id;
  }

  get clock() {
    return this.#clock.value;
  }

  setClock(clock) {
    this.#clock.value = clock;
  }

  // The parameters as typed: a Map of name → text.
  paramTexts() {
    return new Map([...this.#params.querySelectorAll("input")].map((input) => [input.name, input.value]));
  }

  // Sets the parameters `values` (a Map of name → number) names.
  setParams(values) {
    for (const input of this.#params.querySelectorAll("input")) {
      if (values.has(input.name)) input.value = String(values.get(input.name));
    }
  }

  get server() {
    return this.#server.value.trim();
  }

  setServer(url) {
    this.#server.value = url;
  }

  // Shows `message` about the parameters (none: hides it), marking the
  // input of parameter `name` invalid (or, without a name, the one whose
  // label the message starts with).
  setParamError(message, name = null) {
    this.#paramError.textContent = message ?? "";
    this.#paramError.hidden = !message;
    for (const input of this.#params.querySelectorAll("input")) {
      const label = input.previousElementSibling.textContent;
      const invalid = Boolean(message) && (name === null ? message.startsWith(label) : input.name === name);
      input.setAttribute("aria-invalid", String(invalid));
    }
  }

  // While Run runs the Python in the editor (edited, or a program with no
  // port), the Rust port's mode, parameters and server do not apply, and
  // are not shown.
  setPythonRun(python) {
    this.#form.classList.toggle("python-run", python);
  }

  setRunning(running) {
    this.#runButton.disabled = running;
    this.#stopButton.disabled = !running;
  }

  // Shows the copied link or embed code (none: hides it).
  showShareText(text) {
    this.#shareText.textContent = text ?? "";
    this.#shareText.hidden = text === null;
  }
}
