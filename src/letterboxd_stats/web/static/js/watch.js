// What to watch (/session/{id}/watch): the watchlist ranked by the stars its owner would likely
// give each film (GET /api/session/{id}/watchlist), with the model's accuracy in plain words,
// filters, and where each film streams in a region (JustWatch's data through TMDB, credited).
// The owner picks their services and region, saved with PUT /api/session/{id}/watch-settings; a
// viewer (share link) saves nothing: their region only changes the view (?region=). While the
// library, its watchlist, the offers or the model are still being worked on, a progress line
// follows /status (every 2 s) and the list is loaded again when the work is done.
import { api, clear, el, fmt, goneText, plural, readOnly, sessionId, showWork as showCommonWork, tmdbImage } from "./common.js";

const $ = (name) => document.getElementById(name);
const ID = sessionId();
const READ_ONLY = readOnly();
const view = $("watch-view");
const OWNER_NAME = view.dataset.username || "";
const WHOSE = READ_ONLY ? (OWNER_NAME ? `${OWNER_NAME}’s` : "the owner’s") : "your";
const PAGE = 20; // films per page ("Show more" asks for the next ones)
const FACETS = 500; // the API's largest page: the genres and decades the filters offer
const POLL_MS = 2000;
const STALL_POLLS = 15; // 30 s without any change: stop following, say so
const FINAL = new Set(["completed", "failed", "cancelled"]); // models.FINAL_STATUSES
const SORTS = new Set(["predicted", "runtime", "added", "popularity"]);
const LOGO_BASE = "https://image.tmdb.org/t/p/w92";
// The offers as the page groups them: to stream (subscription), free (with or without ads), to rent, to buy.
const GROUPS = [
  ["Stream", ["flatrate"]],
  ["Free", ["free", "ads"]],
  ["Rent", ["rent"]],
  ["Buy", ["buy"]],
];
const VERBS = { Stream: "stream", Free: "watch free", Rent: "rent", Buy: "buy" };

const state = {
  filters: filtersFromUrl(),
  where: null,
  model: null,
  services: [], // the library's services (TMDB provider ids), as saved
  items: [],
  total: 0,
  generation: 0, // a newer load makes an older answer moot
  servicesDirty: false, // the owner ticked boxes not saved yet: a reload keeps them
  status: null, // the last /status
  keptNotice: "", // shown after the next list loaded (why the address's filters were dropped)
};

// ---------- the filters and the address ----------

function filtersFromUrl() {
  const q = new URLSearchParams(window.location.search);
  const digits = (name) => (/^\d{1,6}$/.test(q.get(name) || "") ? q.get(name) : "");
  const region = q.get("region") || "";
  return {
    mine: q.get("mine") === "1",
    // the owner's region is the saved one; only a viewer's view takes one from the address
    region: READ_ONLY && /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : "",
    max_runtime: digits("max_runtime"),
    genre: (q.get("genre") || "").slice(0, 100),
    decade: digits("decade"),
    sort: SORTS.has(q.get("sort")) ? q.get("sort") : "predicted",
  };
}

function writeUrl() {
  const f = state.filters;
  const url = new URL(window.location.href);
  const put = (name, value) => (value ? url.searchParams.set(name, value) : url.searchParams.delete(name));
  put("mine", f.mine ? "1" : "");
  put("region", f.region);
  put("max_runtime", f.max_runtime);
  put("genre", f.genre);
  put("decade", f.decade);
  put("sort", f.sort === "predicted" ? "" : f.sort);
  window.history.replaceState(null, "", url);
}

const onMine = () => state.filters.mine && state.services.length > 0;

// The list's query: what the filters ask for (without the page).
function listQuery() {
  const f = state.filters;
  const q = new URLSearchParams();
  if (f.region) q.set("region", f.region);
  if (onMine()) q.set("providers", state.services.join(","));
  if (f.max_runtime) q.set("max_runtime", f.max_runtime);
  if (f.genre) q.set("genre", f.genre);
  if (f.decade) q.set("decade", f.decade);
  if (f.sort !== "predicted") q.set("sort", f.sort);
  return q;
}

const filtered = () => Boolean(onMine() || state.filters.max_runtime || state.filters.genre || state.filters.decade);

function watchlist(query, offset, limit) {
  const q = new URLSearchParams(query);
  q.set("limit", String(limit));
  q.set("offset", String(offset));
  return api(`/api/session/${ID}/watchlist?${q}`);
}

