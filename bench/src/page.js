// The benchmark page's JavaScript, in one module: the plain-JavaScript
// contenders of every measurement and the turn probe. One file, not one
// snippet per measurement: the test runner's server now and then leaves
// one of a page's parallel script requests unanswered, and the page then
// never loads (see xtask's watchdog); the fewer the requests, the rarer.

// Measurement 1: `n` promise jobs, each run once (or yielding once), the
// loop yielding after every `batch`; the milliseconds until all are done.
export async function js_tasks(n, yieldOnce, batch) {
  let done = 0;
  const body = yieldOnce
    ? async () => {
        await null;
        done++;
      }
    : () => {
        done++;
      };
  const start = performance.now();
  const all = new Array(n);
  for (let i = 0; i < n; i++) {
    all[i] = Promise.resolve().then(body);
    if ((i + 1) % batch === 0 && i + 1 < n) await null;
  }
  await Promise.all(all);
  const elapsed = performance.now() - start;
  if (done !== n) throw new Error(`only ${done} of ${n} promises ran`);
  return elapsed;
}

// Measurement 2: `n` zero-delay `setTimeout` sleeps in a row; milliseconds
// each.
export async function js_sleep_zero(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return (performance.now() - start) / n;
}

// Measurement 3: `n` concurrent `setTimeout` sleeps over 0–999 ms; the
// milliseconds until the last.
export async function js_timers(n) {
  const start = performance.now();
  const all = new Array(n);
  for (let i = 0; i < n; i++) {
    const delay = (i * 7919) % 1000;
    all[i] = new Promise((resolve) => setTimeout(resolve, delay));
  }
  await Promise.all(all);
  return performance.now() - start;
}

// Measurement 4: a probe bouncing a message over a MessageChannel; its
// longest gap is how long the page could neither paint nor take input.
export function probe_start() {
  const channel = new MessageChannel();
  const probe = { channel, last: performance.now(), longest: 0, on: true };
  channel.port1.onmessage = () => {
    const now = performance.now();
    probe.longest = Math.max(probe.longest, now - probe.last);
    probe.last = now;
    if (probe.on) channel.port2.postMessage(null);
  };
  channel.port2.postMessage(null);
  return probe;
}
export function probe_stop(probe) {
  probe.on = false;
  const now = performance.now();
  probe.longest = Math.max(probe.longest, now - probe.last);
  probe.channel.port1.close();
  probe.channel.port2.close();
  return probe.longest;
}

// Measurements 7–9, the executor table (see executor.rs): the
// same trial division in workers made from a Blob. Each worker answers a
// message [lo, hi] with the count of primes in lo..hi; [0, 0] is a job
// that does nothing.
const SOURCE = `onmessage = (event) => {
  const [lo, hi] = event.data;
  let count = 0;
  for (let n = Math.max(lo, 2); n < hi; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) { prime = false; break; }
    }
    if (prime) count++;
  }
  postMessage(count);
};`;

// `size` workers, each with the resolvers of its messages still in flight.
export function js_pool(size) {
  const url = URL.createObjectURL(new Blob([SOURCE], { type: "text/javascript" }));
  const lanes = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(url);
    const waiting = [];
    worker.onmessage = (event) => waiting.shift()(event.data);
    lanes.push({ worker, waiting });
  }
  return { url, lanes };
}

function call(lane, range) {
  return new Promise((resolve) => {
    lane.waiting.push(resolve);
    lane.worker.postMessage(range);
  });
}

// Runs the ranges in `bounds` ([lo, hi, lo, hi, ...]) on the first `lanes`
// workers, each taking the next range when free, one in flight per worker,
// as the executor's pool does. Gives [milliseconds, sum of the answers].
export async function js_run(pool, bounds, lanes) {
  const start = performance.now();
  let next = 0,
    total = 0;
  await Promise.all(
    pool.lanes.slice(0, lanes).map(async (lane) => {
      while (next < bounds.length) {
        const range = [bounds[next], bounds[next + 1]];
        next += 2;
        const count = await call(lane, range);
        total += count;
      }
    }),
  );
  return [performance.now() - start, total];
}

export function js_close(pool) {
  for (const lane of pool.lanes) lane.worker.terminate();
  URL.revokeObjectURL(pool.url);
}
