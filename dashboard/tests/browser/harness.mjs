// Shared by the browser tests: Debian's headless chromium, and checks that count, log and
// leave a screenshot each (CI keeps target/screenshots as artifacts).
import { chromium } from "playwright-core";
import net from "node:net";
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

// A TCP port nothing listens on right now, for a dashboard the test starts itself.
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on("error", reject);
  });
}

// Waits until the dashboard `child` answers `<base>/readyz` (30 s at most).
export async function waitReady(base, child) {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`pacto-dashboard exited with ${child.exitCode}`);
    try { if ((await fetch(base + "/readyz")).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("pacto-dashboard not ready after 30 s");
}
