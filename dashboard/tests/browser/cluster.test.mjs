// Browser test of cluster state: Pactos in three namespaces of the real local control plane,
// their `.status` written through the status subresource (no operator), pacto-dashboard
// watching two of the namespaces plus a local dir. A status patch must show on the open
// services and service pages without navigation or reload. Run by cluster.sh (which starts
// the control plane); env: DASHBOARD_BIN, EXAMPLES (examples/ dir), LOCAL_DIR, SCREENSHOTS,
// PACTO_E2E_APISERVER, PACTO_E2E_STATE_DIR, KUBECONFIG.
import { assert, checks, freePort, launchChromium, waitReady } from "./harness.mjs";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import * as k8s from "./k8s.mjs";

const shots = process.env.SCREENSHOTS || "target/screenshots";
const examples = process.env.EXAMPLES;
fs.mkdirSync(shots, { recursive: true });

const run = `${process.pid}`;
const [nsA, nsB, nsC] = ["a", "b", "c"].map((x) => `dash-live-${x}-${run}`);

function condition(type, status, reason) {
  return { type, status, reason, message: "", lastTransitionTime: "2026-01-01T00:00:00Z" };
}

// payments-api as the operator would write it: Compliant, or NonCompliant with port 8080
// missing on the Service.
function paymentsStatus(compliant) {
  return {
    contractStatus: compliant ? "Compliant" : "NonCompliant",
    contractVersion: "2.1.0",
    contract: { serviceName: "payments-api", version: "2.1.0" },
    summary: { total: 3, passed: compliant ? 3 : 2, failed: compliant ? 0 : 1 },
    resources: {
      service: { name: "payments-api", kind: "Service", exists: true },
      workload: { name: "payments-api", kind: "Deployment", exists: true },
    },
    ports: compliant
      ? { expected: [8080], observed: [8080] }
      : { expected: [8080], observed: [9999], missing: [8080], unexpected: [9999] },
    conditions: [
      condition("ServiceExists", "True", "Found"),
      condition("PortsMatch", compliant ? "True" : "False", compliant ? "AllPortsPresent" : "PortsMissing"),
    ],
  };
}

function simpleStatus(service, state, version) {
  return {
    contractStatus: state, contractVersion: version,
    contract: { serviceName: service, version },
    summary: { total: 2, passed: state === "Compliant" ? 2 : 1, failed: state === "Compliant" ? 0 : 1 },
    conditions: [condition("ServiceExists", "True", "Found")],
  };
}

async function addPacto(ns, name, spec, status) {
  await k8s.pacto(ns, name, spec);
  await k8s.setStatus(ns, name, status);
}

// --- cluster fixtures -------------------------------------------------------------------
for (const ns of [nsA, nsB, nsC]) await k8s.namespace(ns);
const inline = (f) => ({ inline: k8s.inlineContract(path.join(examples, "k8s", f)) });
await addPacto(nsA, "order-service",
  { contractRef: inline("pacto-inline-with-target.yaml"), target: { serviceName: "order-service" } },
  simpleStatus("order-service", "Compliant", "1.4.2"));
await addPacto(nsA, "report-generator",
  { contractRef: inline("pacto-inline-cronjob.yaml"), target: { workloadRef: { kind: "CronJob", name: "report-generator" } } },
  simpleStatus("report-generator", "Warning", "1.2.0"));
await addPacto(nsB, "payments-api",
  { contractRef: { oci: "127.0.0.1:5999/acme/payments-api:1.0.0" }, target: { serviceName: "payments-api" } },
  paymentsStatus(true));
// More Pacto instances of order-service: another Compliant one in the second namespace and
// a Warning canary there (KPI cards count each instance: 3 Compliant, 2 Warning in scope).
await addPacto(nsB, "order-service",
  { contractRef: inline("pacto-inline-with-target.yaml"), target: { serviceName: "order-service" } },
  simpleStatus("order-service", "Compliant", "1.4.2"));
