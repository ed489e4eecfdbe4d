// The session page: progress while enriching, then the dashboard.
import { api, clear, el, fmt, plural, rememberSession, sessionId, stars, tmdbImage } from "./common.js";
import { barChart, COLORS } from "./charts.js";
import { followProgress } from "./progress.js";

const id = sessionId();
const main = document.getElementById("main");
const $ = (name) => document.getElementById(name);
rememberSession(id);

// The fewest rated films an item needs to be ranked by rating (the API's rule, given by the page).
const MIN_RATED = Number($("dashboard-view").dataset.minRated);

const state = { stats: null, allTime: null, mode: { category: "most_watched", people: "most_watched" }, finalStatus: null };

// ---------- helpers ----------

function ranked(listId, items, { value, label, max, extra, empty } = {}) {
  const list = $(listId);
  clear(list);
  if (!items.length) {
    list.append(el("li", { class: "empty", text: empty || "Nothing in this period." }));
    return;
  }
  const top = max ?? Math.max(...items.map(value), 0.0001);
  for (const item of items) {
    const v = value(item);
    const bar = el("span", { class: "bar" });
    bar.style.width = `${Math.max(2, (100 * v) / top)}%`;
    list.append(
      el("li", {},
        el("span", { class: "ranked-row" }, el("span", { class: "ranked-name", text: item.name ?? label(item) }), el("span", { class: "ranked-value", text: extra ? extra(item) : fmt(v) })),
        el("span", { class: "bar-track" }, bar)),
    );
  }
}

function filmLabel(film) {
  return film.year ? `${film.title} (${film.year})` : film.title;
}

function facts(listId, pairs) {
  const list = $(listId);
  clear(list);
  for (const [term, value] of pairs) list.append(el("div", {}, el("dt", { text: term }), el("dd", { text: value })));
}

function note(elementId, text) {
  $(elementId).textContent = text;
}

function basedOn(n, total) {
  return total !== undefined && total !== null ? `Based on ${fmt(n)} of ${plural(total, "film")} with TMDB data.` : `Based on ${plural(n, "film")}.`;
}

const monthName = (period) => new Date(`${period}-01T00:00:00Z`).toLocaleString("en", { month: "short", year: "numeric", timeZone: "UTC" });
const dayName = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

// ---------- sections ----------

function renderHead(s) {
  $("dash-title").textContent = s.year ? `${s.year} in review` : "All time";
  const cov = s.coverage.films;
  const parts = [`${fmt(cov.with_tmdb_data)} of ${plural(cov.total, "film")} have TMDB data`];
  if (cov.needs_review) parts.push(`${fmt(cov.needs_review)} to review`);
  if (cov.unmatched) parts.push(`${fmt(cov.unmatched)} unmatched`);
  if (cov.failed) parts.push(`${fmt(cov.failed)} failed`);
  if (cov.pending) parts.push(`${fmt(cov.pending)} not enriched yet`);
  const coverage = $("coverage");
  clear(coverage);
  coverage.append(`Coverage: ${parts.join(" · ")}. Sections built on TMDB data say what they rest on.`);
  if (cov.needs_review || cov.unmatched || cov.failed) {
    coverage.append(" ", el("a", { href: `/session/${id}/review`, text: "Review matches" }));
  }
}

function renderCounters(s) {
  const t = s.totals;
  const d = s.diary;
  const items = [
    [fmt(t.films), "films"],
    [fmt(t.viewings), "diary entries"],
    [fmt(t.hours, 0), "hours", `runtime known for ${fmt(t.hours_based_on)} films`],
    [fmt(t.directors), "directors"],
    [fmt(t.countries), "countries"],
    [fmt(t.languages), "languages"],
    [fmt(d.longest_streak.days), "longest streak (days)"],
    [fmt(d.days_with_two_or_more), "days with 2+ films"],
    [fmt(t.ratings), "ratings"],
    [fmt(t.reviews), "reviews"],
  ];
  const box = $("counters");
  clear(box);
  for (const [value, label, title] of items) {
    box.append(el("div", { class: "counter", title }, el("b", { text: value }), el("span", { text: label })));
  }
}

