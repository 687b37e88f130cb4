// Settings page: every change is saved through the JSON API, with the answer shown in words
// next to the button.
"use strict";

(() => {
  function message(answer) {
    return `Not saved: ${caredesk.problem(answer)}`;
  }

  function say(scope, text) {
    const out = scope.querySelector(".feedback");
    if (out) out.textContent = text;
  }

  async function save(scope, method, path, body, reload) {
    say(scope, "Saving…");
    const answer = await caredesk.api(method, path, body);
    if (!answer.ok) { say(scope, message(answer)); return; }
    say(scope, "Saved.");
    if (reload) window.location.reload();
  }

  const options = (text) => text.split(",").map((o) => o.trim()).filter((o) => o);

  document.getElementById("general-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    save(form, "PATCH", "/api/v1/settings", {
      grace_period_secs: Math.round(Number(form.elements.grace_hours.value) * 3600),
      default_capacity: Number(form.elements.default_capacity.value),
    });
  });

  document.getElementById("field-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    save(form, "POST", "/api/v1/case-fields", {
      name: form.elements.name.value,
      kind: form.elements.kind.value,
      options: options(form.elements.options.value),
      mandatory: form.elements.mandatory.checked,
      enabled: form.elements.enabled.checked,
    }, true);
  });

  document.getElementById("user-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const admin = form.elements.admin.checked;
    save(form, "POST", "/api/v1/users", {
      name: form.elements.name.value,
      email: form.elements.email.value,
      password: form.elements.password.value,
      role: admin ? "admin" : "member",
      care_access: admin ? "supervisor" : form.elements.care_access.value,
      capacity: Number(form.elements.capacity.value),
    }, true);
  });

  document.addEventListener("click", (event) => {
    const fieldRow = event.target.closest("[data-field-row]");
    if (fieldRow) {
      const path = "/api/v1/case-fields/" + fieldRow.dataset.fieldRow;
      const value = (name) => fieldRow.querySelector("[name=" + name + "]");
      if (event.target.closest("[data-save-field]")) {
        save(fieldRow, "PATCH", path, {
          name: value("name").value,
          options: options(value("options").value),
          position: Number(value("position").value),
          mandatory: value("mandatory").checked,
          enabled: value("enabled").checked,
        });
      } else if (event.target.closest("[data-delete-field]")) {
        save(fieldRow, "DELETE", path, undefined, true);
      }
      return;
    }
    const userRow = event.target.closest("[data-user-row]");
    if (userRow && event.target.closest("[data-save-user]")) {
      const body = {
        capacity: Number(userRow.querySelector("[name=capacity]").value),
        profile_ids: Array.from(userRow.querySelectorAll("[data-profile]:checked")).map((b) => b.dataset.profile)
          .concat(userRow.dataset.otherProfiles.split(" ").filter((id) => id)),
      };
      const admin = userRow.querySelector("[name=admin]");
      if (admin) {
        body.role = admin.checked ? "admin" : "member";
        body.care_access = admin.checked ? "supervisor" : userRow.querySelector("[name=care_access]").value;
        body.active = userRow.querySelector("[name=active]").checked;
      }
      save(userRow, "PATCH", "/api/v1/users/" + userRow.dataset.userRow, body);
    }
  });

  document.getElementById("profile-add-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    save(form, "POST", "/api/v1/profiles", {
      network: form.elements.network.value,
      name: form.elements.name.value,
      external_id: form.elements.external_id.value,
      app_id: form.elements.app_id.value,
      access_token: form.elements.access_token.value,
      token_secret: form.elements.token_secret.value,
    }, true);
  });

  document.addEventListener("change", (event) => {
    const box = event.target.closest("[data-auto-assign]");
    if (!box) return;
    const row = box.closest("[data-profile-row]");
    save(box.closest(".routing"), "PATCH", "/api/v1/profiles/" + row.dataset.profileRow, {
      auto_assign: box.checked,
    });
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest(".profile-form");
    if (!form) return;
    event.preventDefault();
    const row = form.closest("[data-profile-row]");
    const body = {
      network: row.dataset.network,
      external_id: row.dataset.external,
      app_id: row.dataset.app,
      name: form.elements.name.value,
      access_token: form.elements.access_token.value,
    };
    if (form.elements.token_secret) body.token_secret = form.elements.token_secret.value;
    save(form, "PATCH", "/api/v1/profiles/" + row.dataset.profileRow, body).then(() => {
      form.elements.access_token.value = "";
      if (form.elements.token_secret) form.elements.token_secret.value = "";
    });
  });
  document.getElementById("salesforce-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    say(form, "Connecting…");
    const answer = await caredesk.api("PUT", "/api/v1/integrations/salesforce", {
      login_url: form.elements.login_url.value,
      client_id: form.elements.client_id.value,
      client_secret: form.elements.client_secret.value,
      refresh_token: form.elements.refresh_token.value || null,
    });
    if (!answer.ok) { say(form, message(answer)); return; }
    if (answer.body.state === "connected") window.location.reload();
    else say(form, "Saved, but Salesforce did not accept it: " + (answer.body.error || answer.body.state));
  });

  document.getElementById("sf-disconnect")?.addEventListener("click", (event) => {
    const form = event.target.closest("form");
    save(form, "DELETE", "/api/v1/integrations/salesforce", undefined, true);
  });

  // --- saved replies: a refusal that names a field ("name: …", "text: …") is shown beside it --

  function clearFieldErrors(form) {
    for (const out of form.querySelectorAll("[data-error-for]")) {
      out.textContent = "";
      form.elements[out.dataset.errorFor]?.removeAttribute("aria-invalid");
    }
  }

  /** Shows a refusal next to the field it names, else in the form's feedback. */
  function showRefusal(form, answer) {
    const error = answer.body && answer.body.error;
    const named = error && /^(name|text): (.*)$/s.exec(String(error.message || ""));
    const out = named && form.querySelector(`[data-error-for="${named[1]}"]`);
    if (!out) { say(form, message(answer)); return; }
    const text = named[2].charAt(0).toUpperCase() + named[2].slice(1);
    out.textContent = /[.!?]$/.test(text) ? text : `${text}.`;
    form.elements[named[1]].setAttribute("aria-invalid", "true");
    form.elements[named[1]].focus();
    say(form, "Not saved.");
  }

  async function saveReply(form, method, path, body, reload) {
    clearFieldErrors(form);
    say(form, "Saving…");
    const answer = await caredesk.api(method, path, body);
    if (!answer.ok) { showRefusal(form, answer); return; }
    say(form, "Saved.");
    if (reload) window.location.reload();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest(".reply-form");
    if (!form) return;
    event.preventDefault();
    const body = { name: form.elements.name.value, text: form.elements.text.value };
    const row = form.closest("[data-reply-row]");
    if (row) {
      saveReply(form, "PATCH", "/api/v1/saved-replies/" + row.dataset.replyRow, body, false);
    } else {
      body.shared = Boolean(form.elements.shared && form.elements.shared.checked);
      saveReply(form, "POST", "/api/v1/saved-replies", body, true);
    }
  });

  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-delete-reply]")) return;
    const row = event.target.closest("[data-reply-row]");
    saveReply(row.querySelector("form"), "DELETE", "/api/v1/saved-replies/" + row.dataset.replyRow, undefined, true);
  });
})();
