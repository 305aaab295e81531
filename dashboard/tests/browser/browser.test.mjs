// Browser tests: Debian's headless chromium driven by playwright-core.
// Env: DASHBOARD_URL (server under test), FIXTURE_DIR (its local dir, edited by the live
// test), SCREENSHOTS (output dir). Exits non-zero on the first failed check.
import { assert, checks, launchChromium } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";

const base = process.env.DASHBOARD_URL || "http://127.0.0.1:3917";
const fixture = process.env.FIXTURE_DIR;
const shots = process.env.SCREENSHOTS || "target/screenshots";
fs.mkdirSync(shots, { recursive: true });

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const consoleErrors = [];
const dialogs = [];
page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));
// Failed loads, by URL: the hostile docs' `<img src=x>` is expected to 404 (the image is
// kept by the sanitiser, its handler is not); anything else is an error.
const failedLoads = [];
page.on("response", (r) => { if (r.status() >= 400) failedLoads.push(`${r.status()} ${r.url()}`); });
page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });

const { check: checkOn, finish } = checks(shots);
const check = (name, fn) => checkOn(name, page, fn);
const visibleRows = () => page.$$eval("tr.row", (rs) => rs.filter((r) => !r.classList.contains("hidden")).map((r) => r.dataset.name));
async function pwned() { return page.evaluate(() => window.__pwned); }

await check("list shows services", async () => {
  await page.goto(base + "/");
  const rows = await visibleRows();
  for (const n of ["payments-api", "product-catalog", "checkout", "hostile", "postgresql"]) assert(rows.includes(n), `${n} missing in ${rows}`);
  assert(await page.$$eval("svg.graph .node", (n) => n.length) >= rows.length, "graph nodes missing");
});

await check("kpi card filters table and graph", async () => {
  await page.click('.kpi[data-kpi="failing"]');
  const rows = await visibleRows();
  assert(rows.length === 1 && rows[0].includes("__pwned"), `failing filter shows ${rows}`);
  const undimmed = await page.$$eval("svg.graph .node:not(.dim)", (ns) => ns.map((n) => n.dataset.name));
  assert(undimmed.length === 1 && undimmed[0].includes("__pwned"), `graph not filtered: ${undimmed}`);
  await page.click('.kpi[data-kpi="failing"]'); // toggle off
  assert((await visibleRows()).length > 5, "toggle did not clear the filter");
});

await check("search filters and composes with kpi", async () => {
  await page.fill("#search", "catalog");
  let rows = await visibleRows();
  assert(rows.length === 1 && rows[0] === "product-catalog", `search shows ${rows}`);
  const lit = await page.$$eval("svg.graph .node:not(.dim)", (ns) => ns.map((n) => n.dataset.name));
  assert(lit.length === 1 && lit[0] === "product-catalog", `graph search: ${lit}`);
  await page.click('.kpi[data-kpi="failing"]');
  rows = await visibleRows();
  assert(rows.length === 0, `composed filter shows ${rows}`);
  assert(await page.isVisible("#no-match"), "no-match message hidden");
  await page.click('.kpi[data-kpi="failing"]');
  await page.fill("#search", "team/catalog");
  rows = await visibleRows();
  assert(rows.includes("product-catalog"), "search by owner failed");
  await page.fill("#search", "");
});

await check("table sorts by blast radius", async () => {
  await page.click('th[data-sort="blast"]');
  await page.click('th[data-sort="blast"]'); // descending
  const first = await page.$eval("#services tbody tr", (r) => r.dataset.name);
  assert(first === "postgresql", `top blast radius is ${first}`);
});

await check("detail page shows every section", async () => {
  await page.goto(base + "/services/payments-api");
  for (const id of ["overview", "validation", "interfaces", "capabilities", "configurations", "policies", "readiness", "dependencies", "dependents", "instances", "runtime", "findings", "conditions", "versions", "docs", "sbom"]) {
    assert(await page.isVisible(`section#${id}`), `section ${id} not visible`);
  }
  const text = await page.textContent("main");
  for (const s of ["/payments", "LOG_LEVEL", "checkout", "user-service"]) assert(text.includes(s), `${s} missing`);
});

const capabilityRows = () => page.$$eval("#capability-table tbody tr", (rs) => rs.map((r) =>
  `${r.dataset.type} ${r.dataset.bound} ` + Array.from(r.cells).slice(1, 4).map((c) => c.textContent.trim()).join("|")));

