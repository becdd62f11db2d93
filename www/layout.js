// The element's markup, built with createElement: the controls, the
// explanation and listings, the console and the timeline. Ids are unique
// within one element's tree (its shadow root, or the page for the one
// light-DOM instance); the main regions carry `part` names for `::part()`,
// and the three that the `views` attribute shows or hides a `data-view`.
// With `landmarks` (the full page) the form and the sections are named,
// so they are landmarks; in an element on someone else's page they are
// not, and the element itself is the one landmark.

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === true) node.setAttribute(key, "");
    else if (value !== false && value !== undefined) node.setAttribute(key, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

function select(id, ...options) {
  return h("select", { id }, ...options.map(([value, text]) => h("option", { value }, text)));
}

function listing(id, language) {
  return h(
    "figure",
    { class: "listing", id },
    h("figcaption", {}, language),
    h(
      "pre",
      { tabindex: 0, role: "group", "aria-label": `${language} listing` },
      h("code", { class: `language-${language.toLowerCase()}` }),
    ),
  );
}

function legendItem(kind, text) {
  return h("li", {}, h("span", { class: `swatch swatch-${kind}`, "aria-hidden": "true" }), text);
}

export function layout({ landmarks = false } = {}) {
  const named = (label) => (landmarks ? label : undefined);
  return [
    h("p", { id: "notice", class: "notice", part: "notice", role: "alert", hidden: true }),
    h(
      "form",
      { class: "controls", part: "controls", "aria-label": named("Run controls"), novalidate: true },
      h(
        "div",
        { class: "bar" },
        h("label", { class: "field" }, h("span", {}, "Example"), h("select", { id: "example" })),
        h("label", { class: "field", id: "variant-field" }, h("span", {}, "Mode"), h("select", { id: "variant" })),
        h(
          "label",
          { class: "field" },
          h("span", {}, "Clock"),
          select("clock", ["real", "real time (watch it happen)"], ["virtual", "virtual time (at once)"]),
        ),
        h(
          "div",
          { class: "buttons" },
          h(
            "button",
            { id: "run", type: "submit", disabled: true, "aria-keyshortcuts": "Control+Enter Meta+Enter" },
            "Run",
          ),
          h("button", { id: "stop", type: "button", class: "secondary", disabled: true }, "Stop"),
          h("span", { class: "hint" }, "or Ctrl+Enter"),
        ),
      ),
      h(
        "div",
        { class: "bar" },
        h("div", { id: "params", class: "params", role: "group", "aria-label": "Parameters" }),
        h(
          "label",
          { class: "field", id: "server-field", hidden: true },
          h("span", {}, "Server"),
          h("input", { id: "base-url", type: "url", spellcheck: "false", autocomplete: "off" }),
        ),
      ),
      h("p", { id: "param-error", class: "param-error", role: "alert", hidden: true }),
      h(
        "div",
        { class: "bar share", part: "share" },
        h("button", { id: "copy-link", type: "button", class: "secondary" }, "Copy link"),
        h("button", { id: "copy-embed", type: "button", class: "secondary" }, "Copy embed code"),
        h("output", { id: "share-text", class: "share-text", hidden: true }),
      ),
    ),
    h(
      "section",
      { class: "about", part: "about", "aria-labelledby": named("example-title") },
      h("h2", { id: "example-title" }, "Loading…"),
      h("p", { id: "explanation" }),
      h(
        "div",
        { class: "listings", part: "listings", "data-view": "listings" },
        listing("python-source", "Python"),
        listing("rust-source", "Rust"),
      ),
    ),
    h(
      "section",
      { class: "output", part: "output", "aria-label": named("Output") },
      h("p", { id: "status", class: "status", part: "status", role: "status" }),
      h("p", { id: "note", class: "note", hidden: true }),
      h(
        "div",
        { "data-view": "console" },
        h("h3", {}, "Console"),
        h("pre", {
          id: "console",
          class: "console",
          part: "console",
          tabindex: 0,
          role: "log",
          "aria-label": "Console output",
        }),
      ),
      h(
        "div",
        { "data-view": "timeline" },
        h("h3", {}, "Timeline"),
        h(
          "div",
          { class: "timeline", part: "timeline" },
          h(
            "ul",
            { class: "legend", "aria-label": "Legend" },
            legendItem("running", "running"),
            legendItem("waiting", "waiting (on what)"),
            legendItem("ready", "ready, not yet running"),
            legendItem("job", "executor job"),
            legendItem("timer", "timer fired"),
            legendItem("print", "print"),
          ),
          h("div", { class: "timeline-plot" }),
          h("p", { class: "timeline-note" }),
          h(
            "details",
            {},
            h("summary", {}, "Timeline as a table"),
            h(
              "table",
              { class: "timeline-table" },
              h(
                "thead",
                {},
                h("tr", {}, ...["Task", "State", "From", "To", "Waiting on"].map((t) => h("th", { scope: "col" }, t))),
              ),
              h("tbody"),
            ),
          ),
        ),
      ),
    ),
  ];
}
