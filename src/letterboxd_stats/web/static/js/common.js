// Shared helpers. Data only ever reaches the page through textContent / attributes.

const IMAGE_BASE = "https://image.tmdb.org/t/p/w185";

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function sessionId() {
  return document.getElementById("main").dataset.sessionId;
}

// A library opened through its read-only share link: the page's id is the share id, and
// nothing of the owner's (review, My data, cancel) is offered.
export function readOnly() {
  return document.getElementById("main").dataset.access === "viewer";
}

// What a page says when the library is gone: deleted, or (to a viewer) its share link revoked.
export function goneText() {
  return readOnly()
    ? "This shared library is no longer available: its link was revoked, or the library deleted."
    : "This library no longer exists (it was deleted).";
}

// The years the API takes (a year in review, a TMDB search's year), as the page gives them.
export function yearBounds() {
  const { minYear, maxYear } = document.getElementById("main").dataset;
  return { min: Number(minYear), max: Number(maxYear) };
}

export class ApiError extends Error {
  constructor(status, kind, detail) {
    super(detail);
    this.status = status;
    this.kind = kind;
  }
}

export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: "application/json" }, ...options });
  } catch {
    throw new ApiError(0, "Network", "The server could not be reached. Check your connection and try again.");
  }
  if (response.status === 204) return null;
  let body;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : `The server answered ${response.status}.`;
    throw new ApiError(response.status, body && body.error ? body.error : "HTTPError", detail);
  }
  return body;
}

// An image from TMDB that turns into a text placeholder when it is missing or fails to load.
export function tmdbImage(path, label, kind = "poster", { lazy = false } = {}) {
  const box = el("span", { class: `thumb thumb-${kind}` });
  const placeholder = () => {
    clear(box);
    box.classList.add("thumb-missing");
    box.append(el("span", { class: "thumb-text", text: label || "No image" }));
  };
  if (!path) {
    placeholder();
    return box;
  }
  const img = el("img", { src: IMAGE_BASE + path, alt: label ? `${kind === "poster" ? "Poster" : "Photo"}: ${label}` : "", loading: lazy ? "lazy" : null, decoding: "async" });
  img.addEventListener("error", placeholder, { once: true });
  box.append(img);
  return box;
}

export function fmt(value, digits = 0) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

export function stars(value) {
  if (value === null || value === undefined) return "–";
  return `${fmt(value, 2)} ★`;
}

export function plural(n, word, many = `${word}s`) {
  return `${fmt(n)} ${n === 1 ? word : many}`;
}

export function rememberSession(id) {
  try {
    localStorage.setItem("letterboxd-stats:last-session", id);
  } catch {
    /* storage unavailable: nothing to remember */
  }
}

export function forgetSession(id) {
  try {
    if (localStorage.getItem("letterboxd-stats:last-session") === id) {
      localStorage.removeItem("letterboxd-stats:last-session");
    }
  } catch {
    /* storage unavailable */
  }
}

export function lastSession() {
  try {
    return localStorage.getItem("letterboxd-stats:last-session");
  } catch {
    return null;
  }
}

// A page's line of work under way: `<prefix>-progress` (hidden without work), its label and its
// bar (indeterminate when the work has no count). `current`: {text, value, max} or null.
export function showWork(prefix, current) {
  const box = document.getElementById(`${prefix}-progress`);
  box.hidden = !current;
  if (!current) return;
  document.getElementById(`${prefix}-progress-label`).textContent = current.text;
  const bar = document.getElementById(`${prefix}-progress-bar`);
  if (current.max) {
    bar.max = current.max;
    bar.value = current.value;
  } else {
    bar.removeAttribute("value"); // indeterminate
  }
}
