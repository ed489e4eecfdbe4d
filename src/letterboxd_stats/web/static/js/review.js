// Review matches: the films unmatched or flagged, and a TMDB search to pick the right one.
import { api, clear, el, fmt, plural, rememberSession, sessionId, tmdbImage, yearBounds } from "./common.js";

const id = sessionId();
rememberSession(id);
const list = document.getElementById("review-list");
const countLine = document.getElementById("review-count");
const errorBox = document.getElementById("review-error");
const showAll = document.getElementById("show-all");
const filter = document.getElementById("filter");
let movies = [];

const ATTENTION = new Set(["needs_review", "unmatched", "failed"]);
const STATUS_WORDS = {
  matched: "Matched",
  needs_review: "Needs review",
  unmatched: "Not found",
  failed: "Failed",
  pending: "Not enriched yet",
};

async function loadAll() {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api(`/api/session/${id}/movies?limit=500&offset=${offset}`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return items;
}

function statusText(movie) {
  if (movie.match_method === "user") return "Matched · chosen by you";
  if (movie.match_method === "community") return "Matched · as other libraries fixed it";
  const confidence = movie.match_confidence !== null && movie.match_status !== "unmatched" ? ` · confidence ${fmt(movie.match_confidence * 100, 0)} %` : "";
  return `${STATUS_WORDS[movie.match_status] || movie.match_status}${confidence}`;
}

function currentMatch(movie) {
  if (!movie.tmdb_id) return el("p", { class: "match-none", text: movie.match_reason ? `No film chosen: ${movie.match_reason}` : "No film chosen." });
  const year = movie.release_date ? movie.release_date.slice(0, 4) : "unknown year";
  return el("p", { class: "match-current" },
    "Matched to ",
    el("a", { href: `https://www.themoviedb.org/${movie.tmdb_kind === "tv" ? "tv" : "movie"}/${movie.tmdb_id}`, rel: "noopener noreferrer", target: "_blank", text: `${movie.tmdb_title || "TMDB film"} (${year})` }),
    movie.tmdb_kind === "tv" ? el("span", { class: "muted", text: " · TV series" }) : null,
    movie.match_reason && movie.match_status !== "matched" ? el("span", { class: "muted", text: ` — ${movie.match_reason}` }) : null);
}

function candidateItem(movie, candidate, item) {
  const choose = el("button", { class: "button primary small", type: "button", text: "Choose this film" });
  choose.setAttribute("aria-label", `Choose ${candidate.title}${candidate.year ? ` (${candidate.year})` : ""}`);
  choose.addEventListener("click", async () => {
    choose.disabled = true;
    choose.textContent = "Saving…";
    try {
      const updated = await api(`/api/session/${id}/movies/${movie.movie_id}/match`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ tmdb_id: candidate.tmdb_id, kind: candidate.kind }),
      });
      const index = movies.findIndex((m) => m.movie_id === movie.movie_id);
      movies[index] = updated;
      const fresh = movieItem(updated);
      item.replaceWith(fresh);
      fresh.querySelector(".saved").textContent = "Saved. Your statistics now use this film.";
      fresh.querySelector("h2").focus();
    } catch (error) {
      choose.disabled = false;
      choose.textContent = "Choose this film";
      item.querySelector(".search-state").textContent = `Could not save: ${error.message}`;
    }
  });
  return el("li", { class: "candidate" },
    tmdbImage(candidate.poster_path, candidate.title),
    el("div", { class: "candidate-body" },
      el("p", { class: "candidate-title" }, el("strong", { text: candidate.title }), candidate.year ? ` (${candidate.year})` : "", candidate.kind === "tv" ? el("span", { class: "muted", text: " · TV series" }) : ""),
      candidate.original_title && candidate.original_title !== candidate.title ? el("p", { class: "muted small", text: candidate.original_title }) : null,
      candidate.overview ? el("p", { class: "overview", text: candidate.overview }) : null,
      choose));
}

