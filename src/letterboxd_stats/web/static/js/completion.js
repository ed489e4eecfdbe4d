// Completion (/session/{id}/completion): how much of each collection, of the most seen
// directors' and actors' films and of the export's lists the library holds (GET
// /api/session/{id}/completion), each as a progress ring with what is missing as a watch queue.
// The owner hides a collection or a person (POST .../completion/ignore) and shows it again
// (DELETE); a viewer (share link) only reads. While the completion phase still fetches
// collections and filmographies, a progress line follows /status (every 2 s) and the page is
// loaded again when it is done.
import { api, clear, el, fmt, goneText, plural, readOnly, sessionId, showWork as showCommonWork, tmdbImage } from "./common.js";

const $ = (name) => document.getElementById(name);
const ID = sessionId();
const READ_ONLY = readOnly();
const view = $("completion-view");
const OWNER_NAME = view.dataset.username || "";
const WHOSE = READ_ONLY ? (OWNER_NAME ? `${OWNER_NAME}’s` : "the owner’s") : "your";
const POLL_MS = 2000;
const STALL_MS = 60000; // a minute without any change: stop following, say so
const FINAL = new Set(["completed", "failed", "cancelled"]); // models.FINAL_STATUSES
const SVG = "http://www.w3.org/2000/svg";
const NAMES_KEY = `completion-names:${ID}`; // the hidden items' names (the API gives ids only)

const state = { data: null, status: null, generation: 0 };

// ---------- names of what is hidden ----------

function savedNames() {
  try {
    return JSON.parse(window.localStorage.getItem(NAMES_KEY) || "{}") || {};
  } catch {
    return {};
  }
}

function rememberName(kind, id, name) {
  const names = savedNames();
  names[`${kind}:${id}`] = name;
  try {
    window.localStorage.setItem(NAMES_KEY, JSON.stringify(names));
  } catch {
    /* private mode: the fold-out says "Person 123" instead */
  }
}

const hideKind = (item) => (item.kind === "collection" ? "collection" : "person");

// ---------- the ring ----------

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

const shownPercent = (item) => (item.seen >= item.total && item.total > 0 ? 100 : Math.floor(item.percent));

// A circle whose stroke is the share seen (the circumference is 100: the dash is the percent).
function ring(item) {
  const percent = Math.max(0, Math.min(100, item.percent));
  const graphic = svg("svg", { viewBox: "0 0 36 36", class: "ring-svg", "aria-hidden": "true", focusable: "false" });
  graphic.append(
    svg("circle", { class: "ring-track", cx: 18, cy: 18, r: 15.9155, fill: "none", "stroke-width": 3.2 }),
    svg("circle", {
      class: item.seen >= item.total && item.total > 0 ? "ring-value ring-done" : "ring-value",
      cx: 18, cy: 18, r: 15.9155, fill: "none", "stroke-width": 3.2, "stroke-linecap": percent > 0 ? "round" : "butt",
      "stroke-dasharray": `${percent} ${100 - percent}`, "stroke-dashoffset": 25,
    }),
  );
  return el("div", {
    class: "ring", role: "img", "aria-label": `${fmt(item.seen)} of ${plural(item.total, "film")} seen`,
    dataset: { percent: String(item.percent) },
  }, graphic, el("span", { class: "ring-text", "aria-hidden": "true", text: `${shownPercent(item)}%` }));
}

// ---------- the missing films ----------

function missingFilm(film, index, item) {
  const label = film.year ? `${film.title} (${film.year})` : film.title;
  const badges = [];
  if (!film.released) badges.push(el("span", { class: "badge badge-soon", text: "not out yet" }));
  if (film.on_watchlist) badges.push(el("span", { class: "badge badge-watchlist", text: READ_ONLY ? "on the watchlist" : "on your watchlist" }));
  const title = film.tmdb_id
    ? el("a", { href: `https://www.themoviedb.org/movie/${film.tmdb_id}`, rel: "noopener noreferrer", class: "missing-link", text: film.title })
    : el("span", { text: film.title });
  return el("li", { class: "missing-film", dataset: { tmdbId: film.tmdb_id ?? "" } },
    film.position !== null && film.position !== undefined
      ? el("span", { class: "missing-position", title: `Number ${film.position} in ${item.name}`, text: `#${film.position}` })
      : null,
    tmdbImage(film.poster_path, label, "poster", { lazy: index >= 4 }),
    el("div", { class: "missing-text" },
      el("p", { class: "missing-title" }, title, film.year ? el("span", { class: "missing-year", text: ` (${film.year})` }) : null),
      badges.length ? el("p", { class: "missing-badges" }, ...badges) : null));
}

