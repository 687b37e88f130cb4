// caredesk's bulk actions on the Care list: checkboxes on the rows (shift-click picks a range,
// "All on this page" picks every row), and, with some picked, assign to me, priority and
// status for all of them in one call. Each case is judged on its own; the outcome is told per
// kind ("3 done; 1 refused: Only the case's assignee can do this."). The picks and the last
// outcome survive the list being redrawn live.
"use strict";

(() => {
  const picked = new Set();
  let lastClicked = null;
  let outcome = "";

  const boxes = () => Array.from(document.querySelectorAll("input.pick[data-case-id]"));

  /** Shows the picks, the count and the last outcome on whatever list is drawn now. */
  function show() {
    const all = boxes();
    for (const box of all) {
      if (box.checked !== picked.has(box.dataset.caseId)) box.checked = picked.has(box.dataset.caseId);
    }
    const actions = document.getElementById("bulk-actions");
    const count = document.getElementById("bulk-count");
    const pickAll = document.getElementById("pick-all");
    // Only what differs is written: the list's observer would otherwise see its own writes.
    if (actions && actions.hidden !== (picked.size === 0)) actions.hidden = picked.size === 0;
    const counted = `${picked.size} selected`;
    if (count && count.textContent !== counted) count.textContent = counted;
    if (pickAll) {
      const on = all.filter((b) => b.checked).length;
      pickAll.checked = all.length > 0 && on === all.length;
      pickAll.indeterminate = on > 0 && on < all.length;
    }
    const result = document.getElementById("bulk-result");
    if (result && result.textContent !== outcome) result.textContent = outcome;
  }

  /** "3 done; 2 refused: not your case" from the per-case results. */
  function tell(results) {
    const done = results.filter((r) => r.ok).length;
    const reasons = new Map();
    for (const r of results.filter((r) => !r.ok)) {
      const words = caredesk.problem({ status: 200, body: { error: r.error } });
      reasons.set(words, (reasons.get(words) || 0) + 1);
    }
    const parts = [`${done} done`];
    for (const [words, n] of reasons) parts.push(`${n} refused: ${words}`);
    return parts.join("; ");
  }

  async function apply(body) {
    const ids = Array.from(picked);
    if (ids.length === 0) return;
    outcome = "Working…";
    show();
    const answer = await caredesk.api("POST", "/api/v1/cases/bulk", { case_ids: ids, ...body });
    if (!answer.ok) {
      outcome = caredesk.problem(answer);
    } else {
      outcome = tell(answer.body.results);
      picked.clear();
      for (const r of answer.body.results) if (!r.ok) picked.add(r.case_id);
    }
    show();
  }

  document.addEventListener("click", (event) => {
    const box = event.target.closest && event.target.closest("input.pick[data-case-id]");
    if (!box) return;
    const all = boxes();
    const here = all.indexOf(box);
    const from = lastClicked === null ? -1 : all.findIndex((b) => b.dataset.caseId === lastClicked);
    const range = event.shiftKey && from >= 0 ? all.slice(Math.min(from, here), Math.max(from, here) + 1) : [box];
    for (const b of range) {
      if (box.checked) picked.add(b.dataset.caseId);
      else picked.delete(b.dataset.caseId);
    }
    lastClicked = box.dataset.caseId;
    show();
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.id === "pick-all") {
      for (const b of boxes()) {
        if (target.checked) picked.add(b.dataset.caseId);
        else picked.delete(b.dataset.caseId);
      }
      show();
    } else if (target.id === "bulk-priority" && target.value) {
      apply({ action: "priority", priority: target.value });
      target.value = "";
    } else if (target.id === "bulk-status" && target.value) {
      apply({ action: "status", status: target.value });
      target.value = "";
    }
  });

  document.addEventListener("click", (event) => {
    if (event.target.id !== "bulk-assign-me") return;
    const care = document.getElementById("care");
    apply({ action: "assign", assignee_id: care ? care.dataset.me : "" });
  });

  document.addEventListener("DOMContentLoaded", () => {
    show();
    new MutationObserver(() => show()).observe(document.body, { childList: true, subtree: true });
  });
})();
