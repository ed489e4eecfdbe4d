// The "Year in review" group's data: one fetch of /api/session/{id}/review per period, shared by
// its sections (review_*.js), and the pieces they build their text alternatives from. Each
// section asks with reviewOf(view, year) and draws when the answer comes, unless another period
// was asked for meanwhile. Once every section has drawn, #review-head gets data-loaded-year.
import { api, clear, el, fmt } from "../common.js";
import { ready } from "../charts.js";
import { $ } from "./parts.js";

let latest = null; // { key, promise }

export function reviewOf(view, year) {
  const key = `${view.sessionId}|${year ?? "all"}`;
  if (latest && latest.key === key) return latest.promise;
  const query = year ? `?year=${encodeURIComponent(year)}` : "";
  const entry = { key, promise: null };
  entry.promise = api(`/api/session/${view.sessionId}/review${query}`).then((data) => {
    // after every section's own then(): they run first, as microtasks
    setTimeout(() => {
      if (latest === entry) $("review-head").dataset.loadedYear = String(year ?? "all");
    });
    return data;
  });
  latest = entry;
  entry.promise.catch(() => {}); // each section says nothing more: the group's head says what failed
  return entry.promise;
}

// Draw `draw(data)` with the answer of the period, if it is still the one shown.
export function whenReview(view, year, draw) {
  const promise = reviewOf(view, year);
  promise.then((data) => {
    if (latest && latest.promise === promise) draw(data);
  }, () => {});
  return promise;
}

export const periodName = (year) => (year ? String(year) : "all time");

// 0.127 -> "13%"; null -> "–"
export function percent(share) {
  return share === null || share === undefined ? "–" : `${fmt(share * 100)}%`;
}

export function shareOf(part, whole) {
  return whole ? percent(part / whole) : "–";
}

// A table (caption, head row, body rows of cells) in a <details> whose summary names it: the
// text alternative of a chart. The first cell of each row is its header.
export function tableBlock(id, summary) {
  return el("details", { class: "alt-table" },
    el("summary", { text: summary }),
    el("div", { class: "table-scroll" }, el("table", { id })));
}

export function fillTable(id, caption, head, rows, empty = "Nothing in this period.") {
  const table = $(id);
  clear(table);
  table.append(el("caption", { class: "visually-hidden", text: caption }));
  table.append(el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))));
  const body = el("tbody");
  for (const row of rows) {
    body.append(el("tr", {}, el("th", { scope: "row", text: row[0] }), ...row.slice(1).map((cell) => el("td", { text: cell }))));
  }
  if (!rows.length) body.append(el("tr", {}, el("td", { colspan: String(head.length), class: "muted", text: empty })));
  table.append(body);
}

// A canvas's accessible name: its title and a short summary of what it draws.
export function describe(canvasId, text) {
  const canvas = $(canvasId);
  if (!canvas.dataset.title) canvas.dataset.title = canvas.getAttribute("aria-label");
  canvas.setAttribute("aria-label", `${canvas.dataset.title}: ${text}`.slice(0, 2000));
}

// A fresh Chart on a canvas (the previous period's destroyed), or null without Chart.js.
export function newChart(canvasId, config) {
  const canvas = $(canvasId);
  if (!canvas || !ready()) return null;
  const existing = window.Chart.getChart(canvas);
  if (existing) existing.destroy();
  return new window.Chart(canvas, config);
}
