// The local control plane's API from Node, for the cluster browser test: server-side apply of
// objects and of `.status` (through the status subresource), with the admin client certificate
// that e2e/controlplane/cluster.sh writes. Env: PACTO_E2E_APISERVER, PACTO_E2E_STATE_DIR.
import fs from "node:fs";
import https from "node:https";
import path from "node:path";

const server = process.env.PACTO_E2E_APISERVER;
const pki = path.join(process.env.PACTO_E2E_STATE_DIR || "", "pki");
const tls = () => ({
  ca: fs.readFileSync(path.join(pki, "ca.crt")),
  cert: fs.readFileSync(path.join(pki, "admin.crt")),
  key: fs.readFileSync(path.join(pki, "admin.key")),
});
const MANAGER = "pacto-dashboard-browser-test";
const GROUP = "/apis/pacto.trianalab.io/v1alpha1";

function request(method, url, body, contentType) {
  if (!server) throw new Error("PACTO_E2E_APISERVER not set (run under e2e/with-controlplane.sh)");
  return new Promise((resolve, reject) => {
    const req = https.request(server + url, {
      method, ...tls(), timeout: 30000,
      headers: body ? { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) } : {},
    }, (res) => {
      let data = "";
      res.on("data", (c) => { data += c; });
      res.on("end", () => (res.statusCode < 300
        ? resolve(data ? JSON.parse(data) : {})
        : reject(new Error(`${method} ${url}: HTTP ${res.statusCode}: ${data.slice(0, 500)}`))));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: timeout`)));
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

// JSON is YAML, so apply patches go as JSON with the apply-patch content type.
const apply = (url, obj) =>
  request("PATCH", `${url}?fieldManager=${MANAGER}&force=true`, JSON.stringify(obj), "application/apply-patch+yaml");

export const namespace = (name) =>
  apply(`/api/v1/namespaces/${name}`, { apiVersion: "v1", kind: "Namespace", metadata: { name } });

export const deleteNamespace = (name) => request("DELETE", `/api/v1/namespaces/${name}`).catch(() => {});

export function pacto(ns, name, spec) {
  return apply(`${GROUP}/namespaces/${ns}/pactos/${name}`,
    { apiVersion: "pacto.trianalab.io/v1alpha1", kind: "Pacto", metadata: { name, namespace: ns }, spec });
}

export function setStatus(ns, name, status) {
  return apply(`${GROUP}/namespaces/${ns}/pactos/${name}/status`,
    { apiVersion: "pacto.trianalab.io/v1alpha1", kind: "Pacto", metadata: { name, namespace: ns }, status });
}

// The inline contract of an example manifest (examples/k8s/*.yaml): the block under `inline: |`.
export function inlineContract(file) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const start = lines.findIndex((l) => /^\s+inline: \|\s*$/.test(l));
  if (start < 0) throw new Error(`${file}: no inline contract`);
  const indent = lines[start + 1].match(/^\s*/)[0].length;
  const body = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() && l.match(/^\s*/)[0].length < indent) break;
    body.push(l.slice(indent));
  }
  return body.join("\n").trimEnd() + "\n";
}
