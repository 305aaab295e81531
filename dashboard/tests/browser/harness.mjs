// Shared by the browser tests: Debian's headless chromium, and checks that count, log and
// leave a screenshot each (CI keeps target/screenshots as artifacts).
import { chromium } from "playwright-core";
import path from "node:path";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export function assert(c, msg) { if (!c) throw new Error(msg); }

// check(name, page, fn): runs fn, records ok/FAIL, screenshots `page` as <prefix><name>.png.
export function checks(shots, prefix = "") {
  const tally = { passed: 0, failures: 0 };
  async function check(name, page, fn) {
    try {
      await fn();
      tally.passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      tally.failures++;
      console.log(`FAIL ${name}: ${e.message}`);
    }
    const file = path.join(shots, prefix + name.replace(/[^a-z0-9]+/gi, "-").toLowerCase() + ".png");
    await page.screenshot({ path: file, fullPage: false }).catch(() => {});
  }
  function finish() {
    console.log(`${tally.passed} passed, ${tally.failures} failed; screenshots in ${shots}`);
    process.exit(tally.failures ? 1 : 0);
  }
  return { check, finish };
}