// ---------- the accuracy block ----------

const stars2 = (value) => `${value.toFixed(2)}★`;

function renderModel(m) {
  state.model = m;
  const rankedBy = $("ranked-by");
  const note = $("accuracy-note");
  $("accuracy-summary").textContent = m.summary;
  rankedBy.hidden = false;
  let noteText = "";
  if (m.status === "ready") {
    rankedBy.textContent = m.ranked_by === "tmdb_average"
      ? `Ranked by TMDB’s average rating, fitted to ${WHOSE} ratings: the model learned from them guessed no better.`
      : `Ranked by ${WHOSE} taste: a model learned from ${plural(m.rated, "rated film")}.`;
    rankedBy.dataset.rankedBy = m.ranked_by;
    if (!m.up_to_date) noteText = "The library changed since: the predictions are being brought up to date, this page follows.";
  } else if (m.status === "training") {
    rankedBy.textContent = "Not ranked yet: the predictions are being computed.";
    noteText = "This page fills in the predictions by itself when they are ready.";
  } else {
    rankedBy.textContent = "Not ranked: too few rated films for predictions.";
    noteText = READ_ONLY
      ? `Predictions need ${m.min_rated} rated films matched on TMDB.`
      : `Rate at least ${m.min_rated} films on Letterboxd, then update your export from My data: the predictions follow.`;
  }
  note.textContent = noteText;
  note.hidden = !noteText;
  const figures = $("accuracy-figures");
  figures.hidden = !m.model;
  if (m.model) {
    $("figures-caption").textContent = `Measured on ${plural(m.rated, "rated film")}, each guessed without its own rating (cross-validation).`;
    const rows = $("figures-rows");
    clear(rows);
    const row = (name, score, chosen) => el("tr", { class: chosen ? "figures-used" : null },
      el("th", { scope: "row", text: chosen ? `${name} (used)` : name }),
      el("td", { text: score ? stars2(score.mae) : "–" }),
      el("td", { text: score && score.spearman !== null ? fmt(score.spearman, 2) : "–" }));
    rows.append(
      row(`A model of ${WHOSE} ratings`, m.model, m.ranked_by === "model"),
      row(`TMDB’s average, fitted to ${WHOSE} ratings`, m.tmdb_average, m.ranked_by === "tmdb_average"),
      row(`${capital(WHOSE)} mean rating`, m.mean_rating, false));
  }
  $("accuracy").removeAttribute("aria-busy");
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

// ---------- where: region, services, the credit ----------

function providerName(id) {
  const known = state.where?.providers.find((p) => p.id === id);
  return known?.name || null;
}

function renderWhere(where) {
  state.where = where;
  state.services = where.services;
  // the region: where any film of the watchlist is offered (and the current one)
  const select = $("f-region");
  clear(select);
  for (const r of where.regions) {
    select.append(el("option", { value: r.code, text: `${r.name} (${plural(r.films, "film")})` }));
  }
  select.value = where.region;
  renderMineToggle();
  if (!READ_ONLY) renderServices(where);
  renderCredit(where.attribution);
}

function renderMineToggle() {
  const box = $("f-mine");
  const hint = $("mine-hint");
  const services = state.services;
  box.disabled = services.length === 0;
  box.checked = onMine();
  if (!services.length) {
    hint.textContent = READ_ONLY
      ? `${OWNER_NAME || "The owner"} has not chosen any services.`
      : "Choose your services below first.";
    return;
  }
  const names = services.map(providerName).filter(Boolean);
  const others = services.length - names.length;
  const listed = [...names, ...(others ? [`${plural(others, "other")}`] : [])].join(", ");
  hint.textContent = `${listed}: films streaming there, by subscription or free.`;
}

// A provider's logo; when it is missing or fails to load: its name (`alt` empty: its name is
// written beside it, so its initials in a square instead).
function logo(provider, alt) {
  const name = provider.name || `Provider ${provider.id}`;
  const initials = name.split(/\s+/).map((word) => word[0]).join("").slice(0, 2).toUpperCase();
  const fallback = () => (alt
    ? el("span", { class: "logo-text", text: name })
    : el("span", { class: "logo-initials", "aria-hidden": "true", text: initials }));
  if (!provider.logo_path) return fallback();
  const img = el("img", { src: LOGO_BASE + provider.logo_path, alt, width: 32, height: 32, loading: "lazy", decoding: "async" });
  img.addEventListener("error", () => img.replaceWith(fallback()), { once: true });
  return img;
}

function renderServices(where) {
  $("services-region").textContent = where.region_name;
  const chosen = new Set(state.servicesDirty ? checkedServices() : state.services);
  const list = $("services-list");
  clear(list);
  if (!where.providers.length) {
    list.append(el("li", { class: "empty", text: `No service streams any film of the watchlist in ${where.region_name}.` }));
  }
  for (const p of where.providers) {
    const input = el("input", { type: "checkbox", value: String(p.id), id: `service-${p.id}`, checked: chosen.has(p.id) });
    list.append(el("li", {},
      el("label", { class: "service", for: `service-${p.id}` }, input,
        logo(p, ""),
        el("span", { class: "service-name", text: p.name || `Provider ${p.id}` }),
        el("span", { class: "service-films muted small", text: plural(p.films, "film") }))));
  }
  const listed = new Set(where.providers.map((p) => p.id));
  const unlisted = state.services.filter((id) => !listed.has(id));
  const other = $("services-other");
  other.hidden = unlisted.length === 0;
  other.textContent = `Also kept: ${plural(unlisted.length, "saved service")} streaming none of these films in ${where.region_name}.`;
  $("services-count").textContent = state.services.length ? `(${fmt(state.services.length)} chosen)` : "(none chosen)";
}

function checkedServices() {
  return [...$("services-list").querySelectorAll("input:checked")].map((input) => Number(input.value));
}

// where.attribution, its "JustWatch" a link to JustWatch
function renderCredit(text) {
  const credit = $("watch-credit");
  clear(credit);
  const at = text.indexOf("JustWatch");
  const link = el("a", { href: "https://www.justwatch.com", rel: "noopener noreferrer", text: "JustWatch" });
  if (at < 0) credit.append(text, " ", link);
  else credit.append(text.slice(0, at), link, text.slice(at + "JustWatch".length));
}

// ---------- the facets: the genres and decades of the watchlist ----------

function renderFacets(items) {
  const genres = new Map();
  const decades = new Map();
  for (const item of items) {
    for (const g of item.genres) genres.set(g, (genres.get(g) || 0) + 1);
    if (item.year) decades.set(Math.floor(item.year / 10) * 10, (decades.get(Math.floor(item.year / 10) * 10) || 0) + 1);
  }
  const fill = (select, anyText, entries, label, current) => {
    clear(select);
    select.append(el("option", { value: "", text: anyText }));
    for (const [value, count] of entries) select.append(el("option", { value: String(value), text: `${label(value)} (${fmt(count)})` }));
    if (current && ![...select.options].some((o) => o.value === current)) {
      select.append(el("option", { value: current, text: `${label(current)} (0)` }));
    }
    select.value = current;
  };
  fill($("f-genre"), "Any genre", [...genres].sort((a, b) => a[0].localeCompare(b[0])), String, state.filters.genre);
  fill($("f-decade"), "Any decade", [...decades].sort((a, b) => b[0] - a[0]), (d) => `${d}s`, state.filters.decade);
}

// ---------- the list ----------

const oneDecimal = (value) => value.toFixed(1);
const addedOn = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

function score(item) {
  if (item.predicted === null || item.predicted === undefined) {
    return el("p", { class: "watch-score watch-score-none", text: "No prediction yet" });
  }
  return el("p", { class: "watch-score", title: "Predicted stars, and the range of the usual error" },
    el("span", { class: "visually-hidden", text: "Predicted: " }),
    el("b", { class: "watch-stars", text: `${oneDecimal(item.predicted)}★` }), " ",
    el("span", { class: "watch-range", text: `(${oneDecimal(item.low)}–${oneDecimal(item.high)})` }));
}

function offers(item) {
  const o = item.offers;
  const where = state.where;
  if (!o) {
    const text = item.tmdb_id || phaseRunning(state.status)
      ? "Where to watch: being fetched…"
      : "Not matched on TMDB: where to watch it is unknown.";
    return el("p", { class: "offers-none muted small", text });
  }
  const groups = GROUPS.map(([name, kinds]) => {
    const seen = new Set();
    const providers = [];
    for (const kind of kinds) {
      for (const p of o[kind]) {
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        providers.push({ ...p, ads: kind === "ads" });
      }
    }
    return [name, providers];
  }).filter(([, providers]) => providers.length);
  if (!groups.length) return el("p", { class: "offers-none muted small", text: `Not offered in ${where.region_name}.` });
  const box = el("div", { class: "offers" });
  for (const [name, providers] of groups) {
    const list = el("ul", { class: "logos", "aria-label": `${name} in ${where.region_name}` });
    for (const p of providers) {
      const mine = name !== "Rent" && name !== "Buy" && state.services.includes(p.id);
      const what = `${p.name || `Provider ${p.id}`}${p.ads ? " (with ads)" : ""}`;
      const alt = mine ? `${what}, one of ${WHOSE} services` : what;
      const image = logo(p, alt);
      const inner = o.link
        ? el("a", { href: o.link, target: "_blank", rel: "noopener noreferrer", title: `${what}: ${VERBS[name]} in ${where.region_name} (opens TMDB’s page)` }, image)
        : el("span", { title: what }, image);
      list.append(el("li", { class: mine ? "logo mine" : "logo" }, inner));
    }
    box.append(el("div", { class: "offer-group" }, el("span", { class: "offer-kind", "aria-hidden": "true", text: name }), list));
  }
  return box;
}

function itemRow(item, index) {
  const label = item.year ? `${item.title} (${item.year})` : item.title;
  const poster = tmdbImage(item.poster_path, label, "poster", { lazy: index >= 6 });
  const meta = [item.runtime ? `${item.runtime} min` : null, item.genres.join(", ") || null, `added ${addedOn(item.added_on)}`].filter(Boolean);
  const reasons = item.reasons.slice(0, 3);
  return el("li", { class: "watch-item", dataset: { entry: item.entry_no } },
    poster,
    el("div", { class: "watch-head-cell" },
      el("h3", { class: "watch-title", tabindex: "-1" },
        el("span", { class: "watch-title-text", text: item.title }),
        item.year ? el("span", { class: "watch-year", text: ` (${item.year})` }) : null),
      el("p", { class: "watch-meta", text: meta.join(" · ") })),
    score(item),
    el("div", { class: "watch-details" },
      reasons.length ? el("ul", { class: "reasons", "aria-label": "Why" }, ...reasons.map((r) => el("li", { text: r }))) : null,
      offers(item)));
}

// state.items holds the films shown, answer.items the last of them (appended or all).
function renderList(answer, append) {
  const list = $("watch-list");
  if (!append) clear(list);
  const start = state.items.length - answer.items.length;
  answer.items.forEach((item, i) => list.append(itemRow(item, start + i)));
  state.total = answer.total;
  const shown = state.items.length;
  $("watch-count").textContent = shown ? `${fmt(shown)} of ${plural(answer.total, "film")}` : "";
  const more = $("watch-more");
  more.hidden = shown >= answer.total;
  more.textContent = `Show more (${fmt(Math.min(PAGE, answer.total - shown))})`;
  renderEmpty(answer);
}

function renderEmpty(answer) {
  const box = $("watch-empty");
  const reset = $("watch-reset");
  box.hidden = answer.total > 0;
  if (answer.total > 0) return;
  const region = state.where ? state.where.region_name : "this region";
  let text;
  if (!filtered()) {
    text = READ_ONLY
      ? "This watchlist is empty."
      : "Your watchlist is empty: films you add to your watchlist on Letterboxd show here once you update your export (My data).";
    reset.hidden = true;
  } else if (onMine() && !state.filters.max_runtime && !state.filters.genre && !state.filters.decade) {
    text = `None of the watchlist’s films streams on ${WHOSE} services in ${region}.`;
    reset.hidden = false;
  } else {
    text = onMine() ? `No film on ${WHOSE} services in ${region} matches these filters.` : "No film of the watchlist matches these filters.";
    reset.hidden = false;
  }
  $("watch-empty-text").textContent = text;
}

// ---------- loading ----------

function showNotice(text) {
  const box = $("watch-notice");
  box.textContent = text;
  box.hidden = !text;
}

function failed(error, what) {
  if (error.status === 404) showNotice(goneText());
  else showNotice(`${what} could not be loaded: ${error.message}`);
}

function busy(on) {
  view.dataset.state = on ? "loading" : "ready";
  if (on) $("watch-results").setAttribute("aria-busy", "true");
  else $("watch-results").removeAttribute("aria-busy");
}

// The whole page: the facets (and where, the model) from the watchlist unfiltered, then the list.
// `keep`: as many films as are shown now (a reload after the work in the background).
async function loadAll({ keep = false } = {}) {
  const generation = ++state.generation;
  busy(true);
  try {
    const base = new URLSearchParams();
    if (state.filters.region) base.set("region", state.filters.region);
    base.set("sort", "added");
    const [all, status] = await Promise.all([
      watchlist(base, 0, FACETS),
      api(`/api/session/${ID}/status`).catch(() => null),
    ]);
    if (generation !== state.generation) return null;
    if (status) state.status = status;
    renderWhere(all.where);
    renderModel(all.model);
    renderFacets(all.items);
    await loadList({ generation, limit: keep ? Math.max(PAGE, state.items.length) : PAGE });
    return all;
  } catch (error) {
    if (generation !== state.generation) return null;
    if (dropFilters(error)) return loadAll();
    failed(error, "The watchlist");
    busy(false);
    return null;
  }
}

async function loadList({ generation = ++state.generation, limit = PAGE } = {}) {
  busy(true);
  const query = listQuery();
  try {
    const answer = await watchlist(query, 0, limit);
    if (generation !== state.generation) return;
    showNotice(state.keptNotice || "");
    state.keptNotice = "";
    state.items = answer.items;
    renderModel(answer.model);
    state.where = answer.where;
    renderList(answer, false);
    view.dataset.query = query.toString();
    busy(false);
  } catch (error) {
    if (generation !== state.generation) return;
    if (dropFilters(error)) {
      await loadAll();
      return;
    }
    failed(error, "The watchlist");
    busy(false);
  }
}

// A filter the API refuses (422: one written in the address by hand): every film instead, said so.
function dropFilters(error) {
  if (error.status !== 422 || !(filtered() || state.filters.region)) return false;
  Object.assign(state.filters, { mine: false, region: "", max_runtime: "", genre: "", decade: "" });
  writeUrl();
  syncControls();
  state.keptNotice = `The address asked for a filter that does not work (${error.message}): showing every film.`;
  return true;
}

async function showMore() {
  const more = $("watch-more");
  more.disabled = true;
  const generation = state.generation;
  const start = state.items.length;
  try {
    const answer = await watchlist(listQuery(), start, PAGE);
    if (generation !== state.generation) return;
    state.items = [...state.items, ...answer.items];
    renderList(answer, true);
    const next = $("watch-list").children[start]?.querySelector(".watch-title");
    if (next) next.focus();
  } catch (error) {
    failed(error, "More films");
  } finally {
    more.disabled = false;
  }
}

// ---------- the filters' controls ----------

function syncControls() {
  const f = state.filters;
  $("f-runtime").value = f.max_runtime;
  $("f-sort").value = f.sort;
  if (![...$("f-runtime").options].some((o) => o.value === f.max_runtime)) {
    $("f-runtime").append(el("option", { value: f.max_runtime, text: `Up to ${f.max_runtime} min` }));
    $("f-runtime").value = f.max_runtime;
  }
}

function changed(name, value) {
  state.filters[name] = value;
  writeUrl();
  busy(true);
  loadList();
}

$("f-mine").addEventListener("change", (event) => changed("mine", event.target.checked));
$("f-runtime").addEventListener("change", (event) => changed("max_runtime", event.target.value));
$("f-genre").addEventListener("change", (event) => changed("genre", event.target.value));
$("f-decade").addEventListener("change", (event) => changed("decade", event.target.value));
$("f-sort").addEventListener("change", (event) => changed("sort", event.target.value));
$("watch-filters").addEventListener("submit", (event) => event.preventDefault());
$("watch-more").addEventListener("click", showMore);
$("watch-reset").addEventListener("click", () => {
  Object.assign(state.filters, { mine: false, max_runtime: "", genre: "", decade: "" });
  writeUrl();
  syncControls();
  renderMineToggle();
  $("f-genre").value = "";
  $("f-decade").value = "";
  busy(true);
  loadList();
  $("f-mine").focus();
});

function say(id, text, isError = false) {
  const node = $(id);
  node.textContent = text;
  node.classList.toggle("form-error", isError);
}

async function saveSettings(region, services) {
  return api(`/api/session/${ID}/watch-settings`, {
    method: "PUT",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify({ region, services }),
  });
}

$("f-region").addEventListener("change", async (event) => {
  const code = event.target.value;
  const name = event.target.selectedOptions[0]?.text.replace(/ \(.*\)$/, "") || code;
  if (READ_ONLY) {
    state.filters.region = code;
    writeUrl();
    loadAll();
    return;
  }
  busy(true);
  say("region-state", "Saving…");
  try {
    await saveSettings(code, state.services);
    say("region-state", `Saved: ${name}.`);
    await loadAll();
  } catch (error) {
    say("region-state", `Not saved: ${error.message}`, true);
    event.target.value = state.where ? state.where.region : "";
    busy(false);
  }
});

if (!READ_ONLY) {
  $("services-list").addEventListener("change", () => {
    state.servicesDirty = true;
    say("services-state", "");
  });
  $("services-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const save = $("services-save");
    const listed = new Set(state.where ? state.where.providers.map((p) => p.id) : []);
    // the saved services not offered here stay saved
    const services = [...checkedServices(), ...state.services.filter((id) => !listed.has(id))];
    save.disabled = true;
    say("services-state", "Saving…");
    try {
      const saved = await saveSettings(state.where ? state.where.region : null, services);
      const before = state.services.length;
      state.servicesDirty = false;
      state.services = saved.services;
      state.where = { ...state.where, services: saved.services };
      if (!before && saved.services.length) state.filters.mine = true; // the first services: show what is on them
      if (!saved.services.length) state.filters.mine = false;
      writeUrl();
      renderServices(state.where);
      renderMineToggle();
      say("services-state", saved.services.length ? `Saved: ${plural(saved.services.length, "service")}.` : "Saved: no service.");
      busy(true);
      await loadList();
    } catch (error) {
      say("services-state", `Not saved: ${error.message}`, true);
    } finally {
      save.disabled = false;
    }
  });
}