await addPacto(nsB, "order-service-canary",
  { contractRef: inline("pacto-inline-with-target.yaml"), target: { serviceName: "order-service-canary" } },
  simpleStatus("order-service", "Warning", "1.5.0-rc.1"));
// A 2.0 contract (ledger-api, from the local dir) with the operator's newest status fields
// and the spec's interface and configuration bindings.
await addPacto(nsA, "ledger-api",
  { contractRef: { oci: "127.0.0.1:5999/acme/ledger-api:1.3.0" },
    target: { serviceName: "ledger-api",
      interfaceBindings: [{ interface: "rest-api", servicePort: 8080 }],
      configBindings: [{ configuration: "default", kind: "ConfigMap", name: "ledger-config", key: "config.yaml", format: "yaml" }] } },
  {
    contractStatus: "NonCompliant", contractVersion: "1.3.0",
    contract: { serviceName: "ledger-api", version: "1.3.0" },
    summary: { total: 4, passed: 2, failed: 2, errorCount: 1, warningCount: 1, infoCount: 0, unknownCount: 0 },
    evaluationCoverage: { evaluated: 3, required: 4 },
    findings: [
      { code: "INTERFACE_ABSENT", severity: "error", category: "RuntimeDrift", subject: "rest-api",
        contractPath: "interfaces[0]", message: "Service port 8080 serving rest-api not found" },
      { code: "CONFIG_MISSING", severity: "warning", category: "Configuration", subject: "default",
        contractPath: "configurations[0]", message: "<b>ConfigMap</b> ledger-config not found" },
    ],
    observationWindows: [{ kind: "dependency", subject: "postgresql", firstObservedNegativeAt: "2026-01-01T00:00:00Z" }],
    capabilities: [{ type: "health" }, { type: "metrics" }, { type: "extension", ref: "example.com/audit-log" }],
    conditions: [condition("ServiceExists", "True", "Found")],
  });
// Outside the scope: must never show.
await addPacto(nsC, "stripe-api", { contractRef: inline("pacto-inline-reference.yaml") },
  simpleStatus("stripe-api", "Reference", "2024.6.0"));
await addPacto(nsC, "user-service", { contractRef: { oci: "127.0.0.1:5999/acme/user-service:1.0.0" }, target: { serviceName: "user-service" } },
  simpleStatus("user-service", "NonCompliant", "1.0.0"));

// --- the dashboard: scoped to two namespaces (the chart's comma-list form) ----------------
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const log = fs.openSync(path.join(shots, "cluster-dashboard.log"), "w");
const dash = spawn(process.env.DASHBOARD_BIN, [`--namespace=${nsA},${nsB}`, "--port", String(port), "--no-cache", process.env.LOCAL_DIR],
  { stdio: ["ignore", log, log], env: { ...process.env, PACTO_DASHBOARD_NO_K8S: "", PACTO_DASHBOARD_NAMESPACE: "" } });
process.on("exit", () => { if (dash.exitCode === null) dash.kill("SIGTERM"); });
await waitReady(base, dash);

const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const consoleErrors = [];
function watch(page, label) {
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`${label}: ${m.text()}`); });
  page.on("pageerror", (e) => consoleErrors.push(`${label}: ${e}`));
  page.on("response", (r) => { if (r.status() >= 400) consoleErrors.push(`${label}: ${r.status()} ${r.url()}`); });
  return page;
}
const list = watch(await ctx.newPage(), "list");
const detail = watch(await ctx.newPage(), "detail");

