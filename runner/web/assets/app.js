// netbook serve's page script: the sidebar on a phone, snippets that run
// in the page, buttons that post and show the answer, and a lab's live
// task list. No framework, no network beyond this server.
"use strict";

function lang() {
  const l = new URLSearchParams(location.search).get("lang");
  return l ? "?lang=" + encodeURIComponent(l) : "";
}

// The page's own words, in its edition, from the layout (runner/lang's
// catalogue): data-stopped, data-scrolls on <body>.
function words(key) {
  return document.body.dataset[key] || "";
}

// offline shows (or hides) the note that the server is not answering:
// stopped, or started again with a new token. A fetch that fails and a
// lab's event stream that breaks show it; the stream coming back hides it.
let leaving = false;
window.addEventListener("pagehide", () => { leaving = true; });
function offline(on) {
  const note = document.getElementById("offline");
  if (note && !(on && leaving)) note.hidden = !on;
  return note ? note.textContent : "";
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

  // The server sends a run's output a line an event. A flood of lines (up
  // to the 1 MiB cap) made a span each, 25,000 elements and more: now what
  // comes before the next frame is joined, a run of one kind (output, the
  // runner's lines, errors) at a time, and added as one text node, into
  // the last span when it is of that kind.
  let pending = [], frame = 0;
  function append(text, cls) {
    const last = pending[pending.length - 1];
    if (last && last.cls === cls) last.text += text;
    else pending.push({ text: text, cls: cls });
    if (!frame) frame = requestAnimationFrame(flush);
  }
  function flush() {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    for (const p of pending) {
      const last = out.lastElementChild;
      if (last && last === out.lastChild && last.className === p.cls) {
        last.appendChild(document.createTextNode(p.text));
        continue;
      }
      const span = document.createElement("span");
      if (p.cls) span.className = p.cls;
      span.textContent = p.text;
      out.appendChild(span);
    }
    pending = [];
  }
  // clear empties the box, and forgets what was still to be added.
  function clear() {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    pending = [];
    out.textContent = "";
  }
  // Run is disabled while the snippet runs and Stop hidden when it ends:
  // the keyboard's focus moves from one to the other, so that it is never
  // left on a button that can no longer take it.
  function done(msg) {
    flush();
    const refocus = document.activeElement === stop;
    ctl = null;
    run.disabled = false;
    stop.hidden = true;
    if (refocus) run.focus();
    status.textContent = msg;
    box.dataset.state = "done";
  }

  run.addEventListener("click", async () => {
    if (ctl) ctl.abort();
    ctl = new AbortController();
    const mine = ctl;
    out.hidden = false;
    clear();
    const refocus = document.activeElement === run;
    run.disabled = true;
    stop.hidden = false;
    if (refocus) stop.focus();
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
        append(await resp.text(), "err");
        done("✗");
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
      if (mine.signal.aborted) { // Stop
        append("\n" + words("stopped") + "\n", "log");
        done("■");
      } else if (mine === ctl) { // the server did not answer, or stopped answering
        append("\n" + offline(true) + "\n", "err");
        done("✗");
      }
    }
  });
}

function setupPosts() {
  document.querySelectorAll("button[data-post]").forEach((b) => {
    b.addEventListener("click", async () => {
      // Busy, not disabled: a disabled button drops the keyboard's focus.
      if (b.getAttribute("aria-busy") === "true") return;
      const into = document.getElementById(b.dataset.into);
      b.setAttribute("aria-busy", "true");
      b.setAttribute("aria-disabled", "true");
      try {
        let resp, html;
        try {
          resp = await fetch(b.dataset.post, { method: "POST" });
          html = await resp.text();
        } catch (e) { // the server did not answer
          const p = document.createElement("p");
          p.className = "problem";
          p.textContent = offline(true);
          into.replaceChildren(p);
          return;
        }
        if (!resp.ok) {
          const p = document.createElement("p");
          p.className = "problem";
          p.textContent = html;
          into.replaceChildren(p);
        } else if (b.dataset.append) {
          into.querySelectorAll(":scope > p.muted").forEach((p) => p.remove());
          // A part the page shows already (the last hint, asked for
          // again) moves to the end, as it comes now, instead of twice.
          const t = document.createElement("template");
          t.innerHTML = html;
          const key = t.content.firstElementChild && t.content.firstElementChild.dataset.key;
          if (key) {
            for (const old of into.querySelectorAll(":scope > [data-key]")) {
              if (old.dataset.key === key) old.remove();
            }
          }
          into.insertAdjacentHTML("beforeend", html);
        } else {
          into.innerHTML = html;
        }
        setupScrollers();
      } finally {
        b.removeAttribute("aria-busy");
        b.removeAttribute("aria-disabled");
      }
    });
  });
}

function setupLab() {
  const lab = document.querySelector("article.lab[data-events]");
  if (!lab || !window.EventSource) return;
  const target = document.getElementById("lab-status");
  const es = new EventSource(lab.dataset.events);
  // The stream breaks when the server stops; the browser tries again, and
  // gives up for good on a server restarted with a new token (403).
  es.addEventListener("open", () => offline(false));
  es.addEventListener("error", () => offline(true));
  es.addEventListener("status", (e) => {
    target.innerHTML = e.data;
    setupScrollers(); // a failure's message or output may be wide
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
      p.setAttribute("aria-label", words("scrolls"));
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