await check("2.0 service page shows capabilities, configuration flags and readiness claims", async () => {
  await page.goto(base + "/services/audit-trail");
  for (const id of ["capabilities", "configurations", "readiness", "interfaces"]) {
    assert(await page.isVisible(`section#${id}`), `section ${id} not visible`);
  }
  const caps = await capabilityRows();
  const want = ["health false not bound||", "metrics true api|/metrics|", "extension false ||example.com/tracing"];
  assert(JSON.stringify(caps) === JSON.stringify(want), `capability rows ${JSON.stringify(caps)}`);
  assert(await page.isVisible("#capability-table .pill.unbound"), "unbound capability not marked");
  const flags = await page.$$eval("section#configurations .card h3", (hs) => hs.map((h) => h.textContent.trim()));
  assert(flags.length === 2 && flags[0].endsWith("required") && flags[1].endsWith("optional"), `configurations ${JSON.stringify(flags)}`);
  const claims = await page.$$eval("#readiness-table tbody tr", (rs) => rs.map((r) => r.cells[0].textContent + " " + r.dataset.status));
  assert(JSON.stringify(claims) === JSON.stringify(["runbook done", "retention-review not-done"]), `claims ${JSON.stringify(claims)}`);
  assert((await page.textContent("section#readiness .gate")).includes("score ≥ 60"), "gate not shown");
  const ifaces = await page.textContent("section#interfaces");
  assert(ifaces.includes("Ref: interfaces/api.yaml") && !ifaces.includes("port "), `interfaces: ${ifaces}`);
  await page.$eval("section#capabilities", (e) => e.scrollIntoView());
  // The 1.x form of the same section: runtime.health and runtime.metrics.
  await page.goto(base + "/services/payments-api");
  const old = await capabilityRows();
  assert(JSON.stringify(old) === JSON.stringify(["health true rest-api|/health|", "metrics true metrics|/metrics|"]), `1.x capability rows ${JSON.stringify(old)}`);
});

await check("graph draws nodes and dashed reference edges", async () => {
  await page.goto(base + "/graph");
  assert(await page.$$eval("svg.graph .node", (n) => n.length) >= 10, "too few nodes");
  const dash = await page.$eval("svg.graph line.edge.reference", (e) => getComputedStyle(e).strokeDasharray);
  assert(dash && dash !== "none", `reference edge not dashed: ${dash}`);
  const solid = await page.$eval("svg.graph line.edge.dependency", (e) => getComputedStyle(e).strokeDasharray);
  assert(solid === "none", `dependency edge dashed: ${solid}`);
  assert(await page.$('svg.graph .node.kind-external[data-name="fraud-check"]'), "external node missing");
});

await check("hover highlights the impact chain", async () => {
  await page.hover('svg.graph .node[data-name="postgresql"]');
  const hl = await page.$$eval("svg.graph .node.hl", (ns) => ns.map((n) => n.dataset.name));
  for (const n of ["postgresql", "payments-api", "checkout", "user-service"]) assert(hl.includes(n), `${n} not in chain ${hl}`);
  assert(!hl.includes("platform-policy"), "unrelated node highlighted");
  await page.mouse.move(1, 1);
  assert((await page.$$("svg.graph .node.hl")).length === 0, "highlight not cleared");
});

await check("click on a node navigates", async () => {
  await Promise.all([page.waitForURL("**/services/checkout"), page.click('svg.graph .node[data-name="checkout"]')]);
  assert((await page.textContent("h1")).includes("checkout"), "not on checkout page");
});

await check("graph controls depth and direction", async () => {
  await page.goto(base + "/graph?focus=postgresql&depth=1&direction=dependents&layout=LR");
  const names = await page.$$eval("svg.graph .node", (ns) => ns.map((n) => n.dataset.name));
  assert(names.includes("payments-api") && !names.includes("checkout"), `depth 1: ${names}`);
});

await check("diff page shows a breaking change", async () => {
  await page.goto(base + "/diff");
  await page.selectOption('select[name="from"]', "product-catalog@1.3.0");
  await page.selectOption('select[name="to"]', "product-catalog@2.0.0");
  await Promise.all([page.waitForURL("**/diff?from=*"), page.click('form.controls button[type="submit"]')]);
  assert((await page.textContent("#classification")) === "BREAKING", "not BREAKING");
  assert((await page.$$("#changes tbody tr")).length > 0, "no change rows");
});

const verdicts = () => page.$$eval("#consumers tr.consumer", (rs) => Object.fromEntries(rs.map((r) => [r.dataset.name, r.dataset.verdict])));