const { check, finish } = checks(shots, "cluster-");
const rowNames = (p) => p.$$eval("tr.row", (rs) => rs.map((r) => r.dataset.name));
const rowStatus = (p, n) => p.$eval(`tr.row[data-name="${n}"] .badge`, (b) => b.textContent);
const kpis = (p) => p.$$eval(".kpi", (bs) => Object.fromEntries(bs.map((b) => [b.dataset.kpi, Number(b.querySelector(".n").textContent)])));
const portsRow = (p) => p.$eval("section#runtime table.checks", (t) => {
  const r = Array.from(t.querySelectorAll("tbody tr")).find((x) => x.cells[0].textContent === "Ports");
  return r ? { cls: r.className, observed: r.cells[2].textContent, result: r.cells[3].textContent } : null;
});

await check("api sources name the watched namespaces", list, async () => {
  const s = await (await fetch(base + "/api/sources")).json();
  const k = s.sources.find((x) => x.type === "k8s");
  assert(k && k.enabled, `k8s source not enabled: ${JSON.stringify(k)}`);
  assert(JSON.stringify(k.namespaces) === JSON.stringify([nsA, nsB]), `namespaces ${JSON.stringify(k.namespaces)}`);
});

let kpiBefore;
await check("services from the scoped namespaces only", list, async () => {
  await list.goto(base + "/");
  await list.waitForSelector("#live.on", { timeout: 10000 });
  const rows = await rowNames(list);
  for (const n of ["payments-api", "order-service", "report-generator"]) assert(rows.includes(n), `${n} missing in ${rows}`);
  assert(!rows.includes("stripe-api"), "stripe-api (namespace c) is listed");
  assert(await rowStatus(list, "payments-api") === "Compliant", "payments-api not Compliant");
  // user-service is a local bundle; its NonCompliant Pacto lives in the unwatched namespace.
  const us = await list.getAttribute('tr.row[data-name="user-service"]', "data-sources");
  assert(!us.split(" ").includes("k8s"), `user-service has k8s state: ${us}`);
  assert(await list.isVisible('.pill.source[data-source="k8s"]'), "no k8s source pill");
  // Graph: services with cluster state are monitored nodes, local-only ones unmonitored.
  const kind = (n) => list.getAttribute(`svg.graph .node[data-name="${n}"]`, "class");
  assert(!(await kind("payments-api")).includes("kind-unmonitored"), `payments-api node: ${await kind("payments-api")}`);
  assert((await kind("user-service")).includes("kind-unmonitored"), `user-service node: ${await kind("user-service")}`);
  kpiBefore = await kpis(list);
});

await check("every Pacto instance is counted and listed", list, async () => {
  const k = await kpis(list);
  assert(k.compliant === 3 && k.warning === 2, `KPI cards ${JSON.stringify(k)} (want 3 Compliant, 2 Warning)`);
  assert(await rowStatus(list, "order-service") === "Warning", "order-service not Warning (its worst instance)");
  const split = await list.textContent('tr.row[data-name="order-service"] .instances');
  assert(split.trim() === "2 Compliant · 1 Warning", `instance split: ${split}`);
  for (const kpi of ["compliant", "warning"]) {
    await list.click(`.kpi[data-kpi="${kpi}"]`);
    const shown = await list.$$eval("tr.row:not(.hidden)", (rs) => rs.map((r) => r.dataset.name));
    assert(shown.includes("order-service"), `${kpi} filter shows ${shown}`);
    await list.click(`.kpi[data-kpi="${kpi}"]`);
  }
  const api = await (await fetch(base + "/api/services/order-service")).json();
  const got = api.instances.map((i) => `${i.namespace}/${i.name} ${i.contractStatus} ${i.contractVersion}`);
  const want = [`${nsA}/order-service Compliant 1.4.2`, `${nsB}/order-service Compliant 1.4.2`,
    `${nsB}/order-service-canary Warning 1.5.0-rc.1`];
  assert(JSON.stringify(got) === JSON.stringify(want), `api instances ${JSON.stringify(got)}`);

  await detail.goto(base + "/services/order-service");
  await detail.waitForSelector("#live.on", { timeout: 10000 });
  const rows = await detail.$$eval("#instance-table tbody tr", (rs) => rs.map((r) =>
    Array.from(r.cells).slice(0, 3).map((c) => c.textContent.trim()).join(" ")));
  assert(JSON.stringify(rows) === JSON.stringify(want), `instance rows ${JSON.stringify(rows)}`);
  await detail.$eval("section#instances", (e) => e.scrollIntoView());
  await detail.screenshot({ path: path.join(shots, "cluster-service-instances.png") });
});

