// The element's markup, built with createElement: the controls, the
// explanation and listings, the console, the timeline, replay (the time
// cursor, playback, the state at the cursor and the trace's files) and
// the task table. Ids are unique
// within one element's tree (its shadow root, or the page for the one
// light-DOM instance); the main regions carry `part` names for `::part()`,
// and those the `views` attribute shows or hides a `data-view`.
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

// A select of `options` ([value, text, selected]).
function select(id, ...options) {
  return h("select", { id }, ...options.map(([value, text, selected]) => h("option", { value, selected }, text)));
}

function listing(id, language, caption, ...extra) {
  return h(
    "figure",
    { class: "listing", id },
    h("figcaption", {}, caption),
    ...extra,
    h(
      "pre",
      { tabindex: 0, role: "group", "aria-label": `${language} listing` },
      h("code", { class: `language-${language.toLowerCase()}` }),
    ),
  );
}

// The Python listing, which an editable element turns into an editor (in
// `#python-editor`), with Reset and a hint on leaving it by keyboard.
function pythonListing() {
  return listing(
    "python-source",
    "Python",
    h(
      "span",
      { class: "caption-bar" },
      "Python",
      h("button", { id: "reset-program", type: "button", class: "secondary small", hidden: true }, "Reset"),
    ),
    h(
      "p",
      { id: "editor-hint", class: "editor-hint", hidden: true },
      "Tab indents; press Escape, then Tab, to leave the editor.",
    ),
    h("div", { id: "python-editor", class: "editor", hidden: true }),
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
        pythonListing(),
        listing("rust-source", "Rust", "Rust: the original program's port, which runs when it is unchanged"),
      ),
    ),
    h(
      "section",
      { class: "output", part: "output", "aria-label": named("Output") },
      h(
        "div",
        { class: "bar status-bar" },
        h("p", { id: "status", class: "status", part: "status", role: "status" }),
        h("button", { id: "pin-run", type: "button", class: "secondary", disabled: true }, "Pin this run"),
      ),
      h(
        "div",
        { id: "engine-progress", class: "engine-progress", hidden: true },
        h("progress", { "aria-label": "Loading the Python engine" }),
        h("span"),
      ),
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
            legendItem("warning", "warning"),
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
      replayRegion(),
      tableRegion(),
    ),
  ];
}

// The time cursor, playback, the state at the cursor, and the trace's files.
function replayRegion() {
  return h(
    "div",
    { class: "replay", part: "replay", "data-view": "replay" },
    h("h3", { id: "replay-heading" }, "Replay"),
    h(
      "div",
      { class: "bar replay-bar", role: "group", "aria-labelledby": "replay-heading" },
      h("button", { id: "replay-play", type: "button", class: "secondary", disabled: true }, "Play"),
      h(
        "button",
        { id: "replay-back", type: "button", class: "secondary", disabled: true, "aria-label": "Previous event" },
        "◀ Event",
      ),
      h(
        "button",
        { id: "replay-forward", type: "button", class: "secondary", disabled: true, "aria-label": "Next event" },
        "Event ▶",
      ),
      h(
        "label",
        { class: "field inline-field" },
        h("span", {}, "Speed"),
        select("replay-speed", ["0.25", "0.25×"], ["0.5", "0.5×"], ["1", "1×", true], ["2", "2×"], ["4", "4×"]),
      ),
    ),
    h(
      "div",
      { class: "cursor-track", id: "cursor-track" },
      h("div", {
        id: "cursor",
        class: "cursor-thumb",
        role: "slider",
        tabindex: 0,
        "aria-label": "Time cursor (loop time in ms)",
        "aria-valuemin": 0,
        "aria-valuemax": 0,
        "aria-valuenow": 0,
        "aria-valuetext": "no run yet",
        "aria-disabled": "true",
        "aria-keyshortcuts": "ArrowLeft ArrowRight Home End PageUp PageDown",
        "aria-describedby": "cursor-help",
      }),
    ),
    h(
      "p",
      { id: "cursor-help", class: "hint" },
      "Drag the cursor, or focus it and use ← and → for the previous and next event, Home and End, Page Up and Page Down.",
    ),
    h("p", { id: "cursor-event", class: "cursor-event" }),
    h("div", { id: "cursor-state", class: "cursor-state", role: "group", "aria-label": "State at the cursor" }),
    h(
      "div",
      { class: "bar trace-files" },
      h("button", { id: "download-trace", type: "button", class: "secondary", disabled: true }, "Download trace"),
      h("button", { id: "save-trace", type: "button", class: "secondary", disabled: true }, "Save run"),
      h(
        "label",
        { class: "file-button" },
        h("span", {}, "Open trace…"),
        h("input", { id: "open-trace", type: "file", accept: ".json,application/json", class: "visually-hidden" }),
      ),
      h("span", { class: "hint" }, "Download: Chrome trace JSON for Perfetto; Save: this page's own, to open again."),
    ),
    h("p", { id: "trace-file-error", class: "param-error", role: "alert", hidden: true }),
  );
}

// The task table: a row per task, sortable by any column.
function tableRegion() {
  const columns = [
    ["name", "Task"],
    ["state", "State"],
    ["created", "Created"],
    ["ended", "Ended"],
    ["steps", "Steps"],
    ["running", "Running"],
    ["waiting", "Waiting"],
    ["woken", "Woken"],
    ["waitsOn", "Waits on now"],
  ];
  return h(
    "div",
    { class: "tasks", part: "tasks", "data-view": "table" },
    h("h3", { id: "task-table-heading" }, "Tasks"),
    h("p", { id: "task-table-note", class: "hint" }, "Run the example, or open a trace, to see its tasks."),
    h(
      "div",
      { class: "task-table-wrap", tabindex: 0, role: "group", "aria-labelledby": "task-table-heading" },
      h(
        "table",
        { class: "task-table", id: "task-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...columns.map(([key, text]) =>
              h(
                "th",
                { scope: "col", "data-key": key, "aria-sort": "none" },
                h("button", { type: "button", class: "sort", "data-key": key }, text),
              ),
            ),
          ),
        ),
        h("tbody"),
      ),
    ),
  );
}