function renderDiary(s) {
  const d = s.diary;
  const weeks = d.by_week;
  // A diary spanning more weeks than the answer lists (dates centuries apart) charts only the weeks with viewings.
  const sparse = weeks.length < d.weeks_spanned ? ` Only the ${plural(weeks.length, "week")} with viewings are charted (the diary spans ${plural(d.weeks_spanned, "week")}).` : "";
  note("diary-note", d.viewings ? `${plural(d.viewings, "viewing")} in the diary · ${fmt(d.average_per_week, 1)} a week · ${fmt(d.average_per_month, 1)} a month.${sparse}` : "No diary entries in this period.");
  barChart("chart-weeks", weeks.map((w) => w.period), weeks.map((w) => w.viewings), { dense: weeks.length > 60, color: COLORS.green, tooltip: (i) => `${weeks[i].period}: ${plural(weeks[i].viewings, "viewing")}` });
  barChart("chart-weekdays", d.by_weekday.map((w) => w.weekday.slice(0, 3)), d.by_weekday.map((w) => w.viewings), { color: COLORS.blue });
  const streak = d.longest_streak;
  const pairs = [
    ["Longest streak", streak.days ? `${plural(streak.days, "day")} (${dayName(streak.start)} – ${dayName(streak.end)})` : "–"],
    ["Busiest day", d.busiest_day ? `${dayName(d.busiest_day.date)}: ${plural(d.busiest_day.viewings, "film")}` : "–"],
    ["Days with 2+ films", fmt(d.days_with_two_or_more)],
    ["First watches", fmt(d.first_watches)],
    ["Rewatches", fmt(d.rewatches)],
  ];
  if (d.by_month.length) {
    const best = d.by_month.reduce((a, b) => (b.viewings > a.viewings ? b : a));
    if (best.viewings) pairs.push(["Busiest month", `${monthName(best.period)}: ${plural(best.viewings, "viewing")}`]);
  }
  if (d.releases) pairs.push(["Released that year", `${fmt(d.releases.this_year)} new · ${fmt(d.releases.older)} older · ${fmt(d.releases.other)} other`]);
  facts("diary-facts", pairs);

  const strip = $("milestones");
  clear(strip);
  if (!d.milestones.length) strip.append(el("li", { class: "empty", text: "No viewings in this period." }));
  for (const m of d.milestones) {
    strip.append(el("li", { class: "film-card" },
      tmdbImage(m.film.poster_path, filmLabel(m.film)),
      el("span", { class: "film-card-label", text: m.label === "first" || m.label === "last" ? `${m.label[0].toUpperCase()}${m.label.slice(1)} film` : `${m.label} film` }),
      el("span", { class: "film-card-title", text: m.film.title }),
      el("span", { class: "film-card-meta", text: dayName(m.date) })));
  }
  ranked("most-viewed", d.most_viewed, { value: (f) => Number(f.value), label: filmLabel, extra: (f) => plural(Number(f.value), "viewing") });
}

function renderRatings(s) {
  const r = s.ratings;
  note("ratings-note", r.rated ? `${plural(r.rated, "rated film")} (${fmt(r.unrated)} unrated) · mean ${stars(r.mean)} · median ${stars(r.median)}` : "No rated films in this period.");
  const label = (v) => (v % 1 ? `${Math.floor(v) || ""}½★` : `${v}★`);
  barChart("chart-ratings", r.spread.map((b) => label(b.stars)), r.spread.map((b) => b.films), { color: COLORS.orange });
  const top = r.spread.reduce((a, b) => (b.films > a.films ? b : a), r.spread[0]);
  facts("rating-facts", [
    ["Mean", stars(r.mean)],
    ["Median", stars(r.median)],
    ["Most given", top && top.films ? `${label(top.stars)} (${plural(top.films, "film")})` : "–"],
    ["Rated / unrated", `${fmt(r.rated)} / ${fmt(r.unrated)}`],
  ]);
  const v = r.versus_tmdb;
  note("versus-note", v.based_on ? `${basedOn(v.based_on)} On average you rate ${fmt(Math.abs(v.mean_difference ?? 0), 2)} stars ${(v.mean_difference ?? 0) >= 0 ? "above" : "below"} TMDB.` : "Needs rated films with TMDB votes.");
  const diff = (c) => `${c.rating}★ vs ${fmt(c.tmdb_rating, 1)}★`;
  ranked("rated-higher", v.rated_higher.slice(0, 8), { value: (c) => Math.abs(c.difference), label: filmLabel, extra: diff });
  ranked("rated-lower", v.rated_lower.slice(0, 8), { value: (c) => Math.abs(c.difference), label: filmLabel, extra: diff });
}

function renderReleases(s) {
  const ry = s.release_years;
  note("release-note", `${basedOn(ry.based_on)} ${ry.by_decade.length ? `From the ${ry.by_decade[0].decade}s to the ${ry.by_decade[ry.by_decade.length - 1].decade}s.` : ""}`);
  const byYear = new Map(ry.by_year.map((y) => [y.year, y.films]));
  const years = [];
  if (ry.by_year.length) {
    for (let y = ry.by_year[0].year; y <= ry.by_year[ry.by_year.length - 1].year; y += 1) years.push(y);
  }
  barChart("chart-years", years.map(String), years.map((y) => byYear.get(y) || 0), { dense: true, color: COLORS.green });
  barChart("chart-decades", ry.by_decade.map((d) => `${d.decade}s`), ry.by_decade.map((d) => d.films), { color: COLORS.blue });
  ranked("top-decades", ry.highest_rated_decades.slice(0, 8), { value: (d) => d.mean_rating, label: (d) => `${d.decade}s`, max: 5, extra: (d) => `${stars(d.mean_rating)} · ${plural(d.rated, "film")}` });
}

