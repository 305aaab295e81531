// Pacto dashboard: progressive enhancement of server-rendered pages. No dependencies.
"use strict";
(function () {
  const state = { kpi: null, source: null, q: "" };
  // The --base-path the page was served under ("" at the root): every URL built here starts
  // with it (the server-rendered links already do).
  const base = () => document.body.dataset.base || "";

  function matches(el) {
    const d = el.dataset;
    // A service with several Pacto instances is under every card one of them counts on.
    if (state.kpi && !(d.kpi || "").split(" ").includes(state.kpi)) return false;
    if (state.source && !(d.sources || "").split(" ").includes(state.source)) return false;
    if (state.q) {
      const hay = [d.name, d.owner, d.version, d.sources].join(" ").toLowerCase();
      if (!hay.includes(state.q)) return false;
    }
    return true;
  }

  function applyFilters() {
    const shownNames = new Set();
    document.querySelectorAll("tr.row[data-name]").forEach((tr) => {
      const ok = matches(tr);
      tr.classList.toggle("hidden", !ok);
      if (ok) shownNames.add(tr.dataset.name);
    });
    const shown = shownNames.size;
    const noMatch = document.getElementById("no-match");
    if (noMatch) noMatch.classList.toggle("hidden", shown > 0 || !document.querySelector("tr.row"));
    const filtering = state.kpi || state.source || state.q;
    document.querySelectorAll("#main svg.graph").forEach((svg) => {
      if (!document.getElementById("services")) return; // filters only on the services page
      const keep = new Set();
      svg.querySelectorAll(".node").forEach((n) => {
        // A service node follows its table row (which knows every instance's status).
        const ok = !filtering || (n.dataset.href && shownNames.has(n.dataset.name));
        n.classList.toggle("dim", !ok);
        if (ok) keep.add(n.dataset.name);
      });
      svg.querySelectorAll(".edge").forEach((e) => {
        e.classList.toggle("dim", filtering && !(keep.has(e.dataset.from) && keep.has(e.dataset.to)));
      });
    });
    document.querySelectorAll(".kpi").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.kpi === state.kpi)));
    document.querySelectorAll(".pill.source").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.source === state.source)));
  }

  function initFilters(root) {
    root.querySelectorAll(".kpi").forEach((b) => b.addEventListener("click", () => {
      state.kpi = state.kpi === b.dataset.kpi ? null : b.dataset.kpi;
      applyFilters();
    }));
    root.querySelectorAll(".pill.source").forEach((b) => b.addEventListener("click", () => {
      state.source = state.source === b.dataset.source ? null : b.dataset.source;
      applyFilters();
    }));
    const search = root.querySelector("#search");
    if (search) {
      search.value = state.q;
      search.addEventListener("input", () => { state.q = search.value.trim().toLowerCase(); applyFilters(); });
    }
    applyFilters();
  }

  function initSort(root) {
    root.querySelectorAll("table.sortable").forEach((table) => {
      const heads = Array.from(table.querySelectorAll("th"));
      heads.forEach((th, idx) => {
        if (!th.dataset.sort) return;
        th.addEventListener("click", () => {
          const asc = !th.classList.contains("asc");
          heads.forEach((h) => h.classList.remove("asc", "desc"));
          th.classList.add(asc ? "asc" : "desc");
          const numeric = th.dataset.numeric === "1";
          const body = table.tBodies[0];
          const rows = Array.from(body.rows);
          rows.sort((a, b) => {
            const x = a.cells[idx].dataset.v || "", y = b.cells[idx].dataset.v || "";
            const c = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { numeric: true });
            return asc ? c : -c;
          });
          rows.forEach((r) => body.appendChild(r));
        });
      });
    });
  }

  // Upstream impact chain: everything that (transitively) depends on the node.
  function chain(svg, name) {
    const byTarget = new Map();
    svg.querySelectorAll(".edge").forEach((e) => {
      const t = e.dataset.to;
      if (!byTarget.has(t)) byTarget.set(t, []);
      byTarget.get(t).push(e);
    });
    const nodes = new Set([name]), edges = new Set(), queue = [name];
    while (queue.length) {
      const n = queue.shift();
      (byTarget.get(n) || []).forEach((e) => {
        edges.add(e);
        if (!nodes.has(e.dataset.from)) { nodes.add(e.dataset.from); queue.push(e.dataset.from); }
      });
    }
    return { nodes, edges };
  }

  function initGraph(root) {
    root.querySelectorAll("svg.graph").forEach((svg) => {
      svg.querySelectorAll(".node").forEach((n) => {
        n.addEventListener("mouseenter", () => {
          const c = chain(svg, n.dataset.name);
          svg.classList.add("hovering");
          svg.querySelectorAll(".node").forEach((m) => m.classList.toggle("hl", c.nodes.has(m.dataset.name)));
          svg.querySelectorAll(".edge").forEach((e) => e.classList.toggle("hl", c.edges.has(e)));
          n.classList.add("origin");
        });
        n.addEventListener("mouseleave", () => {
          svg.classList.remove("hovering");
          svg.querySelectorAll(".hl").forEach((m) => m.classList.remove("hl"));
          n.classList.remove("origin");
        });
        const go = () => { if (n.dataset.href) window.location.assign(n.dataset.href); };
        n.addEventListener("click", go);
        n.addEventListener("keydown", (ev) => { if (ev.key === "Enter") go(); });
      });
    });
  }

  // Impact page: another service has other versions, so picking one asks for its defaults.
  function initImpact(root) {
    const form = root.querySelector("#impact-form");
    if (!form) return;
    form.elements.service.addEventListener("change", () => {
      form.elements.from.value = "";
      form.elements.to.value = "";
      form.requestSubmit();
    });
  }

  function init(root) {
    initFilters(root);
    initSort(root);
    initGraph(root);
    initImpact(root);
  }

  // Live updates: re-fetch this page and swap <main> when the snapshot changes.
  function live() {
    if (!window.EventSource) return;
    const badge = document.getElementById("live");
    const es = new EventSource(base() + "/api/events");
    es.addEventListener("hello", () => badge && badge.classList.add("on"));
    es.addEventListener("snapshot", async () => {
      try {
        const res = await fetch(window.location.href, { headers: { Accept: "text/html" } });
        if (!res.ok) return;
        const doc = new DOMParser().parseFromString(await res.text(), "text/html");
        const fresh = doc.getElementById("main");
        const main = document.getElementById("main");
        if (!fresh || !main) return;
        main.replaceChildren(...Array.from(fresh.childNodes).map((n) => document.adoptNode(n)));
        document.body.dataset.snapshot = doc.body.dataset.snapshot || "";
        init(main);
      } catch (e) { /* keep the current page; the next event retries */ }
    });
    es.onerror = () => badge && badge.classList.remove("on");
  }

  document.addEventListener("DOMContentLoaded", () => { init(document); live(); });
})();