await check("2.0 service page shows capabilities, findings and bindings", detail, async () => {
  await detail.goto(base + "/services/ledger-api");
  await detail.waitForSelector("#live.on", { timeout: 10000 });
  for (const id of ["capabilities", "findings", "instances", "readiness"]) {
    assert(await detail.isVisible(`section#${id}`), `section ${id} not visible`);
  }
  const caps = await detail.$$eval("#capability-table tbody tr", (rs) => rs.map((r) =>
    `${r.dataset.type} ` + Array.from(r.cells).slice(1, 4).map((c) => c.textContent.trim()).join("|")));
  const wantCaps = ["health rest-api|/health|", "metrics rest-api|/metrics|", "extension ||example.com/audit-log"];
  assert(JSON.stringify(caps) === JSON.stringify(wantCaps), `capability rows ${JSON.stringify(caps)}`);
  const rows = await detail.$$eval("#instance-table tbody tr", (rs) => rs.map((r) =>
    Array.from(r.cells).slice(0, 3).map((c) => c.textContent.trim()).join(" ")));
  assert(JSON.stringify(rows) === JSON.stringify([`${nsA}/ledger-api NonCompliant 1.3.0`]), `instance rows ${JSON.stringify(rows)}`);
  const findings = await detail.$$eval("section#findings tr.finding", (rs) => rs.map((r) =>
    Array.from(r.cells).map((c) => c.textContent.trim()).join("|")));
  const wantFindings = [
    "error|INTERFACE_ABSENT|rest-api|interfaces[0]|Service port 8080 serving rest-api not found",
    "warning|CONFIG_MISSING|default|configurations[0]|<b>ConfigMap</b> ledger-config not found",
  ];
  assert(JSON.stringify(findings) === JSON.stringify(wantFindings), `finding rows ${JSON.stringify(findings)}`);
  const counts = await detail.textContent("section#findings .counts");
  assert(counts.includes("1 error") && counts.includes("1 warning"), `counts ${counts}`);
  assert((await detail.textContent("section#findings .coverage")) === "Coverage 3/4", "coverage");
  assert((await detail.textContent("section#findings table.windows")).includes("postgresql"), "observation window");
  const bindings = await detail.textContent("section#runtime");
  assert(bindings.includes("→ 8080") && bindings.includes("→ ConfigMap/ledger-config[config.yaml]"), `bindings: ${bindings}`);
  await detail.$eval("section#findings", (e) => e.scrollIntoView());
  await detail.screenshot({ path: path.join(shots, "cluster-service-findings.png") });
});

await check("service page shows the runtime checks", detail, async () => {
  await detail.goto(base + "/services/payments-api");
  await detail.waitForSelector("#live.on", { timeout: 10000 });
  const h3 = await detail.textContent("section#runtime h3");
  assert(h3.includes(`${nsB}/payments-api`) && h3.includes("Compliant"), `runtime card: ${h3}`);
  await detail.$eval("section#runtime", (e) => e.scrollIntoView());
  const ports = await portsRow(detail);
  assert(ports && ports.cls === "pass" && ports.observed === "8080", `ports row ${JSON.stringify(ports)}`);
});

