// "Compare with my library" on a dashboard opened through a share link: the visitor pastes the
// link (or the id) of their own library; it is checked here, kept in this browser only
// (localStorage, never sent anywhere but as part of the comparison's address) and the button
// opens /compare/<theirs>/<this share id>.
import { sessionId } from "./common.js";

const KEY = "letterboxd-stats:compare-mine";
// A library id: a UUID v4, as the server takes it (lower case, with its dashes).
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/i;

const form = document.getElementById("compare-form");
const input = document.getElementById("compare-mine");
const state = document.getElementById("compare-state");
const saved = document.getElementById("compare-saved");
const shareId = sessionId(); // this page's id: the share id

// The library id in what was pasted: a link like https://host/session/<id> (or any page of
// it), or the bare id. null when there is none.
export function libraryId(text) {
  const value = text.trim();
  const inPath = value.match(new RegExp(`/(?:session|compare)/(${UUID.source})`, "i"));
  const found = inPath ? inPath[1] : value.match(new RegExp(`^${UUID.source}$`, "i"))?.[0];
  return found ? found.toLowerCase() : null;
}

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function store(id) {
  try {
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
  } catch {
    /* storage unavailable: nothing kept */
  }
}

function say(text, isError = false) {
  state.textContent = text;
  state.classList.toggle("form-error", isError);
  input.setAttribute("aria-invalid", isError ? "true" : "false");
}

function showError(text) {
  say(text, true);
  input.focus();
}

function showSaved() {
  saved.hidden = !stored();
}

const remembered = stored();
if (remembered && libraryId(remembered)) input.value = new URL(`/session/${remembered}`, window.location.origin).href;
showSaved();

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!input.value.trim()) {
    showError("Paste the link of your own library first.");
    return;
  }
  const mine = libraryId(input.value);
  if (!mine) {
    showError("That is not a library link: it looks like https://…/session/ followed by a long id.");
    return;
  }
  if (mine === shareId) {
    showError("That is the link of this library: paste the link of yours.");
    return;
  }
  say("Opening the comparison…");
  store(mine);
  window.location.assign(`/compare/${mine}/${shareId}`);
});

input.addEventListener("input", () => say(""));

document.getElementById("compare-forget").addEventListener("click", () => {
  store(null);
  input.value = "";
  showSaved();
  say("Forgotten: this browser no longer keeps your link.");
  input.focus();
});
