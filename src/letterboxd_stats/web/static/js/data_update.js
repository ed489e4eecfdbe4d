// "My data": update the library with a newer export (drop zone as on the upload page), then the
// change summary of the answer, and the history of the library's imports (/history).
import { api, el, fmt, plural, sessionId } from "./common.js";
import { watchDropzone } from "./dropzone.js";

const id = sessionId();
const form = document.getElementById("update-form");
const input = document.getElementById("update-files");
const dropzone = document.getElementById("update-dropzone");
const chosen = document.getElementById("update-chosen");
const button = document.getElementById("update-button");
const state = document.getElementById("update-state");
const errorBox = document.getElementById("update-error");
const changesBox = document.getElementById("update-changes");
const historyList = document.getElementById("import-history");
let files = [];

function setFiles(list) {
  files = Array.from(list);
  errorBox.hidden = true;
  button.disabled = files.length === 0;
  chosen.textContent = files.length ? `Selected: ${files.map((f) => f.name).join(", ")}` : "";
}

export function summaryLines(c) {
  return [
    ["Films", `${fmt(c.films_added)} added, ${fmt(c.films_removed)} removed, ${fmt(c.films_kept)} kept`],
    ["Viewings", `${fmt(c.diary_added)} added, ${fmt(c.diary_removed)} removed`],
    ["Ratings", `${fmt(c.ratings_added)} new, ${fmt(c.ratings_changed)} changed, ${fmt(c.ratings_removed)} removed`],
    ["Reviews", `${fmt(c.reviews_added)} added`],
    ["Watchlist", `${fmt(c.watchlist_added)} added, ${fmt(c.watchlist_removed)} removed`],
    ["Lists", `${fmt(c.lists_added)} added, ${fmt(c.lists_removed)} removed, ${fmt(c.lists_changed)} changed`],
  ];
}

function showChanges(answer) {
  const lines = summaryLines(answer.changes);
  for (const warning of answer.warnings) lines.push(["Note", warning]);
  changesBox.replaceChildren(...lines.map(([term, value]) => el("div", {}, el("dt", { text: term }), el("dd", { text: value }))));
  changesBox.hidden = false;
}

async function loadHistory() {
  const history = await api(`/api/session/${id}/history`);
  historyList.replaceChildren(...history.imports.map((i) => el("li", {
    text: `${i.kind === "upload" ? "First upload" : "Update"} on ${i.imported_at.slice(0, 10)}`
      + `${i.export_date ? ` (export of ${i.export_date})` : ""}: ${plural(i.counts.films, "film")}`
      + `${i.changes ? `, ${fmt(i.changes.films_added)} new` : ""}`,
  })));
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
    const answer = await api(`/api/session/${id}/update`, { method: "POST", body });
    state.textContent = `Updated: ${plural(answer.to_enrich, "film")} to look up on TMDB.`;
    showChanges(answer);
    await loadHistory();
  } catch (error) {
    state.textContent = "";
    errorBox.replaceChildren(el("strong", { text: "That update didn't work." }), el("span", { class: "alert-detail", text: error.message }));
    errorBox.hidden = false;
  }
  button.disabled = false;
});

loadHistory().catch(() => {});
