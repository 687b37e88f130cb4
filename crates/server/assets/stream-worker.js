// caredesk's live-update connection, shared by every page and tab of the desk in this browser:
// one Server-Sent Events stream, whose events are passed on to each connected page. The
// connection opens from where the first page was drawn and closes when the last page leaves. A
// page that joins an open connection is also sent what the worker heard since that page began
// loading, so nothing committed between its drawing and its joining is missed.
"use strict";

const EVENTS = ["case_changed", "case_left_view", "case_removed", "case_badge_changed", "item_changed", "admin_changed", "notification", "presence"];
/** How long heard events are kept for pages still loading. */
const KEEP_MS = 30000;
const pages = new Set();
const heard = [];
let source = null;

function open(from) {
  if (source) return;
  const url = from ? `/api/v1/stream?last_event_id=${encodeURIComponent(from)}` : "/api/v1/stream";
  source = new EventSource(url);
  for (const name of EVENTS) {
    source.addEventListener(name, (event) => {
      const now = Date.now();
      heard.push({ at: now, name, data: event.data });
      while (heard.length && (heard[0].at < now - KEEP_MS || heard.length > 500)) heard.shift();
      for (const page of pages) page.postMessage({ name, data: event.data });
    });
  }
}

function leave(page) {
  pages.delete(page);
  if (pages.size === 0 && source) {
    source.close();
    source = null;
    heard.length = 0;
  }
}

function join(page, from, since) {
  pages.add(page);
  if (source) {
    for (const event of heard) {
      if (event.at >= since) page.postMessage({ name: event.name, data: event.data });
    }
  } else {
    open(from);
  }
}

self.onconnect = (event) => {
  const page = event.ports[0];
  page.onmessage = (message) => {
    if (message.data === "bye") leave(page);
    else if (message.data && message.data.join) join(page, message.data.from, Number(message.data.since) || 0);
  };
  // A page that goes away without saying so is forgotten when its port closes.
  page.addEventListener("close", () => leave(page));
  page.start();
};