function categoryItems(category, mode) {
  return mode === "highest_rated" ? category.highest_rated : category.most_watched;
}

function renderCategories(s) {
  const mode = state.mode.category;
  const rated = mode === "highest_rated";
  for (const [key, chartId] of [["genres", "chart-genres"], ["countries", "chart-countries"]]) {
    const c = s[key];
    const items = categoryItems(c, mode).slice(0, 12);
    note(`${key}-note`, `${fmt(c.total)} · ${plural(c.based_on, "film")}`);
    barChart(chartId, items.map((i) => i.name), items.map((i) => (rated ? i.mean_rating : i.films)), {
      horizontal: true,
      color: rated ? COLORS.orange : COLORS.green,
      precision: rated ? 1 : 0,
      max: rated ? 5 : undefined,
      tooltip: (i) => `${plural(items[i].films, "film")}${items[i].mean_rating ? ` · mean ${stars(items[i].mean_rating)}` : ""}`,
    });
  }
  for (const key of ["languages", "studios", "keywords"]) {
    const c = s[key];
    note(`${key}-note`, `${fmt(c.total)} · ${plural(c.based_on, "film")}`);
    const items = categoryItems(c, mode).slice(0, 10);
    ranked(`list-${key}`, items, rated
      ? { value: (i) => i.mean_rating, max: 5, extra: (i) => `${stars(i.mean_rating)} · ${fmt(i.rated)}` }
      : { value: (i) => i.films, extra: (i) => plural(i.films, "film") });
  }
}

function renderPeople(s) {
  const mode = state.mode.people;
  const rated = mode === "highest_rated";
  for (const role of ["directors", "actors"]) {
    const r = s.people[role];
    note(`${role}-note`, `${fmt(r.total)} · ${plural(r.based_on, "film")}`);
    const grid = $(`people-${role}`);
    clear(grid);
    const items = (rated ? r.highest_rated : r.most_watched).slice(0, 12);
    if (!items.length) grid.append(el("li", { class: "empty", text: rated ? `Needs ${MIN_RATED} rated films per person.` : "Nothing in this period." }));
    for (const p of items) {
      grid.append(el("li", { class: "person" },
        tmdbImage(p.profile_path, p.name, "profile"),
        el("span", { class: "person-name", text: p.name }),
        el("span", { class: "person-meta", text: rated ? `${stars(p.mean_rating)} · ${fmt(p.rated)} rated` : plural(p.films, "film") })));
    }
  }
  for (const role of ["writers", "composers", "cinematographers", "editors", "producers"]) {
    const r = s.people[role];
    note(`${role}-note`, `${fmt(r.total)}`);
    const items = (rated ? r.highest_rated : r.most_watched).slice(0, 6);
    const empty = r.total ? `Needs ${MIN_RATED} rated films per person.` : "None in the TMDB credits of these films.";
    ranked(`people-${role}`, items, rated
      ? { value: (i) => i.mean_rating, max: 5, extra: (i) => stars(i.mean_rating), empty }
      : { value: (i) => i.films, extra: (i) => plural(i.films, "film"), empty });
  }
}

function renderHighs(s) {
  const h = s.highs_and_lows;
  note("highs-note", basedOn(h.based_on));
  const cards = [
    ["longest", "Longest", (v) => `${fmt(Number(v))} min`],
    ["shortest", "Shortest", (v) => `${fmt(Number(v))} min`],
    ["oldest", "Oldest", (v) => String(v)],
    ["newest", "Newest", (v) => String(v)],
    ["most_popular", "Most popular", (v) => `popularity ${fmt(Number(v), 1)}`],
    ["least_popular", "Most obscure", (v) => `popularity ${fmt(Number(v), 1)}`],
    ["highest_tmdb_rated", "Highest TMDB average", (v) => `${fmt(Number(v), 2)} ★`],
    ["lowest_tmdb_rated", "Lowest TMDB average", (v) => `${fmt(Number(v), 2)} ★`],
  ];
  const grid = $("highs");
  clear(grid);
  for (const [key, title, show] of cards) {
    const film = h[key];
    grid.append(el("li", { class: "film-card" },
      film ? tmdbImage(film.poster_path, filmLabel(film)) : tmdbImage(null, "—"),
      el("span", { class: "film-card-label", text: title }),
      el("span", { class: "film-card-title", text: film ? filmLabel(film) : "No data" }),
      el("span", { class: "film-card-meta", text: film ? show(film.value) : "" })));
  }
}