await check("a status change in the cluster appears without reload", list, async () => {
  for (const p of [list, detail]) await p.evaluate(() => { window.__noReload = "marker"; });
  const snapList = await list.getAttribute("body", "data-snapshot");
  const snapDetail = await detail.getAttribute("body", "data-snapshot");
  const patchedAt = Date.now();
  await k8s.setStatus(nsB, "payments-api", paymentsStatus(false));
  await list.waitForFunction((b) => document.body.dataset.snapshot !== b, snapList, { timeout: 20000 });
  console.log(`     status patch -> services page updated in ${Date.now() - patchedAt} ms`);
  assert(await rowStatus(list, "payments-api") === "NonCompliant", `row status ${await rowStatus(list, "payments-api")}`);
  const after = await kpis(list);
  assert(after.compliant === kpiBefore.compliant - 1, `compliant KPI ${kpiBefore.compliant} -> ${after.compliant}`);
  assert(after.failing === kpiBefore.failing + 1, `failing KPI ${kpiBefore.failing} -> ${after.failing}`);
  const node = await list.getAttribute('svg.graph .node[data-name="payments-api"]', "class");
  assert(node.includes("st-NonCompliant"), `graph node not updated: ${node}`);
  // The KPI filter still works on the swapped content.
  await list.click('.kpi[data-kpi="failing"]');
  const shown = await list.$$eval("tr.row:not(.hidden)", (rs) => rs.map((r) => r.dataset.name));
  assert(shown.includes("payments-api"), `failing filter shows ${shown}`);
  await list.click('.kpi[data-kpi="failing"]');

  await detail.waitForFunction((b) => document.body.dataset.snapshot !== b, snapDetail, { timeout: 20000 });
  const ports = await portsRow(detail);
  assert(ports && ports.cls === "fail" && ports.result === "fail" && ports.observed === "9999", `ports row ${JSON.stringify(ports)}`);
  const color = await detail.$eval("section#runtime table.checks tr.fail td:last-child", (td) => getComputedStyle(td).color);
  assert(color === "rgb(198, 40, 40)", `failing check not marked: ${color}`);
  const h3 = await detail.textContent("section#runtime h3");
  assert(h3.includes("NonCompliant"), `runtime card: ${h3}`);
  const conds = await detail.textContent("section#conditions");
  assert(conds.includes("PortsMissing"), `conditions: ${conds}`);
  await detail.$eval("section#runtime", (e) => e.scrollIntoView());
  await detail.screenshot({ path: path.join(shots, "cluster-service-page-after-status-change.png") });
  for (const p of [list, detail]) assert(await p.evaluate(() => window.__noReload) === "marker", "page was reloaded");
});

await check("a Pacto added in a watched namespace appears, one elsewhere does not", list, async () => {
  const snap = await list.getAttribute("body", "data-snapshot");
  // Valid inline contracts: they are a contract source too (an invalid one shows Invalid).
  const ledger = (name) => ({ inline: `pactoVersion: "1.0"\nservice:\n  name: ${name}\n  version: 0.1.0\n  owner:\n    team: finance\n` });
  await addPacto(nsC, "ledger-outside", { contractRef: ledger("ledger-outside") },
    simpleStatus("ledger-outside", "Compliant", "0.1.0"));
  await addPacto(nsA, "ledger", { contractRef: ledger("ledger") },
    simpleStatus("ledger", "Warning", "0.1.0"));
  await list.waitForSelector('tr.row[data-name="ledger"]', { timeout: 20000 });
  assert(await list.getAttribute("body", "data-snapshot") !== snap, "snapshot id unchanged");
  assert(!(await rowNames(list)).includes("ledger-outside"), "a Pacto of an unwatched namespace is listed");
  assert(await rowStatus(list, "ledger") === "Warning", "ledger not Warning");
  assert(await list.evaluate(() => window.__noReload) === "marker", "page was reloaded");
});

await check("no console errors", list, async () => {
  assert(consoleErrors.length === 0, consoleErrors.join(" | "));
});

await browser.close();
dash.kill("SIGTERM");
for (const ns of [nsA, nsB, nsC]) await k8s.deleteNamespace(ns);
finish();
