import { api, el, lastSession, rememberSession, fmt } from "./common.js";
import { watchDropzone } from "./dropzone.js";

const form = document.getElementById("upload-form");
const input = document.getElementById("files");
const dropzone = document.getElementById("dropzone");
const chosen = document.getElementById("chosen");
const button = document.getElementById("upload-button");
const state = document.getElementById("upload-state");
const errorBox = document.getElementById("upload-error");
let files = [];

function showError(detail) {
  errorBox.replaceChildren(
    el("strong", { text: "That upload didn't work." }),
    el("span", { class: "alert-detail", text: detail }),
  );
  errorBox.hidden = false;
}

function size(bytes) {
  return bytes < 1024 * 1024 ? `${fmt(Math.max(1, bytes / 1024), 0)} KB` : `${fmt(bytes / 1024 / 1024, 1)} MB`;
}

function setFiles(list) {
  files = Array.from(list);
  errorBox.hidden = true;
  button.disabled = files.length === 0;
  if (files.length === 0) chosen.textContent = "";
  else if (files.length === 1) chosen.textContent = `Selected: ${files[0].name} (${size(files[0].size)})`;
  else chosen.textContent = `Selected: ${files.length} files (${files.map((f) => f.name).join(", ")})`;
}

watchDropzone({ form, input, dropzone, button, onFiles: setFiles });

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!files.length) return;
  const body = new FormData();
  for (const file of files) body.append("files", file, file.name);
  button.disabled = true;
  errorBox.hidden = true;
  state.textContent = "Uploading…";
  try {
    const result = await api("/api/upload", { method: "POST", body });
    rememberSession(result.session_id);
    state.textContent = `Uploaded ${fmt(result.total_movies)} films. Opening your stats…`;
    window.location.assign(`/session/${result.session_id}`);
  } catch (error) {
    state.textContent = "";
    const detail = error.message;
    showError(/[.!?]$/.test(detail) ? detail : `${detail}.`);
    button.disabled = false;
  }
});

if (new URLSearchParams(window.location.search).has("deleted")) {
  document.getElementById("deleted-note").hidden = false;
}

const previous = lastSession();
if (previous && /^[0-9a-f-]{36}$/.test(previous)) {
  const box = document.getElementById("last-session");
  document.getElementById("last-session-link").setAttribute("href", `/session/${previous}`);
  box.hidden = false;
}