function renderWatchlist(s) {
  const w = s.watchlist_and_lists.watchlist;
  const l = s.watchlist_and_lists.lists;
  const pairs = [
    ["Watchlist", plural(w.size, "film")],
    ["Watchlist runtime", `${fmt(w.hours, 0)} hours (of ${fmt(w.based_on)} films with TMDB data)`],
    ["Waiting longest", w.oldest_entry ? `${w.oldest_entry.title}${w.oldest_entry.year ? ` (${w.oldest_entry.year})` : ""}, added ${dayName(w.oldest_entry.added_on)}` : "–"],
    ["Lists", `${plural(l.count, "list")}, ${plural(l.entries, "entry", "entries")}`],
    ["Liked films", fmt(s.totals.likes)],
  ];
  facts("watchlist-facts", pairs);
  ranked("watchlist-genres", w.genres.slice(0, 8), {
    value: (g) => g.films,
    extra: (g) => plural(g.films, "film"),
    empty: w.size ? "No TMDB data for the watchlist yet." : "Your watchlist is empty.",
  });
}

function render(s) {
  state.stats = s;
  renderHead(s);
  renderCounters(s);
  renderDiary(s);
  renderRatings(s);
  renderReleases(s);
  renderCategories(s);
  renderPeople(s);
  renderHighs(s);
  renderWatchlist(s);
  main.dataset.loadedYear = s.year ?? "all";
}

// ---------- year selector ----------

function fillYears(allTime) {
  const select = $("year-select");
  // Only the years the API reviews (a session imported before dates were bounded can hold others).
  const years = [...new Set(allTime.diary.by_month.map((m) => Number(m.period.slice(0, 4))))].filter((y) => y >= 1870 && y <= 2100).sort((a, b) => b - a);
  const current = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const year of years) select.append(el("option", { value: String(year), text: String(year) }));
  select.value = current;
  select.disabled = years.length === 0;
}

function yearFromUrl() {
  const year = new URLSearchParams(window.location.search).get("year");
  return year && /^\d{4}$/.test(year) ? year : "";
}

async function load(year) {
  main.setAttribute("aria-busy", "true");
  try {
    const allTime = state.allTime || (await api(`/api/session/${id}/stats`));
    state.allTime = allTime;
    fillYears(allTime);
    const stats = year ? await api(`/api/session/${id}/stats?year=${encodeURIComponent(year)}`) : allTime;
    $("year-select").value = year;
    render(stats);
  } catch (error) {
    if (error.status === 404) showNotice("This library no longer exists (it was deleted).");
    else showNotice(`The statistics could not be loaded: ${error.message}`);
  } finally {
    main.removeAttribute("aria-busy");
  }
}

function showNotice(text) {
  const box = $("notice");
  box.textContent = text;
  box.hidden = false;
}

$("year-select").addEventListener("change", (event) => {
  const year = event.target.value;
  const url = new URL(window.location.href);
  if (year) url.searchParams.set("year", year);
  else url.searchParams.delete("year");
  window.history.pushState({ year }, "", url);
  load(year);
});
window.addEventListener("popstate", () => load(yearFromUrl()));

for (const group of document.querySelectorAll(".toggle")) {
  const kind = group.closest("section").getAttribute("aria-labelledby") === "people-title" ? "people" : "category";
  for (const button of group.querySelectorAll("button")) {
    button.addEventListener("click", () => {
      state.mode[kind] = button.dataset.mode;
      for (const b of group.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
      if (state.stats) (kind === "people" ? renderPeople : renderCategories)(state.stats);
    });
  }
}

// ---------- start ----------

function showDashboard(status) {
  $("progress-view").hidden = true;
  $("dashboard-view").hidden = false;
  main.dataset.status = status.status;
  if (status.status === "failed") {
    showNotice(`Enrichment stopped: ${status.error_message || "an error occurred"}. The statistics below use what was matched.`);
  } else if (status.error_message) {
    showNotice(status.error_message);
  }
  state.allTime = null;
  load(yearFromUrl());
  showUser();
}

// Whose library this is: the export's username (profile.csv), when it has one.
async function showUser() {
  try {
    const summary = await api(`/api/session/${id}`);
    if (summary.username) $("dash-user").textContent = `Letterboxd user ${summary.username}`;
  } catch {
    /* the statistics say what went wrong */
  }
}

function start() {
  followProgress(id, showDashboard);
}

if (window.Chart) start();
else window.addEventListener("load", start, { once: true });
