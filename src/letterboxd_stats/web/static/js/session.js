// The session page: progress while enriching, then the dashboard, drawn by its sections
// (sections/*.js, listed in sections/index.js): this module loads the statistics of the period
// chosen, hands them to every section and re-renders one when its ranking toggle changes.
import { api, el, goneText, readOnly, rememberSession, sessionId, yearBounds } from "./common.js";
import { followProgress } from "./progress.js";
import { SECTIONS } from "./sections/index.js";
import { $ } from "./sections/parts.js";

const id = sessionId();
const main = document.getElementById("main");
const READ_ONLY = readOnly(); // through a share link: someone else's library, never remembered
if (!READ_ONLY) rememberSession(id);

// The fewest rated films an item needs to be ranked by rating (the API's rule, given by the page).
const MIN_RATED = Number($("dashboard-view").dataset.minRated);

const state = { stats: null, allTime: null, mode: new Map(SECTIONS.map((section) => [section, "most_watched"])) };

function renderSection(section, stats) {
  section.render(stats, { sessionId: id, minRated: MIN_RATED, mode: state.mode.get(section), readOnly: READ_ONLY });
}

function render(stats) {
  state.stats = stats;
  for (const section of SECTIONS) renderSection(section, stats);
  main.dataset.loadedYear = stats.year ?? "all";
  const story = $("story-link"); // the year in review as slides, for the period shown
  story.href = `/session/${id}/year/${stats.year ?? "all"}`;
  story.textContent = stats.year ? `Your ${stats.year} story` : "Your story (all time)";
}

// ---------- year selector ----------

function fillYears(allTime) {
  const select = $("year-select");
  // Only the years the API reviews (a session imported before dates were bounded can hold others).
  const { min, max } = yearBounds();
  const years = [...new Set(allTime.diary.by_month.map((m) => Number(m.period.slice(0, 4))))].filter((y) => y >= min && y <= max).sort((a, b) => b - a);
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
    if (error.status === 404) showNotice(goneText());
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

// ---------- the sections' panels, and their ranking toggles ("Most watched" / "Highest rated") ----------

function wireToggle(section, group) {
  for (const button of group.querySelectorAll("button")) {
    button.addEventListener("click", () => {
      state.mode.set(section, button.dataset.mode);
      for (const b of group.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
      if (state.stats) renderSection(section, state.stats);
    });
  }
}

for (const section of SECTIONS) {
  if (!section.markup) continue;
  const node = section.markup();
  $("dashboard-view").append(node);
  if (section.toggle) wireToggle(section, node.querySelector(".toggle"));
}
const missing = SECTIONS.flatMap((section) => section.ids).filter((name) => !$(name));
if (missing.length) console.error(`The dashboard lacks the elements ${missing.join(", ")}`);

// ---------- start ----------

// Whose library this is: the export's username (profile.csv), when it has one.
async function showUser() {
  try {
    const summary = await api(`/api/session/${id}`);
    if (!summary.username) return;
    const line = $("dash-user");
    line.textContent = summary.username;
    line.title = "Letterboxd user";
  } catch {
    /* the statistics say what went wrong */
  }
}

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

function start() {
  followProgress(id, showDashboard);
}

if (window.Chart) start();
else window.addEventListener("load", start, { once: true });