await check("impact page shows which consumers break", async () => {
  await page.goto(base + "/services/product-catalog");
  await Promise.all([page.waitForURL("**/impact?service=product-catalog"), page.click("#impact-link")]);
  assert((await page.textContent("#classification")) === "BREAKING", "not BREAKING");
  assert((await page.inputValue('select[name="from"]')) === "1.3.0", "from is not the previous version");
  assert((await page.inputValue('select[name="to"]')) === "2.0.0", "to is not the newest version");
  const v = await verdicts();
  assert(v.storefront === "incompatible" && v["mobile-bff"] === "incompatible" && v["search-indexer"] === "compatible",
    `verdicts ${JSON.stringify(v)}`);
  assert(await page.isVisible("#blocking"), "no blocking banner");
  assert((await page.$$("#breaking-changes tbody tr")).length > 0, "no breaking change rows");
  const path = await page.textContent('tr.consumer[data-name="mobile-bff"] td.path');
  assert(path === "product-catalog → storefront → mobile-bff", `path ${path}`);
});

await check("impact form: versions, service picker, consumer link", async () => {
  await page.goto(base + "/impact?service=product-catalog");
  await page.selectOption('select[name="from"]', "2.0.0");
  await page.selectOption('select[name="to"]', "1.3.0");
  await Promise.all([page.waitForURL("**/impact?service=product-catalog&from=2.0.0&to=1.3.0"), page.click('#impact-form button[type="submit"]')]);
  const v = await verdicts();
  assert(v.storefront === "compatible", `rollback verdicts ${JSON.stringify(v)}`);
  // Picking another service asks for its defaults (app.js submits with from/to cleared).
  await Promise.all([page.waitForURL((u) => u.searchParams.get("service") === "payments-api"), page.selectOption('select[name="service"]', "payments-api")]);
  const url = new URL(page.url());
  assert(url.searchParams.get("from") === "" && url.searchParams.get("to") === "", `kept versions: ${url}`);
  assert((await page.textContent("#limitations")).includes("SAME_VERSION"), "one version: SAME_VERSION expected");
  assert((await verdicts()).checkout, "checkout not a consumer of payments-api");
  // A consumer links to its page.
  await Promise.all([page.waitForURL("**/services/checkout"), page.click('tr.consumer[data-name="checkout"] td a')]);
});

await check("impact page from the nav, with bad input shown on the page", async () => {
  await page.goto(base + "/");
  await Promise.all([page.waitForURL("**/impact"), page.click('header.top nav a[href$="/impact"]')]);
  assert(await page.isVisible("#impact-prompt"), "no prompt without a service");
  await page.goto(base + "/impact?service=product-catalog&from=9.9.9");
  assert((await page.textContent("#impact-error")).includes('has no version "9.9.9"'), "unknown version not named");
});

await check("hostile contracts execute nothing", async () => {
  const hostileName = encodeURIComponent("<script>window.__pwned='name'</script>");
  for (const u of ["/", "/services/hostile", "/services/" + hostileName, "/graph", "/services/hostile/versions/1.0.0",
    "/impact?service=payments-api", "/impact?service=" + hostileName, "/impact?service=hostile&from=" + hostileName]) {
    await page.goto(base + u);
    await page.hover("a").catch(() => {});
    assert((await pwned()) === undefined, `${u}: executed ${await pwned()}`);
  }
  await page.goto(base + "/services/hostile");
  // The javascript: link from Markdown must not be a link any more.
  const jsLinks = await page.$$eval("a", (as) => as.filter((a) => (a.getAttribute("href") || "").toLowerCase().startsWith("javascript")).length);
  assert(jsLinks === 0, "javascript: link survived");
  const links = await page.$$("#docs a");
  for (const l of links) await l.click({ noWaitAfter: true }).catch(() => {});
  assert((await pwned()) === undefined, "clicking docs links executed script");
  assert(dialogs.length === 0, `dialogs opened: ${dialogs}`);
});

await check("live update without reload", async () => {
  assert(fixture, "FIXTURE_DIR not set");
  await page.goto(base + "/");
  await page.waitForSelector("#live.on", { timeout: 5000 });
  await page.evaluate(() => { window.__noReload = true; });
  const before = await page.getAttribute("body", "data-snapshot");
  const file = path.join(fixture, "report-generator", "pacto.yaml");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("version: 1.2.0", "version: 1.9.0"));
  await page.waitForFunction((b) => document.body.dataset.snapshot !== b, before, { timeout: 15000 });
  const row = await page.textContent('tr.row[data-name="report-generator"]');
  assert(row.includes("1.9.0"), `row not updated: ${row}`);
  assert(await page.evaluate(() => window.__noReload === true), "page was reloaded");
});

await check("no console errors", async () => {
  const unexpected = failedLoads.filter((u) => !/\/services\/hostile(\/versions)?\/x$|\/services\/x$/.test(u));
  assert(unexpected.length === 0, "failed loads: " + unexpected.join(" | "));
  const errors = consoleErrors.filter((e) => !e.startsWith("Failed to load resource"));
  assert(errors.length === 0, errors.join(" | "));
});

await browser.close();
finish();
