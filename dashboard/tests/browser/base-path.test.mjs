// Browser test of `--base-path`: the dashboard behind a path prefix, in both deployments it
// supports. "ingress": the browser talks to the dashboard under `/pacto/` and the prefix
// reaches the server (which strips it before routing). "kubectl proxy": the browser talks to
// a proxy that serves the dashboard under `/api/v1/namespaces/pacto/services/
// pacto-dashboard:3000/proxy/` and strips that before forwarding, as `kubectl proxy` does; it
// answers 404 to anything outside the prefix. In both, the list, a service link, graph,
// diff and impact navigation, the live event stream and a live update must work, and no
// request the page makes may leave the prefix.
// Env: DASHBOARD_BIN, FIXTURE_DIR (a local dir the dashboards serve; edited by the live
// check), SCREENSHOTS.
import { assert, checks, freePort, launchChromium, waitReady } from "./harness.mjs";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const shots = process.env.SCREENSHOTS || "target/screenshots";
const fixture = process.env.FIXTURE_DIR;
assert(process.env.DASHBOARD_BIN && fixture, "DASHBOARD_BIN and FIXTURE_DIR must be set");
fs.mkdirSync(shots, { recursive: true });

const children = [];
process.on("exit", () => children.forEach((c) => { if (c.exitCode === null) c.kill("SIGTERM"); }));

async function dashboard(basePath, label) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(shots, `base-path-${label}-dashboard.log`), "w");
  const child = spawn(process.env.DASHBOARD_BIN, ["--port", String(port), "--no-cache", "--base-path", basePath, fixture],
    { stdio: ["ignore", log, log], env: { ...process.env, PACTO_DASHBOARD_NO_K8S: "1" } });
  children.push(child);
  await waitReady(origin, child);
  return origin;
}

