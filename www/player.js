// The time cursor over finished runs (one, compare mode's two, a pinned
// run beside the last, or a Python program's event loops, on one time
// axis) and their playback. It owns the cursor: a position (how many
// of the runs' events, merged in time order, have happened) and a loop
// time. Stepping moves by one event, and the time is that event's; seeking
// to a time puts the cursor after every event at or before it. Playback
// moves the time at 0.25× to 4× of loop time, one frame at a time; with
// `discrete` (for `prefers-reduced-motion`) the cursor jumps from event to
// event a few times a second instead of sweeping. A run that took no loop
// time plays event by event. Listeners hear `change` after each move.

export const SPEEDS = Object.freeze([0.25, 0.5, 1, 2, 4]);
// Events per second at 1× for a run that took no loop time.
const EVENTS_PER_SECOND = 20;
// Updates per second at most when discrete.
const DISCRETE_RATE = 4;

export class Player extends EventTarget {
  #frame;
  #cancel;
  #clock;
  #discrete;
  // Merged order: for the k-th event, its run, its index in that run, its time.
  #runOf = new Int32Array(0);
  #indexOf = new Int32Array(0);
  #times = new Float64Array(0);
  // For each run, the merged positions of its events, in order.
  #positions = [];
  #handle = null;
  #last = 0;
  #carry = 0;
  // Playback's own loop time, which moves smoothly even when the cursor
  // shown jumps from event to event.
  #playTime = 0;

  // `frame(callback)` and `cancel(handle)`: requestAnimationFrame and its
  // cancel; `clock()`: milliseconds (performance.now).
  constructor({ frame, cancel, clock, discrete = false }) {
    super();
    this.#frame = frame;
    this.#cancel = cancel;
    this.#clock = clock;
    this.#discrete = discrete;
    this.position = 0;
    this.time = 0;
    this.end = 0;
    this.speed = 1;
    this.playing = false;
  }

  set discrete(value) {
    this.#discrete = Boolean(value);
  }

  get discrete() {
    return this.#discrete;
  }

  // How many events there are.
  get count() {
    return this.#times.length;
  }

  // Loads runs (each with `events` in time order) ending at loop time
  // `end`; the cursor goes to the end.
  load(runs, end) {
    this.pause();
    const total = runs.reduce((sum, run) => sum + run.events.length, 0);
    this.#runOf = new Int32Array(total);
    this.#indexOf = new Int32Array(total);
    this.#times = new Float64Array(total);
    this.#positions = runs.map((run) => new Int32Array(run.events.length));
    const next = runs.map(() => 0);
    for (let k = 0; k < total; k += 1) {
      // The earliest next event; ties go to the earlier run.
      let best = -1;
      for (let r = 0; r < runs.length; r += 1) {
        const event = runs[r].events[next[r]];
        if (event && (best < 0 || event.at_ms < runs[best].events[next[best]].at_ms)) best = r;
      }
      this.#runOf[k] = best;
      this.#indexOf[k] = next[best];
      this.#times[k] = runs[best].events[next[best]].at_ms;
      this.#positions[best][next[best]] = k;
      next[best] += 1;
    }
    this.end = Math.max(end, total ? this.#times[total - 1] : 0);
    this.#move(total, this.end);
  }

  clear() {
    this.load([], 0);
  }

  // The k-th event of the merged order (from 0): `{ run, index }`.
  eventAt(k) {
    return { run: this.#runOf[k], index: this.#indexOf[k] };
  }

  // For each run, how many of its events have happened at the cursor.
  counts() {
    return this.#positions.map((positions) => {
      let lo = 0;
      let hi = positions.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (positions[mid] < this.position) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    });
  }

  // How many events happened at or before loop time `t`.
  #countAt(t) {
    let lo = 0;
    let hi = this.#times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#times[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #timeOf(position) {
    return position > 0 ? this.#times[position - 1] : 0;
  }

  #move(position, time) {
    const changed = position !== this.position || time !== this.time;
    this.position = position;
    this.time = time;
    if (changed) this.dispatchEvent(new Event("change"));
  }

  // The cursor after every event at or before loop time `t`.
  seek(t) {
    this.pause();
    const time = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), this.end);
    this.#move(this.#countAt(time), time);
  }

  // One event forward (1) or back (-1).
  step(by) {
    this.pause();
    const position = Math.min(Math.max(this.position + by, 0), this.count);
    this.#move(position, this.#timeOf(position));
  }

  // A tenth of the run forward (1) or back (-1).
  page(by) {
    this.seek(this.time + (by * this.end) / 10);
  }

  home() {
    this.pause();
    this.#move(0, 0);
  }

  toEnd() {
    this.pause();
    this.#move(this.count, this.end);
  }

  setSpeed(speed) {
    if (SPEEDS.includes(speed)) this.speed = speed;
  }

  // Plays from the cursor (from the start when it is at the end).
  play() {
    if (this.playing || !this.count) return;
    if (this.position >= this.count && this.time >= this.end) this.#move(0, 0);
    this.playing = true;
    this.#last = this.#clock();
    this.#carry = 0;
    this.#playTime = this.time;
    this.#handle = this.#frame(() => this.#tick());
    this.dispatchEvent(new Event("change"));
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    if (this.#handle !== null) this.#cancel(this.#handle);
    this.#handle = null;
    this.dispatchEvent(new Event("change"));
  }

  #tick() {
    this.#handle = null;
    if (!this.playing) return;
    const now = this.#clock();
    const elapsed = now - this.#last;
    if (this.#discrete && elapsed < 1000 / DISCRETE_RATE) {
      this.#handle = this.#frame(() => this.#tick());
      return;
    }
    this.#last = now;
    if (this.end <= 0) {
      // No loop time: event by event.
      this.#carry += (elapsed / 1000) * EVENTS_PER_SECOND * this.speed;
      const steps = Math.floor(this.#carry);
      this.#carry -= steps;
      this.#move(Math.min(this.position + steps, this.count), 0);
    } else {
      this.#playTime = Math.min(this.#playTime + elapsed * this.speed, this.end);
      const position = this.#countAt(this.#playTime);
      // Discrete: the cursor stands at the last event reached, not between.
      const shown =
        this.#discrete && this.#playTime < this.end ? Math.max(this.#timeOf(position), this.time) : this.#playTime;
      this.#move(position, shown);
    }
    if (this.position >= this.count && (this.end <= 0 || this.#playTime >= this.end)) {
      this.pause();
      return;
    }
    this.#handle = this.#frame(() => this.#tick());
  }
}
