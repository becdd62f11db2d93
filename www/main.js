// The page: pick an example from the catalogue, run it, and see its output
// and total time.
import init, { examples, register_jobs as registerJobs, runExample } from "./pkg/playground.js";

const $ = (id) => document.getElementById(id);
const status = (text) => { $("status").textContent = text; };

function formatSeconds(ms) {
  return `${(ms / 1000).toFixed(3)} s`;
}

function appendLine(atMs, text) {
  const line = document.createElement("div");
  line.textContent = `[${formatSeconds(atMs)}] ${text}`;
  $("console").append(line);
}

function show(example) {
  $("example-title").textContent = example.title;
  $("source").textContent = example.rustSource;
  $("console").replaceChildren();
  status("Ready.");
}

async function main() {
  try {
    await init();
  } catch (error) {
    status(`The WebAssembly module failed to load: ${error}`);
    return;
  }
  // The executor's inline fallback runs jobs here; workers register their own.
  registerJobs();
  const catalogue = examples();
  const picker = $("example");
  for (const example of catalogue) {
    const option = document.createElement("option");
    option.value = example.id;
    option.textContent = example.title;
    picker.append(option);
  }
  const selected = () => catalogue.find((example) => example.id === picker.value);
  picker.addEventListener("change", () => show(selected()));
  show(selected());
  const run = $("run");
  run.disabled = false;
  run.addEventListener("click", async () => {
    run.disabled = true;
    $("console").replaceChildren();
    status("Running…");
    const started = performance.now();
    try {
      const report = await runExample(picker.value, $("clock").value, appendLine);
      const wall = performance.now() - started;
      status(`Done: ${formatSeconds(report.totalMs)} of loop time (${formatSeconds(wall)} on the wall clock).`);
    } catch (error) {
      status(`The run failed: ${error}`);
    } finally {
      run.disabled = false;
    }
  });
}

main();
