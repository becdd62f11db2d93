// The trace's files: "Download trace" (Chrome's Trace Event JSON, for
// Perfetto and Chromium's trace viewers), "Save run" (this page's own
// trace file) and "Open trace" (one of those saved files, for replay).
//
// The view keeps its nodes to itself and says what the reader wants as
// events: `download`, `save`, and `open` (detail: the File chosen).
// Whoever owns the runs writes and reads the files, and gives the view a
// file to offer (`offer`) or a message (`showError`).

export class TraceFiles extends EventTarget {
  #root;
  #download;
  #save;
  #open;
  #error;

  constructor(root) {
    super();
    this.#root = root;
    this.#download = root.querySelector("#download-trace");
    this.#save = root.querySelector("#save-trace");
    this.#open = root.querySelector("#open-trace");
    this.#error = root.querySelector("#trace-file-error");
    const say = (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail }));
    this.#download.addEventListener("click", () => say("download"));
    this.#save.addEventListener("click", () => say("save"));
    this.#open.addEventListener("change", () => {
      const file = this.#open.files?.[0];
      // The same file may be chosen again.
      this.#open.value = "";
      if (file) say("open", file);
    });
  }

  // Whether there is a finished run to download or save.
  setAvailable(available) {
    this.#download.disabled = !available;
    this.#save.disabled = !available;
  }

  // Shows `message` about a file (none: hides it).
  showError(message) {
    this.#error.textContent = message ?? "";
    this.#error.hidden = !message;
  }

  // Offers `text` as a download called `name`.
  offer(text, name) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    (this.#root.querySelector(".trace-files") ?? this.#root).append(link);
    link.click();
    link.remove();
    // The download has its own copy once it has started.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
