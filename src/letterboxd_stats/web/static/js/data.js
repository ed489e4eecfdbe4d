// My data: the link to keep, downloads, and deleting everything.
import { api, el, fmt, forgetSession, rememberSession, sessionId } from "./common.js";

const id = sessionId();
rememberSession(id);
const link = document.getElementById("session-link");
link.value = new URL(`/session/${id}`, window.location.origin).href;
link.addEventListener("focus", () => link.select());

document.getElementById("copy-link").addEventListener("click", async () => {
  const stateLine = document.getElementById("copy-state");
  try {
    await navigator.clipboard.writeText(link.value);
    stateLine.textContent = "Link copied.";
  } catch {
    link.focus();
    link.select();
    stateLine.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
  }
});

api(`/api/session/${id}`).then((s) => {
  const facts = document.getElementById("summary-facts");
  const rows = [
    ["Letterboxd user", s.username || "–"],
    ["Films", fmt(s.counts.films)],
    ["Diary entries", fmt(s.counts.diary_entries)],
    ["Ratings", fmt(s.counts.ratings)],
    ["Reviews", fmt(s.counts.reviews)],
    ["Lists", fmt(s.counts.lists)],
    ["Watchlist", fmt(s.counts.watchlist)],
    ["Kept until", new Date(s.expires_at).toLocaleDateString("en", { day: "numeric", month: "long", year: "numeric" })],
  ];
  for (const [term, value] of rows) facts.append(el("div", {}, el("dt", { text: term }), el("dd", { text: value })));
}, () => {});

const start = document.getElementById("delete-start");
const confirmBox = document.getElementById("delete-confirm");
const errorBox = document.getElementById("delete-error");
start.addEventListener("click", () => {
  start.hidden = true;
  confirmBox.hidden = false;
  document.getElementById("delete-no").focus();
});
document.getElementById("delete-no").addEventListener("click", () => {
  confirmBox.hidden = true;
  start.hidden = false;
  start.focus();
});
document.getElementById("delete-yes").addEventListener("click", async (event) => {
  event.target.disabled = true;
  try {
    await api(`/api/session/${id}`, { method: "DELETE" });
    forgetSession(id);
    window.location.assign("/?deleted=1");
  } catch (error) {
    event.target.disabled = false;
    errorBox.textContent = `Could not delete: ${error.message}`;
    errorBox.hidden = false;
  }
});
