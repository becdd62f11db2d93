// The controls: the example picker (grouped by topic), the variant or
// compare choice, the clock, the parameters with their ranges, the base
// URL for network examples, Run and Stop.
import { DEFAULT_SERVER } from "./network.js";

function option(value, text) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = text;
  return node;
}

export class Controls {
  constructor(root) {
    this.picker = root.querySelector("#example");
    this.variant = root.querySelector("#variant");
    this.variantField = root.querySelector("#variant-field");
    this.clock = root.querySelector("#clock");
    this.params = root.querySelector("#params");
    this.paramError = root.querySelector("#param-error");
    this.server = root.querySelector("#server-field");
    this.baseUrl = root.querySelector("#base-url");
    this.runButton = root.querySelector("#run");
    this.stopButton = root.querySelector("#stop");
    this.baseUrl.value = DEFAULT_SERVER;
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
    this.picker.replaceChildren(...groups.values());
  }

  get exampleId() {
    return this.picker.value;
  }

  select(id) {
    this.picker.value = id;
  }

  // Shows the inputs for `example`: its variants (and compare mode), its
  // parameters, the base URL if it needs the server.
  show(example) {
    const choices = example.variants.map((v) => option(v.id, v.label));
    if (example.comparable) choices.unshift(option("compare", "Compare sequential and concurrent"));
    this.variant.replaceChildren(...choices);
    this.variantField.hidden = choices.length < 2;
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
    this.params.replaceChildren(...fields);
    this.params.hidden = fields.length === 0;
    this.server.hidden = !example.needs.server;
    this.setParamError(null);
  }

  get variantId() {
    return this.variant.value;
  }

  // `{ name: number }`; an empty or malformed input gives NaN, which the
  // range check refuses.
  values() {
    const out = {};
    for (const input of this.params.querySelectorAll("input")) {
      out[input.name] = input.value.trim() === "" ? Number.NaN : Number(input.value);
    }
    return out;
  }

  setValues(values) {
    for (const input of this.params.querySelectorAll("input")) {
      if (input.name in values) input.value = String(values[input.name]);
    }
  }

  setParamError(message) {
    this.paramError.textContent = message ?? "";
    this.paramError.hidden = !message;
    for (const input of this.params.querySelectorAll("input")) {
      input.setAttribute(
        "aria-invalid",
        message ? String(message.startsWith(input.previousElementSibling.textContent)) : "false",
      );
    }
  }

  setRunning(running) {
    this.runButton.disabled = running;
    this.stopButton.disabled = !running;
  }
}