// `prefix/x` is forwarded to `upstream` as `/x` (streamed, so the event stream passes);
// anything else is answered 404 and remembered in `outside`.
async function strippingProxy(upstream, prefix, outside) {
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    if (req.url !== prefix && !req.url.startsWith(prefix + "/") && !req.url.startsWith(prefix + "?")) {
      outside.push(req.url);
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("outside the proxied prefix");
      return;
    }
    const rest = req.url.slice(prefix.length);
    const up = http.request({
      host: target.hostname, port: target.port, method: req.method,
      path: rest.startsWith("/") ? rest : "/" + rest,
      headers: { ...req.headers, host: target.host },
    }, (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
    up.on("error", () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    res.on("close", () => up.destroy());
    req.pipe(up);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${port}`, close: () => { server.closeAllConnections(); server.close(); } };
}

const browser = await launchChromium();
const { check: checkOn, finish } = checks(shots, "base-path-");
let bump = 0;

// `outside`: what a proxy in front refused (must stay empty).
async function scenario(label, origin, prefix, outside = []) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  const requests = [];
  const problems = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  const check = (name, fn) => checkOn(`${label} ${name}`, page, fn);
  const at = (p) => origin + prefix + p;
  const onPath = (p) => (u) => u.pathname === prefix + p;
  const rows = () => page.$$eval("tr.row", (rs) => rs.filter((r) => !r.classList.contains("hidden")).map((r) => r.dataset.name));

  await check("list loads with its stylesheet and script", async () => {
    await page.goto(at("/"));
    assert(await page.getAttribute("body", "data-base") === prefix, "data-base is not the prefix");
    const names = await rows();
    for (const n of ["payments-api", "product-catalog", "postgresql"]) assert(names.includes(n), `${n} missing in ${names}`);
    const styled = await page.evaluate(() => Array.from(document.styleSheets).some((s) => s.cssRules.length > 0));
    assert(styled, "app.css not applied");
    await page.fill("#search", "catalog"); // app.js filters
    const shown = await rows();
    assert(shown.length === 1 && shown[0] === "product-catalog", `search shows ${shown}`);
    await page.fill("#search", "");
  });

  await check("live indicator connects to the event stream", async () => {
    await page.waitForSelector("#live.on", { timeout: 5000 });
  });

  await check("a service link keeps the prefix", async () => {
    await Promise.all([
      page.waitForURL(onPath("/services/payments-api")),
      page.click('tr.row[data-name="payments-api"] a'),
    ]);
    assert((await page.textContent("h1")).includes("payments-api"), "not on the payments-api page");
    assert(await page.isVisible("section#versions"), "versions section missing");
    await page.waitForSelector("#live.on", { timeout: 5000 });
  });

  await check("graph node, graph form and diff form keep the prefix", async () => {
    await Promise.all([page.waitForURL(onPath("/graph")), page.click('header.top nav a[href$="/graph"]')]);
    await Promise.all([
      page.waitForURL(onPath("/services/checkout")),
      page.click('svg.graph .node[data-name="checkout"]'),
    ]);
    await page.goto(at("/graph"));
    await page.selectOption('select[name="focus"]', "postgresql");
    await Promise.all([page.waitForURL(onPath("/graph")), page.click('form.controls button[type="submit"]')]);
    assert(new URL(page.url()).searchParams.get("focus") === "postgresql", `graph form went to ${page.url()}`);
    await Promise.all([page.waitForURL(onPath("/diff")), page.click('header.top nav a[href$="/diff"]')]);
    await page.selectOption('select[name="from"]', "product-catalog@1.3.0");
    await page.selectOption('select[name="to"]', "product-catalog@2.0.0");
    await Promise.all([page.waitForURL((u) => onPath("/diff")(u) && u.search.includes("from=")), page.click('form.controls button[type="submit"]')]);
    assert((await page.textContent("#classification")) === "BREAKING", "diff not BREAKING");
  });

  await check("impact page: nav, service picker, consumer and diff links keep the prefix", async () => {
    await Promise.all([page.waitForURL(onPath("/impact")), page.click('header.top nav a[href$="/impact"]')]);
    // app.js submits the form when a service is picked.
    await Promise.all([
      page.waitForURL((u) => onPath("/impact")(u) && u.searchParams.get("service") === "product-catalog"),
      page.selectOption('select[name="service"]', "product-catalog"),
    ]);
    assert((await page.textContent("#classification")) === "BREAKING", "impact not BREAKING");
    const v = await page.$$eval("#consumers tr.consumer", (rs) => Object.fromEntries(rs.map((r) => [r.dataset.name, r.dataset.verdict])));
    assert(v.storefront === "incompatible" && v["search-indexer"] === "compatible", `verdicts ${JSON.stringify(v)}`);
    await Promise.all([page.waitForURL(onPath("/diff")), page.click("#full-diff")]);
    assert((await page.textContent("#classification")) === "BREAKING", "full diff not BREAKING");
    await page.goBack();
    await Promise.all([page.waitForURL(onPath("/services/storefront")), page.click('tr.consumer[data-name="storefront"] td a')]);
    await Promise.all([page.waitForURL(onPath("/impact")), page.click("#impact-link")]);
    assert(new URL(page.url()).searchParams.get("service") === "storefront", `impact link went to ${page.url()}`);
    assert(await page.isVisible('tr.consumer[data-name="mobile-bff"]'), "mobile-bff not a consumer of storefront");
  });

  await check("live update without reload", async () => {
    await page.goto(at("/"));
    await page.waitForSelector("#live.on", { timeout: 5000 });
    await page.evaluate(() => { window.__noReload = true; });
    const before = await page.getAttribute("body", "data-snapshot");
    const file = path.join(fixture, "report-generator", "pacto.yaml");
    const version = `1.2.${++bump + 10}`;
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/version: 1\.2\.\d+/, `version: ${version}`));
    await page.waitForFunction((b) => document.body.dataset.snapshot !== b, before, { timeout: 15000 });
    const row = await page.textContent('tr.row[data-name="report-generator"]');
    assert(row.includes(version), `row not updated to ${version}: ${row}`);
    assert(await page.evaluate(() => window.__noReload === true), "page was reloaded");
  });

  await check("no request leaves the prefix, none failed", async () => {
    const escaped = requests.filter((u) => {
      const url = new URL(u);
      if (url.protocol === "data:") return false;
      return url.origin !== origin || !(url.pathname === prefix || url.pathname.startsWith(prefix + "/"));
    });
    assert(escaped.length === 0, "requests outside the prefix: " + [...new Set(escaped)].join(" | "));
    assert(requests.some((u) => u.includes(prefix + "/api/events")), "the event stream was never requested");
    assert(outside.length === 0, "the proxy refused " + outside.join(" | "));
    assert(problems.length === 0, problems.join(" | "));
  });
  await ctx.close();
}

try {
  const ingress = await dashboard("/pacto", "ingress");
  await scenario("ingress", ingress, "/pacto");

  const kubectlPrefix = "/api/v1/namespaces/pacto/services/pacto-dashboard:3000/proxy";
  const proxied = await dashboard(kubectlPrefix + "/", "kubectl-proxy");
  const outside = [];
  const proxy = await strippingProxy(proxied, kubectlPrefix, outside);
  await scenario("kubectl-proxy", proxy.origin, kubectlPrefix, outside);
  proxy.close();
} finally {
  await browser.close();
  children.forEach((c) => c.kill("SIGTERM"));
}
finish();
