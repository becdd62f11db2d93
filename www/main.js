// The minimal page: runs the `hello` example and shows its output and total time.
import init, { examples, runExample } from "./pkg/playground.js";

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

async function main() {
  try {
    await init();
  } catch (error) {
    status(`The WebAssembly module failed to load: ${error}`);
    return;
  }
  const hello = examples().find((example) => example.id === "hello");
  if (!hello) {
    status("The catalogue has no 'hello' example.");
    return;
  }
  $("example-title").textContent = hello.title;
  $("source").textContent = hello.rustSource;
  const run = $("run");
  run.disabled = false;
  run.addEventListener("click", async () => {
    run.disabled = true;
    $("console").replaceChildren();
    status("Running…");
    const started = performance.now();
    try {
      const report = await runExample("hello", $("clock").value, appendLine);
      const wall = performance.now() - started;
      status(`Done: ${formatSeconds(report.totalMs)} of loop time (${formatSeconds(wall)} on the wall clock).`);
    } catch (error) {
      status(`The run failed: ${error}`);
    } finally {
      run.disabled = false;
    }
  });
  status("Ready.");
}

main();
