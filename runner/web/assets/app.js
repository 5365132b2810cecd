// netbook serve's page script: the sidebar on a phone, snippets that run
// in the page, buttons that post and show the answer, and a lab's live
// task list. No framework, no network beyond this server.
"use strict";

function lang() {
  const l = new URLSearchParams(location.search).get("lang");
  return l ? "?lang=" + encodeURIComponent(l) : "";
}

function setupMenu() {
  const btn = document.querySelector("button.menu");
  const nav = document.getElementById("nav");
  if (!btn || !nav) return;
  btn.addEventListener("click", () => {
    const open = btn.getAttribute("aria-expanded") !== "true";
    btn.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
    if (open) {
      const a = nav.querySelector("a");
      if (a) a.focus();
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && nav.classList.contains("open")) {
      nav.classList.remove("open");
      btn.setAttribute("aria-expanded", "false");
      btn.focus();
    }
  });
}

function setupSnippet(box) {
  const id = box.dataset.snippet;
  const view = box.querySelector(".snippet-view");
  const edit = box.querySelector(".snippet-edit");
  const out = box.querySelector(".snippet-out");
  const status = box.querySelector(".snippet-status");
  const btn = (a) => box.querySelector('button[data-action="' + a + '"]');
  const run = btn("run"), stop = btn("stop"), reset = btn("reset"), editBtn = btn("edit");
  const original = edit.value;
  let ctl = null;

  function editing(on) {
    edit.hidden = !on;
    view.hidden = on;
    editBtn.hidden = on;
    reset.hidden = !on;
  }
  editBtn.addEventListener("click", () => { editing(true); edit.focus(); });
  reset.addEventListener("click", () => {
    edit.value = original;
    editing(false);
    editBtn.focus();
  });
  edit.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run.click(); }
  });
  stop.addEventListener("click", () => { if (ctl) ctl.abort(); });

  function append(text, cls) {
    const span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = text;
    out.appendChild(span);
  }
  function done(msg) {
    ctl = null;
    run.disabled = false;
    stop.hidden = true;
    status.textContent = msg;
    box.dataset.state = "done";
  }

  run.addEventListener("click", async () => {
    if (ctl) ctl.abort();
    ctl = new AbortController();
    const mine = ctl;
    out.hidden = false;
    out.textContent = "";
    run.disabled = true;
    stop.hidden = false;
    status.textContent = "…";
    box.dataset.state = "running";
    try {
      const resp = await fetch("/api/run" + lang(), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: id, code: edit.value }),
        signal: mine.signal,
      });
      if (!resp.ok) {
        append(await resp.text(), "log");
        done(String(resp.status));
        return;
      }
      const reader = resp.body.getReader();
      const dec = new TextDecoder();
      let buf = "", end = null;
      for (;;) {
        const { value, done: eof } = await reader.read();
        if (eof) break;
        buf += dec.decode(value, { stream: true });
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const ev = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (ev.out) append(ev.out, "");
          if (ev.log) append(ev.log, "log");
          if (ev.end) end = ev;
        }
      }
      if (end && end.error) append(end.error + "\n", "err");
      if (mine === ctl) done(end && !end.error ? "✓" : "✗");
    } catch (e) {
      if (mine === ctl || mine.signal.aborted) {
        append("\n" + (document.documentElement.lang.startsWith("zh") ? "已停止" : "stopped") + "\n", "log");
        done("■");
      }
    }
  });
}

function setupPosts() {
  document.querySelectorAll("button[data-post]").forEach((b) => {
    b.addEventListener("click", async () => {
      const into = document.getElementById(b.dataset.into);
      b.disabled = true;
      b.setAttribute("aria-busy", "true");
      try {
        const resp = await fetch(b.dataset.post, { method: "POST" });
        const html = await resp.text();
        if (!resp.ok) {
          const p = document.createElement("p");
          p.className = "problem";
          p.textContent = html;
          into.replaceChildren(p);
        } else if (b.dataset.append) {
          into.querySelectorAll("p.muted").forEach((p) => p.remove());
          into.insertAdjacentHTML("beforeend", html);
        } else {
          into.innerHTML = html;
        }
      } finally {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      }
    });
  });
}

function setupLab() {
  const lab = document.querySelector("article.lab[data-events]");
  if (!lab || !window.EventSource) return;
  const target = document.getElementById("lab-status");
  const es = new EventSource(lab.dataset.events);
  es.addEventListener("status", (e) => {
    target.innerHTML = e.data;
    // The sidebar's badge for this lab's chapter follows too.
    const st = target.querySelector(".status");
    const badge = document.querySelector("#nav li.current .badge");
    if (st && badge && st.dataset.badge) {
      badge.textContent = st.dataset.badge;
      badge.className = "badge " + st.dataset.badgeClass;
    }
  });
}

// A code block wider than the column scrolls sideways; focusable, it
// scrolls with the arrow keys too.
function setupScrollers() {
  document.querySelectorAll("main pre").forEach((p) => {
    if (p.scrollWidth > p.clientWidth && !p.hasAttribute("tabindex")) {
      p.tabIndex = 0;
      p.setAttribute("role", "region");
      p.setAttribute("aria-label", document.documentElement.lang.startsWith("zh") ? "代码（可横向滚动）" : "code (scrolls sideways)");
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupMenu();
  setupScrollers();
  document.querySelectorAll(".snippet[data-snippet]").forEach(setupSnippet);
  setupPosts();
  setupLab();
});
