// caredesk's page script: the keyboard-shortcut list, actions through the JSON API with the
// session's CSRF token, refusals in words, times in the viewer's zone, and live updates from the
// server's event stream. Every piece of customer content reaches the page through
// server-rendered, escaped HTML or textContent.
"use strict";

const caredesk = (() => {
  const csrf = () => document.body.dataset.csrf || "";

  /** Calls the JSON API as the signed-in user; answers {ok, status, body}. */
  async function api(method, path, body) {
    const init = { method, headers: { "x-csrf-token": csrf() }, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (_) {
      return { ok: false, status: 0, body: null };
    }
    let json = null;
    try { json = await response.json(); } catch (_) { json = null; }
    return { ok: response.ok, status: response.status, body: json };
  }

  /** Uploads a file for a reply (`POST /api/v1/media`); answers like `api`. */
  async function upload(file) {
    const name = encodeURIComponent(file.name || "file");
    const init = {
      method: "POST",
      headers: { "x-csrf-token": csrf(), "content-type": file.type || "application/octet-stream" },
      credentials: "same-origin",
      body: file,
    };
    let response;
    try {
      response = await fetch(`/api/v1/media?filename=${name}`, init);
    } catch (_) {
      return { ok: false, status: 0, body: null };
    }
    let json = null;
    try { json = await response.json(); } catch (_) { json = null; }
    return { ok: response.ok, status: response.status, body: json };
  }

  // --- refusals in words -------------------------------------------------------------------

  const WORDS = {
    not_assignee: "Only the case's assignee can do this. Assign the case to yourself first.",
    case_closed: "This case is closed. Reopen it to reply.",
    message_deleted: "The customer deleted this message; it cannot be answered.",
    unauthenticated: "Your session has ended. Sign in again.",
    stale_case: "This case changed since the screen loaded. Check it and try again.",
    payload_too_large: "That is too long to send.",
  };

  /** A sentence for people from an API answer: the refusal's own words, without its code. */
  function problem(answer) {
    if (!answer || answer.status === 0) return "The desk could not be reached. Check the connection and try again.";
    const error = answer.body && answer.body.error;
    if (!error) return `Something went wrong (HTTP ${answer.status}). Try again in a moment.`;
    if (WORDS[error.code]) return WORDS[error.code];
    let text = String(error.message || "").replace(/^(conflict|forbidden|unsupported reply kind|platform limit|invalid|validation failed): /i, "");
    if (error.code === "platform_limit") text = `The network does not allow this: ${text}`;
    if (error.code === "rate_limited") text = `Too many attempts: ${text}`;
    text = text.charAt(0).toUpperCase() + text.slice(1);
    return /[.!?]$/.test(text) ? text : `${text}.`;
  }

  // --- times in the viewer's zone ----------------------------------------------------------

  /**
   * The formats of the zone times are shown in: the user's own (`data-time-zone` on the body),
   * else the browser's. Made again when the zone changes (the profile page changes it in place).
   */
  let zoneFormats = null;
  function formats() {
    const zone = document.body.dataset.timeZone || undefined;
    if (zoneFormats && zoneFormats.zone === zone) return zoneFormats;
    const make = (options) => {
      try {
        return new Intl.DateTimeFormat(undefined, Object.assign({ timeZone: zone }, options));
      } catch (_) {
        // A zone this browser does not know: its own zone rather than no time at all.
        return new Intl.DateTimeFormat(undefined, options);
      }
    };
    zoneFormats = {
      zone,
      exact: make({
        weekday: "short", day: "numeric", month: "short", year: "numeric",
        hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
      }),
      dayTime: make({ weekday: "short", hour: "2-digit", minute: "2-digit" }),
      dateTime: make({ day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }),
      fullDate: make({ day: "numeric", month: "short", year: "numeric" }),
      day: make({ year: "numeric", month: "2-digit", day: "2-digit" }),
      year: make({ year: "numeric" }),
      clock: make({ hour: "2-digit", minute: "2-digit" }),
      clockZone: make({ hour: "2-digit", minute: "2-digit", timeZoneName: "short" }),
    };
    return zoneFormats;
  }

  /** "just now", "3 min ago", "2 h ago", "4 d ago", or a date for older times. */
  function ago(date, now) {
    const secs = Math.max(0, Math.round((now - date) / 1000));
    if (secs < 60) return "just now";
    if (secs < 3600) return `${Math.floor(secs / 60)} min ago`;
    if (secs < 86400) return `${Math.floor(secs / 3600)} h ago`;
    if (secs < 30 * 86400) return `${Math.floor(secs / 86400)} d ago`;
    return formats().fullDate.format(date);
  }

  /** Time to come as "in 3 h", "in 25 min", "in 2 d 4 h"; "now" once it has come. */
  function until(date, now) {
    const mins = Math.floor((date - now) / 60000);
    if (mins < 1) return "now";
    if (mins < 60) return `in ${mins} min`;
    const hours = Math.floor(mins / 60);
    if (hours < 48) return `in ${hours} h`;
    return `in ${Math.floor(hours / 24)} d ${hours % 24} h`;
  }

  /** A moment within a week either way as "Thu 14:00", else with its date. */
  function moment(date, now) {
    const f = formats();
    const days = Math.abs(date - now) / 86400000;
    if (days < 0.5 && f.day.format(date) === f.day.format(now)) return `today ${f.clock.format(date)}`;
    if (days < 6) return f.dayTime.format(date);
    if (f.year.format(date) === f.year.format(now)) return f.dateTime.format(date);
    return f.fullDate.format(date);
  }

  const WRITERS = { ago, until, clock: (date) => formats().clockZone.format(date) };

  /**
   * Writes every `<time datetime>` under `root` in the viewer's zone: `data-format="ago"` as
   * the age ("3 min ago"), `until` as the time left ("in 3 h"), `clock` as the time of day with
   * its zone, the others as a moment ("Thu 14:00"); the exact time (date, time, zone) on hover.
   */
  function showTimes(root) {
    const now = new Date();
    const exactFormat = formats().exact;
    for (const element of (root || document).querySelectorAll("time[datetime]")) {
      const date = new Date(element.getAttribute("datetime"));
      if (Number.isNaN(date.getTime())) continue;
      const writer = WRITERS[element.dataset.format] || moment;
      const text = writer(date, now);
      if (element.textContent !== text) element.textContent = text;
      const exact = exactFormat.format(date);
      if (element.title !== exact) element.title = exact;
    }
  }

  // --- live updates: one connection per browser ---------------------------------------------

  const STREAM_EVENTS = ["case_changed", "case_left_view", "case_removed", "case_badge_changed", "item_changed", "admin_changed", "notification", "presence"];
  const listeners = [];
  let connection = null;

  function deliver(name, data) {
    for (const listener of listeners) {
      // Who is on a case changes nothing a page shows of it: only those who asked hear it.
      const heard = listener.names ? listener.names.includes(name) : name !== "presence";
      if (heard) listener.notify(name, data);
    }
  }

  /** Where the stream resumes for this page: the change log's end when the page was drawn. */
  function streamFrom() {
    const from = document.body.dataset.streamFrom || "";
    // Only once: a page back from the back/forward cache looks again at everything instead.
    document.body.dataset.streamFrom = "";
    return from;
  }

  /**
   * Opens this page's share of the stream, from where the page was drawn, so a change committed
   * between the drawing and the connection is heard too. Where the browser has shared workers,
   * every page and tab of the desk shares the worker's one connection (the worker replays to a
   * joining page what it heard since that page began loading); elsewhere the page holds its own,
   * closed whenever the page is hidden (so a page kept in the back/forward cache holds none).
   */
  function connect() {
    if (connection) return;
    const from = streamFrom();
    if (window.SharedWorker) {
      try {
        const worker = new SharedWorker("/assets/stream-worker.js", { name: `caredesk-stream-${csrf()}` });
        worker.port.onmessage = (event) => {
          if (event.data && event.data.name) deliver(event.data.name, event.data.data);
        };
        worker.port.start();
        worker.port.postMessage({ join: true, from, since: performance.timeOrigin });
        connection = { close: () => { worker.port.postMessage("bye"); worker.port.close(); } };
        return;
      } catch (_) {
        // Fall through to a connection of the page's own.
      }
    }
    if (!window.EventSource) return;
    const url = from ? `/api/v1/stream?last_event_id=${encodeURIComponent(from)}` : "/api/v1/stream";
    const source = new EventSource(url);
    for (const name of STREAM_EVENTS) {
      source.addEventListener(name, (event) => deliver(name, event.data));
    }
    connection = { close: () => source.close() };
  }

  function disconnect() {
    if (connection) connection.close();
    connection = null;
  }

  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", (event) => {
    if (!listeners.length) return;
    connect();
    // Back from the back/forward cache: what changed meanwhile was not heard; look again.
    if (event.persisted) deliver("resumed", null);
  });

  /**
   * Calls `onChange` (at most every `wait` ms) whenever the stream reports one of `names`
   * (every change when omitted).
   */
  function live(onChange, wait = 1500, names) {
    let timer = null;
    listeners.push({
      names: names ? names.concat(["resumed"]) : null,
      notify: () => {
        if (timer) return;
        timer = setTimeout(() => { timer = null; onChange(); }, wait);
      },
    });
    connect();
  }

  /** Calls `handler(name, data)` at once for each stream event of `names` ("resumed" too). */
  function listen(names, handler) {
    listeners.push({ names: names.concat(["resumed"]), notify: handler });
    connect();
  }

  /** Calls `handler(data)` with the data of each stream event `name`, and (with null) on resuming. */
  function on(name, handler) {
    listen([name], (_, data) => handler(data));
  }

  // --- the shortcut list ---------------------------------------------------------------------

  function toggleShortcuts(show) {
    const dialog = document.getElementById("shortcuts");
    if (!dialog) return;
    dialog.hidden = show === undefined ? !dialog.hidden : !show;
    if (!dialog.hidden) dialog.querySelector("button")?.focus();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "?") { toggleShortcuts(); event.preventDefault(); }
    if (event.key === "Escape") toggleShortcuts(false);
    // A page that acts on the key cancels the custom event; the key then types nothing.
    const key = new CustomEvent("caredesk:key", { detail: event.key, cancelable: true });
    if (!document.dispatchEvent(key)) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("#shortcuts [data-close]")) toggleShortcuts(false);
    const thumb = event.target.closest("a[data-lightbox]");
    if (thumb && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      showLarge(thumb);
    }
  });

  // --- a picture opened large (Escape or a click closes it) ---------------------------------

  function showLarge(thumb) {
    let dialog = document.getElementById("lightbox");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "lightbox";
      dialog.className = "lightbox";
      dialog.addEventListener("click", () => dialog.close());
      document.body.append(dialog);
    }
    const picture = document.createElement("img");
    picture.src = thumb.getAttribute("href");
    picture.alt = thumb.dataset.lightbox || "";
    dialog.replaceChildren(picture);
    dialog.showModal();
  }

  document.addEventListener("DOMContentLoaded", () => {
    showTimes(document);
    // Redrawn regions bring their own times; ages move on every minute.
    new MutationObserver(() => showTimes(document)).observe(document.body, { childList: true, subtree: true });
    setInterval(() => showTimes(document), 30000);
    if (document.body.dataset.section === "home") live(() => window.location.reload(), 5000);
  });

  /** A date and time of day in the viewer's zone ("7 Dec, 14:05"). */
  const dateTime = (date) => formats().dateTime.format(date);

  return { api, csrf, dateTime, listen, live, on, problem, showTimes, upload };
})();
