// Compare mode: the sequential and the concurrent variant, each on a fresh
// loop, and how much faster the concurrent one was against the ideal.
import { seconds } from "./format.js";

// The longest single wait of any task in a run: if every wait overlapped,
// the run would take about that long.
function longestWait(model, end) {
  let longest = 0;
  for (const task of model.tasks.values()) {
    for (const span of model.spansOf(task, end)) {
      if (span.state === "waiting") longest = Math.max(longest, span.to - span.from);
    }
  }
  return longest;
}

// "5.00 s vs 1.00 s: 5.0× faster (ideal 5.0×: …)".
export function speedUpText(sequential, concurrent) {
  const seq = sequential.totalMs;
  const con = concurrent.totalMs;
  let text = `${seconds(seq, 2)} vs ${seconds(con, 2)}: `;
  if (con <= 0) {
    text += seq <= 0 ? "both took no loop time." : "the concurrent run took no loop time.";
  } else {
    const ratio = seq / con;
    text += ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower`;
    const wait = longestWait(sequential.model, seq);
    if (wait > 0) {
      text += ` (ideal ${(seq / wait).toFixed(1)}×: with every wait overlapped, it would take as long as the longest one, ${seconds(wait, 2)})`;
    }
    text += ".";
  }
  return text;
}

// A pinned run against the run after it (each `{ totalMs }`): "pinned
// 2.00 s, this run 1.00 s: 2.0× faster than the pinned run."
export function pinnedSpeedUpText(pinned, current) {
  const before = pinned.totalMs;
  const now = current.totalMs;
  let text = `pinned ${seconds(before, 2)}, this run ${seconds(now, 2)}: `;
  if (now <= 0 || before <= 0) {
    text += now === before ? "both took no loop time." : `${now <= 0 ? "this" : "the pinned"} run took no loop time.`;
  } else if (now === before) {
    text += "as fast as the pinned run.";
  } else {
    const ratio = before / now;
    text +=
      ratio > 1
        ? `${ratio.toFixed(1)}× faster than the pinned run.`
        : `${(1 / ratio).toFixed(1)}× slower than the pinned run.`;
  }
  return text;
}
