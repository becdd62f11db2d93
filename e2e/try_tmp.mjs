import { launch } from "./browser.mjs";
const browser = await launch();
const page = await browser.newPage();
page.on("pageerror", (e) => console.log("pageerror", e.message));
await page.goto("http://127.0.0.1:8123/");
await page.waitForSelector("#python-editor .cm-content");
await page.selectOption("#example", "own-code");
await page.selectOption("#clock", "virtual");
await page.evaluate(() => {
  document.querySelector("asyncio-playground").playground.listings.source = `import asyncio

async def worker(name):
    await asyncio.sleep(1)
    print(name, "finished")

async def main():
    async with asyncio.TaskGroup() as group:
        group.create_task(worker("a"), name="worker-a")
        group.create_task(worker("b"), name="worker-b")

asyncio.run(main())
`;
});
await page.click("#run");
await page.waitForFunction(() => /^(Done|Stopped|The)/.test(document.getElementById("status").textContent), null, {
  timeout: 60000,
});
for (const wait of [0, 500]) {
  await page.waitForTimeout(wait);
  console.log(
    await page.evaluate(() => {
      const p = document.querySelector("asyncio-playground").playground;
      return JSON.stringify({
        entries: p.runs.map((r) => r.history.entries.length),
        html: document.getElementById("console").innerHTML.slice(0, 400),
        kinds: p.runs[0].history.events.filter((e) => e.kind === "printed"),
      });
    }),
  );
}
await browser.close();