// ---------- following the work in the background ----------

// The library or its watchlist still being matched (the job's phases, from /status).
function phaseRunning(status) {
  return Boolean(status && (!FINAL.has(status.status) || (status.status === "completed" && status.watchlist_enriched < status.watchlist_total)));
}

function modelBusy() {
  const m = state.model;
  return Boolean(m && (m.status === "training" || (m.status === "ready" && !m.up_to_date)));
}

const afterPhase = () => Boolean(state.where && state.where.pending > 0) || modelBusy();

// What is still being worked on; null when nothing is.
function work(status) {
  if (status && !FINAL.has(status.status)) {
    return { text: `Matching ${WHOSE} library to TMDB: ${fmt(status.enriched_count)} of ${plural(status.total_movies, "film")}; the watchlist follows.`, value: status.enriched_count, max: status.total_movies };
  }
  if (phaseRunning(status)) {
    return { text: `Fetching ${WHOSE} watchlist: ${fmt(status.watchlist_enriched)} of ${fmt(status.watchlist_total)}`, value: status.watchlist_enriched, max: status.watchlist_total };
  }
  if (state.where && state.where.pending > 0) {
    return { text: `Fetching where to watch: ${plural(state.where.pending, "film")} to go…`, value: null, max: null };
  }
  if (modelBusy()) return { text: `Learning ${WHOSE} taste from ${WHOSE} ratings…`, value: null, max: null };
  return null;
}

