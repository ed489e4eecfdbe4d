// Year in review: decades by genres, as a table heatmap (an HTML table: readable as it is by a
// screen reader): films per cell, shaded by count; each cell's mean rating in its tooltip and in
// its text for screen readers.
import { clear, el, fmt, plural } from "../common.js";
import { $, note, panel, sectionNote } from "./parts.js";
import { whenReview } from "./review_data.js";

const LEVELS = 5;

function cellText(genre, decade, cell) {
  if (!cell) return `${genre}, ${decade}s: no films`;
  const mean = cell.mean_rating === null ? "none rated" : `mean rating ${fmt(cell.mean_rating, 2)}★`;
  return `${genre}, ${decade}s: ${plural(cell.films, "film")}, ${mean}`;
}

function fill(g) {
  const table = $("review-decades-table");
  clear(table);
  table.append(el("caption", { class: "visually-hidden", text: "Films per genre and decade of release, with their mean rating" }));
  table.append(el("thead", {}, el("tr", {},
    el("th", { scope: "col", text: "Genre" }),
    ...g.decades.map((d) => el("th", { scope: "col", text: `${d}s` })))));
  const cells = new Map(g.cells.map((c) => [`${c.genre}|${c.decade}`, c]));
  const max = Math.max(1, ...g.cells.map((c) => c.films));
  const body = el("tbody");
  for (const genre of g.genres) {
    const row = el("tr", {}, el("th", { scope: "row", text: genre }));
    for (const decade of g.decades) {
      const cell = cells.get(`${genre}|${decade}`);
      const level = cell ? Math.max(1, Math.ceil((LEVELS * cell.films) / max)) : 0;
      const text = cellText(genre, decade, cell);
      row.append(el("td", { class: `heat heat-${level}`, title: text },
        el("span", { "aria-hidden": "true", text: cell ? fmt(cell.films) : "" }),
        el("span", { class: "visually-hidden", text })));
    }
    body.append(row);
  }
  table.append(body);
}

export default {
  markup: () => panel("review-decades-title", "Decades and genres",
    sectionNote("review-decades-note"),
    el("div", { class: "table-scroll heat-scroll" }, el("table", { class: "heat-table", id: "review-decades-table" })),
    el("p", { class: "muted small heat-picked", id: "review-decades-picked", "aria-hidden": "true" })),
  ids: ["review-decades-note", "review-decades-table", "review-decades-picked"],
  render(s, view) {
    // a touch screen has no hover: a tapped cell says what its tooltip says, under the table
    const table = $("review-decades-table");
    if (!table.dataset.wired) {
      table.dataset.wired = "true";
      table.addEventListener("click", (event) => {
        const td = event.target.closest("td.heat");
        if (td) $("review-decades-picked").textContent = td.title;
      });
    }
    $("review-decades-picked").textContent = "";
    whenReview(view, s.year, (review) => {
      const g = review.decade_genre;
      note("review-decades-note", g.cells.length
        ? `Films per genre (the ${plural(g.genres.length, "most seen genre")}) and decade of release; hover or tap a cell for its mean rating. ${plural(g.based_on, "film")} with TMDB data; a film of several genres counts in each.`
        : "No films with genres and a release year in this period.");
      fill(g);
    });
  },
};
