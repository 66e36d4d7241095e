// The triage queue and the traveller page: keyboard, decisions from the queue, live updates.
// j/k move, Enter opens, a assigns to me, c clears, r refers, ? shows help (see _help.html).
(() => {
  "use strict";

  const rows = () => Array.from(document.querySelectorAll(".queue-row"));
  const status = document.getElementById("queue-status");
  const dialog = document.getElementById("decision-dialog");
  const help = document.getElementById("help-dialog");
  const panel = document.getElementById("decision-panel");
  let remembered = null; // the row that had focus before the queue was re-drawn

  const typing = (target) =>
    ["input", "textarea", "select"].includes((target.tagName || "").toLowerCase()) ||
    target.isContentEditable;
  const anyDialogOpen = () => document.querySelector("dialog[open]") !== null;
  const currentRow = () => document.activeElement && document.activeElement.closest(".queue-row");

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function focusRow(row) {
    if (!row) return;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const index = all.indexOf(currentRow());
    const next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), all.length - 1);
    focusRow(all[next]);
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // `source` is a queue row, or the dialog's form, which keeps the row's address and version:
  // the queue may be re-drawn without that row while the dialog is open.
  async function send(source, fields) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("version", source.dataset.version || "0");
    Object.entries(fields).forEach(([key, value]) => body.append(key, value));
    const response = await fetch(source.dataset.decide, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    let answer = { ok: false, message: response.statusText };
    try {
      answer = await response.json();
    } catch (error) {
      // a non-JSON answer (a proxy's error page): keep the status text
    }
    if (typeof answer.version === "number") source.dataset.version = String(answer.version);
    return answer;
  }

  function refreshQueue() {
    if (window.htmx) window.htmx.trigger(document.body, "queue-refresh");
  }

  async function assignToMe(row) {
    const answer = await send(row, { kind: "assign", assignee: "me", reason: "" });
    say(answer.message, !answer.ok);
    if (answer.ok) refreshQueue();
  }

  function openDecision(row, kind, outcome) {
    if (!dialog) return;
    const form = dialog.querySelector("form");
    form.reset();
    form.dataset.traveller = row.dataset.traveller;
    form.dataset.decide = row.dataset.decide;
    form.dataset.version = row.dataset.version || "0";
    form.elements.kind.value = kind;
    dialog.querySelectorAll("[data-kind]").forEach((element) => {
      element.hidden = element.dataset.kind !== kind;
    });
    if (outcome) form.elements.outcome.value = outcome;
    const titles = dialog.dataset;
    document.getElementById("decision-title").textContent =
      kind === "refer" ? titles.referTitle : outcome === "cleared" ? titles.clearTitle : titles.outcomeTitle;
    document.getElementById("decision-who").textContent = row.dataset.name;
    document.getElementById("decision-error").textContent = "";
    dialog.showModal();
    (kind === "refer" ? form.elements.agency : form.elements.reason).focus();
  }

  async function submitDecision(event) {
    event.preventDefault();
    const form = event.target;
    const fields = { kind: form.elements.kind.value, reason: form.elements.reason.value };
    if (fields.kind === "refer") fields.agency = form.elements.agency.value;
    if (fields.kind === "outcome") fields.outcome = form.elements.outcome.value;
    const answer = await send(form, fields);
    const row = document.getElementById("q-" + form.dataset.traveller);
    if (row) row.dataset.version = form.dataset.version;
    if (answer.ok) {
      dialog.close();
      say(answer.message, false);
      refreshQueue();
      focusRow(row);
    } else {
      document.getElementById("decision-error").textContent = answer.message;
    }
  }

  function act(row, action) {
    if (!row) return;
    if (action === "assign") assignToMe(row);
    else if (action === "clear") openDecision(row, "outcome", "cleared");
    else if (action === "refer") openDecision(row, "refer");
    else if (action === "outcome") openDecision(row, "outcome");
  }

  // On the traveller page the same keys work the decision forms.
  function actOnPanel(key) {
    if (key === "a") {
      const form = document.getElementById("assign-form");
      if (form) form.requestSubmit();
    } else if (key === "c") {
      const cleared = document.getElementById("outcome-cleared");
      if (cleared) {
        cleared.checked = true;
        document.getElementById("outcome-reason").focus();
      }
    } else if (key === "r") {
      const agency = document.getElementById("refer-agency");
      if (agency) agency.focus();
    }
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (anyDialogOpen()) return;
    const key = event.key;
    if (key === "?") {
      event.preventDefault();
      if (help) help.showModal();
      return;
    }
    if (panel && ["a", "c", "r"].includes(key)) {
      event.preventDefault();
      actOnPanel(key);
      return;
    }
    if (!rows().length) return;
    if (key === "j" || key === "ArrowDown") {
      event.preventDefault();
      move(1);
    } else if (key === "k" || key === "ArrowUp") {
      event.preventDefault();
      move(-1);
    } else if (key === "Enter" && currentRow() && event.target === currentRow()) {
      event.preventDefault();
      window.location.href = currentRow().dataset.href;
    } else if (dialog && ["a", "c", "r"].includes(key)) {
      event.preventDefault();
      const row = currentRow() || rows()[0];
      focusRow(row);
      act(row, { a: "assign", c: "clear", r: "refer" }[key]);
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (button) act(button.closest(".queue-row"), button.dataset.action);
    const close = event.target.closest("[data-close-dialog]");
    if (close) close.closest("dialog").close();
    const row = event.target.closest(".queue-row");
    if (row && !button && !event.target.closest("a")) focusRow(row);
  });

  if (dialog) dialog.querySelector("form").addEventListener("submit", submitDecision);

  // Live updates: keep the focused row and the scroll position across a re-draw.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "queue") {
      const row = currentRow();
      remembered = { id: row ? row.dataset.traveller : null, scroll: window.scrollY };
    }
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (!remembered || !document.getElementById("queue")) return;
    if (remembered.id) {
      const row = document.getElementById("q-" + remembered.id);
      if (row) row.focus({ preventScroll: true });
    }
    window.scrollTo(0, remembered.scroll);
    remembered = null;
    updateCountdowns();
  });

  // Countdowns to arrival or departure, in the page's language.
  const relative =
    window.Intl && Intl.RelativeTimeFormat
      ? new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" })
      : null;
  function updateCountdowns() {
    if (!relative) return;
    document.querySelectorAll("[data-countdown]").forEach((element) => {
      const minutes = Math.round((Date.parse(element.getAttribute("datetime")) - Date.now()) / 60000);
      element.textContent =
        Math.abs(minutes) < 90 ? relative.format(minutes, "minute") : relative.format(Math.round(minutes / 60), "hour");
      element.classList.toggle("soon", minutes >= 0 && minutes <= 60);
      element.classList.toggle("past", minutes < 0);
    });
  }
  updateCountdowns();
  window.setInterval(updateCountdowns, 30000);
})();
