// caredesk's live-update connection, shared by every page and tab of the desk in this browser:
// one Server-Sent Events stream, whose events are passed on to each connected page. The
// connection closes when the last page leaves and opens again when a page comes.
"use strict";

const EVENTS = ["case_changed", "case_left_view", "case_removed", "case_badge_changed", "item_changed", "admin_changed"];
const pages = new Set();
let source = null;

function open() {
  if (source) return;
  source = new EventSource("/api/v1/stream");
  for (const name of EVENTS) {
    source.addEventListener(name, (event) => {
      for (const page of pages) page.postMessage({ name, data: event.data });
    });
  }
}

function leave(page) {
  pages.delete(page);
  if (pages.size === 0 && source) {
    source.close();
    source = null;
  }
}

self.onconnect = (event) => {
  const page = event.ports[0];
  pages.add(page);
  page.onmessage = (message) => {
    if (message.data === "bye") leave(page);
  };
  // A page that goes away without saying so is forgotten when its port closes.
  page.addEventListener("close", () => leave(page));
  page.start();
  open();
};
