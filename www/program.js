// The Python program an element runs: one of the catalogue's listings, the
// reader's own ("Your own code", from a template), or the author's, held
// by the element as a `<pre>` or `<script type="text/x-python">` child,
// which the reader sees even without JavaScript.

// The picker's entry for a program of the reader's own.
export const OWN_CODE = Object.freeze({
  id: "own-code",
  title: "Your own code",
  topic: "Your code",
  explanation:
    "Write or paste an asyncio program and run it: the console shows what it prints, the timeline a row per task. Copy link keeps the program in the link; Copy embed code puts it in a tutorial.",
  pythonSource:
    'import asyncio\n\n\nasync def main():\n    print("Hello")\n    await asyncio.sleep(1)\n    print("World")\n\n\nasyncio.run(main())\n',
  rustSource: "",
  params: [],
  variants: [],
  comparable: false,
  needs: { server: false, workers: false, browser: false },
});

// The longest program an element or a link holds, in characters.
export const MAX_PROGRAM_LENGTH = 200_000;

// `text` without its leading blank lines and trailing white space, and
// with the indentation its lines share removed (an author indents a
// program inside the page's markup), ending in one newline.
export function dedent(text) {
  const lines = text.replaceAll("\r\n", "\n").split("\n");
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines.at(-1).trim() === "") lines.pop();
  if (!lines.length) return "";
  const indents = lines.filter((line) => line.trim() !== "").map((line) => /^[ \t]*/.exec(line)[0]);
  let common = indents[0];
  for (const indent of indents) {
    let n = 0;
    while (n < common.length && n < indent.length && common[n] === indent[n]) n += 1;
    common = common.slice(0, n);
  }
  return `${lines.map((line) => (line.startsWith(common) ? line.slice(common.length) : line.trimStart())).join("\n")}\n`;
}

// The program an element holds, or null: the text of its first `<pre>` or
// `<script type="text/x-python">` child.
export function heldProgram(element) {
  for (const child of element.children) {
    const isScript = child.localName === "script" && child.type.trim().toLowerCase() === "text/x-python";
    if (child.localName === "pre" || isScript) return dedent(child.textContent);
  }
  return null;
}

// The picker's entry for the program an element holds (what Reset
// restores).
export function heldEntry(source) {
  return {
    ...OWN_CODE,
    id: "held-program",
    title: "This page's program",
    topic: "This page",
    explanation: "Run it to see what it prints and when, and a row per task on the timeline.",
    pythonSource: source,
  };
}

// Whether `example` is a Python program with no Rust port (the reader's
// own, or the one the element holds): it always runs in the Python engine.
export function isProgramEntry(example) {
  return example?.id === OWN_CODE.id || example?.id === heldEntry("").id;
}