function showWork(current) {
  view.dataset.working = current ? "true" : "false";
  showCommonWork("watch", current);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

// Every 2 s: /status while a phase runs (the list is loaded again when it ends), then the
// watchlist's first film while offers or predictions are on their way (again, then the list).
async function follow() {
  let last = "";
  let still = 0;
  for (;;) {
    const current = work(state.status);
    showWork(current);
    if (!current) return;
    const signature = JSON.stringify([current.text, state.model?.status, state.model?.up_to_date]);
    still = signature === last ? still + 1 : 0;
    last = signature;
    if (still >= STALL_POLLS) {
      $("watch-progress-label").textContent = `${current.text} This is taking a while: it goes on in the background; reload the page later to see the rest.`;
      return;
    }
    await pause();
    const wasPhase = phaseRunning(state.status);
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
    if (phaseRunning(state.status)) continue;
    if (wasPhase) {
      await loadAll({ keep: true }); // the watchlist is in: show it
      continue;
    }
    if (!afterPhase()) continue;
    try {
      const probe = await watchlist(new URLSearchParams(state.filters.region ? { region: state.filters.region } : {}), 0, 1);
      state.where = { ...state.where, pending: probe.where.pending };
      state.model = probe.model;
      if (!afterPhase()) await loadAll({ keep: true });
    } catch {
      /* the next round will tell */
    }
  }
}

// ---------- start ----------

syncControls();
writeUrl();
loadAll().then((all) => {
  if (all) follow();
});
