// Numbers as the page shows them.

// Milliseconds of loop time as seconds: `1.000 s`.
export function seconds(ms, digits = 3) {
  return `${(ms / 1000).toFixed(digits)} s`;
}
