// Small progressive enhancements; every page also works without JavaScript.
"use strict";

function text(el, value) { el.textContent = value == null ? "" : String(value); }

// As the server's `filesize` filter: "512 byte", "12,3 kB".
function filesize(value) {
  if (value == null) return "–";
  let size = Number(value);
  const units = ["byte", "kB", "MB", "GB"];
  for (let i = 0; i < units.length; i++) {
    if (size < 1024 || i === units.length - 1) {
      return (i === 0 ? size.toFixed(0) : size.toFixed(1).replace(".", ",")) + " " + units[i];
    }
    size /= 1024;
  }
  return String(value);
}

function jobRow(job) {
  const row = document.createElement("tr");
  row.dataset.job = job.id;
  row.dataset.finished = job.finished ? "true" : "false";
  row.className = "job-" + (job.status || job.state);
  const file = document.createElement("td");
  text(file, job.filename);
  file.appendChild(document.createElement("br"));
  const details = document.createElement("span");
  details.className = "muted";
  text(details, filesize(job.size) + (job.dnr ? " · " + job.dnr : ""));
  file.appendChild(details);
  const state = document.createElement("td");
  state.className = "state";
  text(state, job.state_sv);
  const outcome = document.createElement("td");
  outcome.className = "outcome";
  if (job.agreement_id) {
    const link = document.createElement("a");
    link.href = "/overenskommelse/" + encodeURIComponent(job.agreement_id) +
      (job.version ? "?version=" + encodeURIComponent(job.version) : "");
    text(link, job.message);
    outcome.appendChild(link);
  } else {
    text(outcome, job.message);
  }
  row.append(file, state, outcome);
  return row;
}

function pollJob(id) {
  fetch("/api/uploads/" + encodeURIComponent(id), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (job) {
      if (!job) return;
      const old = document.querySelector('tr[data-job="' + CSS.escape(id) + '"]');
      const row = jobRow(job);
      if (old) old.replaceWith(row);
      if (!job.finished) setTimeout(function () { pollJob(id); }, 1000);
      else if (job.status === "quarantined") refreshQuarantine();
    })
    .catch(function () { setTimeout(function () { pollJob(id); }, 3000); });
}

// The browser's own file button speaks the browser's language; show a Swedish one instead.
function setupFilePicker(form) {
  const input = document.getElementById("files");
  const picker = document.getElementById("file-picker");
  const chosen = document.getElementById("files-chosen");
  const error = document.getElementById("files-error");
  if (!input || !picker || !chosen) return function () { return true; };
  function show() {
    const names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    if (!names.length) text(chosen, "Ingen fil vald");
    else if (names.length === 1) text(chosen, names[0]);
    else text(chosen, names.length + " filer valda: " + names.join(", "));
    if (names.length && error) error.hidden = true;
  }
  input.classList.add("visually-hidden");
  input.tabIndex = -1;
  picker.hidden = false;
  form.noValidate = true;  // the browser's "required" message is not Swedish either
  document.getElementById("files-button").addEventListener("click", function () { input.click(); });
  input.addEventListener("change", show);
  form.addEventListener("reset", function () { setTimeout(show, 0); });
  return function () {
    if (input.files && input.files.length) return true;
    if (error) error.hidden = false;
    document.getElementById("files-button").focus();
    return false;
  };
}

function setupUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const hasFiles = setupFilePicker(form);
  const tbody = document.querySelector("#jobs tbody");
  const progress = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!hasFiles()) return;
    const data = new FormData(form);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/uploads");
    xhr.setRequestHeader("X-CSRF-Token", form.querySelector("[name=csrf_token]").value);
    xhr.setRequestHeader("Accept", "application/json");
    progress.hidden = false;
    bar.value = 0;
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    xhr.onload = function () {
      progress.hidden = true;
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status >= 400 || !body) {
        alert((body && body.error && body.error.message) || "Uppladdningen misslyckades.");
        return;
      }
      const empty = tbody.querySelector("tr.empty");
      if (empty) empty.remove();
      body.jobs.forEach(function (job) {
        tbody.prepend(jobRow(job));
        if (!job.finished) pollJob(job.id);
      });
      form.reset();
    };
    xhr.onerror = function () { progress.hidden = true; alert("Uppladdningen avbröts (nätverksfel)."); };
    xhr.send(data);
  });
  document.querySelectorAll('#jobs tr[data-finished="false"]').forEach(function (row) { pollJob(row.dataset.job); });
}

// A file that went to quarantine while the page was open: show the quarantine table as the
// server renders it now (with its buttons), instead of "Karantänen är tom." until a reload.
function refreshQuarantine() {
  const current = document.querySelector("#karantan tbody");
  if (!current) return;
  fetch("/registrera", {headers: {"Accept": "text/html"}, credentials: "same-origin"})
    .then(function (r) { return r.ok ? r.text() : null; })
    .then(function (html) {
      if (!html) return;
      const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("#karantan tbody");
      if (!fresh) return;
      const body = document.importNode(fresh, true);
      current.replaceWith(body);
      setupConfirm(body);
    })
    .catch(function () { /* the table is right again after a reload */ });
}

function setupConfirm(root) {
  (root || document).querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupUpload();
  setupConfirm(document);
});