function missingBlock(item) {
  if (item.missing_count === 0) return el("p", { class: "complete small", text: "Complete: every film seen." });
  const list = el("ol", { class: "missing-list" }, ...item.missing.map((film, i) => missingFilm(film, i, item)));
  const more = item.missing_count - item.missing.length;
  return el("details", { class: "missing" },
    el("summary", {}, "What’s missing ", el("span", { class: "muted small", text: `(${fmt(item.missing_count)})` })),
    list,
    more > 0 ? el("p", { class: "muted small", text: `And ${plural(more, "more film")}.` }) : null);
}

// ---------- a card ----------

function card(item) {
  const kind = item.kind === "collection" || item.kind === "list" ? "poster" : "profile";
  const image = item.kind === "list" ? null : tmdbImage(item.image, item.name, kind, { lazy: true });
  const hide = !READ_ONLY && item.kind !== "list"
    ? el("button", { type: "button", class: "link-button hide-button", dataset: { kind: hideKind(item), id: item.id }, "aria-label": `Hide ${item.name}`, text: "Hide" })
    : null;
  if (hide) hide.addEventListener("click", () => setHidden(hideKind(item), item.id, item.name, true, hide));
  return el("li", { class: `completion-card completion-${item.kind}`, dataset: { kind: item.kind, id: item.id } },
    el("div", { class: "card-head" },
      ring(item),
      image,
      el("div", { class: "card-text" },
        el("h3", { class: "card-name", text: item.name }),
        el("p", { class: "card-count", text: `${fmt(item.seen)} of ${fmt(item.total)}` }),
        hide)),
    missingBlock(item));
}

const SECTIONS = [
  ["collections", (d) => d.collections, "collection", "collections"],
  ["directors", (d) => d.people.directors, "director", "directors"],
  ["actors", (d) => d.people.actors, "actor", "actors"],
  ["lists", (d) => d.lists, "list", "lists"],
];

function emptyText(name, data) {
  const hiddenOf = (kind) => data.hidden.filter((h) => h.kind === kind).length;
  const fetching = data.pending ? " Still being fetched: this page fills in by itself." : "";
  if (name === "collections") {
    const hidden = hiddenOf("collection");
    return `None of the films seen belongs to a collection${hidden ? ` (${plural(hidden, "collection")} hidden)` : ""}.${fetching}`;
  }
  if (name === "directors" || name === "actors") {
    const hidden = hiddenOf("person");
    return `No ${name === "directors" ? "director’s" : "actor’s"} filmography to show${hidden ? ` (${plural(hidden, "person", "people")} hidden)` : ""}.${fetching}`;
  }
  return READ_ONLY
    ? "This library’s export has no lists."
    : "Your export has no lists: lists you make on Letterboxd show here once you update your export (My data).";
}

function render(data) {
  state.data = data;
  for (const [name, pick, word, words] of SECTIONS) {
    const items = pick(data);
    const list = $(`${name}-list`);
    clear(list);
    for (const item of items) list.append(card(item));
    const empty = $(`${name}-empty`);
    empty.hidden = items.length > 0;
    empty.textContent = items.length ? "" : emptyText(name, data);
    $(`${name}-count`).textContent = items.length ? plural(items.length, word, words) : "";
    $(`sec-${name}`).removeAttribute("aria-busy");
  }
  if (!READ_ONLY) renderHidden(data.hidden);
}