function searchForm(movie, item) {
  const n = movie.movie_id;
  const query = el("input", { type: "search", id: `q-${n}`, name: "query", value: movie.title, required: true, maxlength: 200 });
  const { min, max } = yearBounds();
  const year = el("input", { type: "number", id: `y-${n}`, name: "year", value: movie.year ?? "", min, max, inputmode: "numeric" });
  const kind = el("select", { id: `k-${n}`, name: "kind" },
    el("option", { value: "movie", text: "Films" }),
    el("option", { value: "tv", text: "TV series" }));
  if (movie.tmdb_kind === "tv") kind.value = "tv";
  const results = el("ol", { class: "candidates" });
  const stateLine = el("p", { class: "search-state muted", "aria-live": "polite" });
  const form = el("form", { class: "search-form", role: "search" },
    el("label", { for: `q-${n}` }, "Title"), query,
    el("label", { for: `y-${n}` }, "Year"), year,
    el("label", { for: `k-${n}` }, "Among"), kind,
    el("button", { class: "button", type: "submit", text: "Search TMDB" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(results);
    stateLine.textContent = "Searching…";
    const params = new URLSearchParams({ query: query.value.trim() });
    if (year.value) params.set("year", year.value);
    if (kind.value === "tv") params.set("kind", "tv");
    try {
      const body = await api(`/api/session/${id}/tmdb/search?${params}`);
      stateLine.textContent = body.results.length ? `${plural(body.results.length, "result")}.` : `No ${kind.value === "tv" ? "series" : "film"} found. Try another title, no year, or ${kind.value === "tv" ? "films" : "TV series"}.`;
      for (const candidate of body.results) results.append(candidateItem(movie, candidate, item));
    } catch (error) {
      stateLine.textContent = error.kind === "TmdbDisabled"
        ? "Searching TMDB is not available: this server has no TMDB API key configured."
        : `The search did not work: ${error.message}`;
    }
  });
  return el("div", { class: "search-box" }, form, stateLine, results);
}

function movieItem(movie) {
  const item = el("li", { class: `review-item status-${movie.match_status}`, dataset: { movieId: movie.movie_id } });
  const open = el("button", { class: "button", type: "button", "aria-expanded": "false", text: "Find the right film" });
  const slot = el("div", { class: "search-slot" });
  open.addEventListener("click", () => {
    const expanded = open.getAttribute("aria-expanded") === "true";
    open.setAttribute("aria-expanded", String(!expanded));
    clear(slot);
    if (!expanded) {
      slot.append(searchForm(movie, item));
      slot.querySelector("input").focus();
    }
  });
  item.append(
    tmdbImage(movie.poster_path, movie.tmdb_title || movie.title, "poster", { lazy: true }),
    el("div", { class: "review-body" },
      el("h2", { class: "review-title", tabindex: "-1" }, movie.title, movie.year ? el("span", { class: "muted", text: ` (${movie.year})` }) : null),
      el("p", { class: `badge badge-${movie.match_method === "user" ? "user" : movie.match_status}`, text: statusText(movie) }),
      currentMatch(movie),
      el("p", { class: "saved", "aria-live": "polite" }),
      open,
      slot));
  return item;
}

function renderList() {
  const needle = filter.value.trim().toLowerCase();
  const visible = movies.filter((m) => (showAll.checked || ATTENTION.has(m.match_status)) && (!needle || m.title.toLowerCase().includes(needle)));
  const attention = movies.filter((m) => ATTENTION.has(m.match_status)).length;
  countLine.textContent = `${plural(attention, "film")} to check out of ${fmt(movies.length)}. Showing ${fmt(Math.min(visible.length, 200))}${visible.length > 200 ? ` of ${fmt(visible.length)} (filter by title to narrow)` : ""}.`;
  clear(list);
  if (!visible.length) {
    list.append(el("li", { class: "empty panel", text: showAll.checked || needle ? "No film matches." : "Every film was matched with confidence. Tick “Show all films” to change any match." }));
  }
  for (const movie of visible.slice(0, 200)) list.append(movieItem(movie));
}

showAll.addEventListener("change", renderList);
filter.addEventListener("input", renderList);

loadAll().then(
  (items) => {
    movies = items;
    list.removeAttribute("aria-busy");
    renderList();
  },
  (error) => {
    list.removeAttribute("aria-busy");
    clear(list);
    errorBox.textContent = `Your films could not be loaded: ${error.message}`;
    errorBox.hidden = false;
    countLine.textContent = "";
  },
);
