// My data: the link to keep, downloads, and deleting everything.
import { api, el, fmt, forgetSession, rememberSession, sessionId } from "./common.js";

const id = sessionId();
rememberSession(id);
const link = document.getElementById("session-link");
link.value = new URL(`/session/${id}`, window.location.origin).href;
link.addEventListener("focus", () => link.select());

// Copy a link field: the clipboard, or the text selected for Ctrl+C where it is refused.
async function copyField(field, stateLine, done) {
  try {
    await navigator.clipboard.writeText(field.value);
    stateLine.textContent = done;
  } catch {
    field.focus();
    field.select();
    stateLine.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
  }
}

document.getElementById("copy-link").addEventListener("click", () => copyField(link, document.getElementById("copy-state"), "Link copied."));

// ---------- the read-only share link ----------

const shareNone = document.getElementById("share-none");
const shareSome = document.getElementById("share-some");
const shareLink = document.getElementById("share-link");
const shareState = document.getElementById("share-state");
shareLink.addEventListener("focus", () => shareLink.select());

function showShare(share) {
  shareNone.hidden = Boolean(share);
  shareSome.hidden = !share;
  shareLink.value = share ? share.url : "";
}

async function shareAction(button, request, after) {
  button.disabled = true;
  try {
    after(await request());
  } catch (error) {
    shareState.textContent = `That didn't work: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

document.getElementById("share-create").addEventListener("click", (event) =>
  shareAction(event.currentTarget, () => api(`/api/session/${id}/share`, { method: "POST" }), (share) => {
    showShare(share);
    shareState.textContent = "Share link created: anyone with it can see your statistics, read-only.";
    shareLink.focus();
  }),
);
document.getElementById("share-copy").addEventListener("click", () => copyField(shareLink, shareState, "Share link copied."));
document.getElementById("share-revoke").addEventListener("click", (event) =>
  shareAction(event.currentTarget, () => api(`/api/session/${id}/share`, { method: "DELETE" }), () => {
    showShare(null);
    shareState.textContent = "Share link revoked: it no longer opens anything.";
    document.getElementById("share-create").focus();
  }),
);

api(`/api/session/${id}`).then((s) => {
  showShare(s.share);
  const facts = document.getElementById("summary-facts");
  const rows = [
    ["Letterboxd user", s.username || "–"],
    ["Films", fmt(s.counts.films)],
    ["Diary entries", fmt(s.counts.diary_entries)],
    ["Ratings", fmt(s.counts.ratings)],
    ["Reviews", fmt(s.counts.reviews)],
    ["Lists", fmt(s.counts.lists)],
    ["Watchlist", fmt(s.counts.watchlist)],
    ["Kept until", s.expires_at ? new Date(s.expires_at).toLocaleDateString("en", { day: "numeric", month: "long", year: "numeric" }) : "you delete it"],
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