function renderHidden(hidden) {
  const names = savedNames();
  const list = $("hidden-list");
  clear(list);
  for (const h of hidden) {
    const name = names[`${h.kind}:${h.id}`] || `${h.kind === "collection" ? "Collection" : "Person"} ${h.id}`;
    const button = el("button", { type: "button", class: "button small show-button", dataset: { kind: h.kind, id: h.id }, "aria-label": `Show ${name} again`, text: "Show again" });
    button.addEventListener("click", () => setHidden(h.kind, h.id, name, false, button));
    list.append(el("li", { class: "hidden-item", dataset: { kind: h.kind, id: h.id } },
      el("span", { class: "hidden-name", text: name }),
      el("span", { class: "muted small", text: h.kind === "collection" ? "collection" : "person" }),
      button));
  }
  $("hidden-empty").hidden = hidden.length > 0;
  $("hidden-count").textContent = hidden.length ? `(${fmt(hidden.length)})` : "";
}

// ---------- loading, hiding ----------

function showNotice(text) {
  const box = $("completion-notice");
  box.textContent = text;
  box.hidden = !text;
}

async function load() {
  const generation = ++state.generation;
  view.dataset.state = "loading";
  try {
    const data = await api(`/api/session/${ID}/completion`);
    if (generation !== state.generation) return null;
    render(data);
    showNotice("");
    view.dataset.state = "ready";
    return data;
  } catch (error) {
    if (generation !== state.generation) return null;
    showNotice(error.status === 404 ? goneText() : `The completion could not be loaded: ${error.message}`);
    view.dataset.state = "ready";
    return null;
  }
}

async function setHidden(kind, id, name, hidden, button) {
  button.disabled = true;
  if (hidden) rememberName(kind, id, name);
  try {
    await api(`/api/session/${ID}/completion/ignore`, {
      method: hidden ? "POST" : "DELETE",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ kind, id }),
    });
    await load();
    const summary = document.querySelector("#hidden-block > summary");
    if (hidden && summary) summary.focus(); // the card is gone: where it can be shown again
  } catch (error) {
    button.disabled = false;
    showNotice(`${hidden ? "Not hidden" : "Not shown again"}: ${error.message}`);
  }
}

// ---------- following the completion phase ----------

const jobRunning = (s) => Boolean(s && !FINAL.has(s.status));
const extrasRunning = (s) => Boolean(s && s.extras_total > 0 && s.extras_done < s.extras_total);
const busy = (s) => jobRunning(s) || extrasRunning(s);

function work(status, data) {
  if (jobRunning(status)) {
    return { text: `Matching ${WHOSE} library to TMDB: ${fmt(status.enriched_count)} of ${plural(status.total_movies, "film")}; collections and filmographies follow.`, value: status.enriched_count, max: status.total_movies };
  }
  if (extrasRunning(status)) {
    return { text: `Fetching collections and filmographies: ${fmt(status.extras_done)} of ${fmt(status.extras_total)}`, value: status.extras_done, max: status.extras_total };
  }
  if (data && data.pending) return { text: "Fetching collections and filmographies…", value: null, max: null };
  return null;
}

function showWork(current) {
  view.dataset.working = current ? "true" : "false";
  showCommonWork("completion", current);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

async function follow() {
  let last = "";
  let since = Date.now();
  for (;;) {
    const current = work(state.status, state.data);
    showWork(current);
    if (!current) return;
    const s = state.status || {};
    const signature = JSON.stringify([s.status, s.enriched_count, s.extras_done, s.extras_total, state.data?.pending]);
    if (signature !== last) since = Date.now();
    last = signature;
    if (Date.now() - since >= STALL_MS) {
      $("completion-progress-label").textContent = `${current.text} This is taking a while: it goes on in the background; reload the page later to see the rest.`;
      return;
    }
    await pause();
    const wasBusy = busy(state.status);
    try {
      state.status = await api(`/api/session/${ID}/status`);
    } catch (error) {
      if (error.status === 404) {
        showWork(null);
        showNotice(goneText());
        return;
      }
      continue; // the server away a moment: try again
    }
    if (busy(state.status)) continue;
    if (wasBusy || state.data?.pending) await load(); // done: show what was fetched
  }
}

// ---------- start ----------

Promise.all([load(), api(`/api/session/${ID}/status`).catch(() => null)]).then(([data, status]) => {
  state.status = status;
  if (data) follow();
});
