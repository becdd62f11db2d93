// program.js: a program held in markup, as the element reads it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OWN_CODE, dedent, heldEntry, isProgramEntry } from "../../www/program.js";

test("a held program loses the indentation its lines share and its blank ends", () => {
  const markup = "\n\n      import asyncio\n\n      async def main():\n          print('hi')\n      \n    ";
  assert.equal(dedent(markup), "import asyncio\n\nasync def main():\n    print('hi')\n");
  assert.equal(dedent("\r\n\tif x:\r\n\t\tpass\r\n"), "if x:\n\tpass\n");
  assert.equal(dedent("  \n \n"), "");
  // A line indented less than the rest keeps what it has, less its own.
  assert.equal(dedent("    a\n  b\n    c"), "  a\nb\n  c\n");
});

test("the reader's and the element's programs run in the engine; the examples do not", () => {
  assert.equal(isProgramEntry(OWN_CODE), true);
  const held = heldEntry("print(1)\n");
  assert.equal(held.pythonSource, "print(1)\n");
  assert.equal(isProgramEntry(held), true);
  assert.equal(isProgramEntry({ id: "hello" }), false);
  assert.equal(isProgramEntry(undefined), false);
  assert.match(OWN_CODE.pythonSource, /asyncio\.run\(main\(\)\)/);
});
