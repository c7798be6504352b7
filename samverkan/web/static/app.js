// Small progressive enhancements; every page also works without JavaScript.
"use strict";

function text(el, value) { el.textContent = value == null ? "" : String(value); }

function jobRow(job) {
  const row = document.createElement("tr");
  row.dataset.job = job.id;
  row.dataset.finished = job.finished ? "true" : "false";
  row.className = "job-" + (job.status || job.state);
  const file = document.createElement("td");
  text(file, job.filename);
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
    })
    .catch(function () { setTimeout(function () { pollJob(id); }, 3000); });
}

function setupUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const tbody = document.querySelector("#jobs tbody");
  const progress = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
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
        alert((body && body.detail) || "Uppladdningen misslyckades.");
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

function setupConfirm() {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  setupUpload();
  setupConfirm();
});
