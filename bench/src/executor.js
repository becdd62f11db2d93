// The plain-JavaScript baseline of the executor table (see executor.rs): the
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
  let next = 0, total = 0;
  await Promise.all(pool.lanes.slice(0, lanes).map(async (lane) => {
    while (next < bounds.length) {
      const range = [bounds[next], bounds[next + 1]];
      next += 2;
      const count = await call(lane, range);
      total += count;
    }
  }));
  return [performance.now() - start, total];
}

export function js_close(pool) {
  for (const lane of pool.lanes) lane.worker.terminate();
  URL.revokeObjectURL(pool.url);
}
