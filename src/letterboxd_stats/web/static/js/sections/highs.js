// Highs and lows: eight film cards (longest, shortest, oldest, newest, ...).
import { clear, el, fmt, tmdbImage } from "../common.js";
import { $, basedOn, filmLabel, list, note, panel, sectionNote } from "./parts.js";

const CARDS = [
  ["longest", "Longest", (v) => `${fmt(Number(v))} min`],
  ["shortest", "Shortest", (v) => `${fmt(Number(v))} min`],
  ["oldest", "Oldest", (v) => String(v)],
  ["newest", "Newest", (v) => String(v)],
  ["most_popular", "Most popular", (v) => `popularity ${fmt(Number(v), 1)}`],
  ["least_popular", "Most obscure", (v) => `popularity ${fmt(Number(v), 1)}`],
  ["highest_tmdb_rated", "Highest TMDB average", (v) => `${fmt(Number(v), 2)} ★`],
  ["lowest_tmdb_rated", "Lowest TMDB average", (v) => `${fmt(Number(v), 2)} ★`],
];

export default {
  markup: () => panel("highs-title", "Highs and lows", sectionNote("highs-note"), list("highs", "poster-grid")),
  ids: ["highs-note", "highs"],
  render(s) {
    const h = s.highs_and_lows;
    note("highs-note", basedOn(h.based_on));
    const grid = $("highs");
    clear(grid);
    for (const [key, title, show] of CARDS) {
      const film = h[key];
      grid.append(el("li", { class: "film-card" },
        film ? tmdbImage(film.poster_path, filmLabel(film)) : tmdbImage(null, "—"),
        el("span", { class: "film-card-label", text: title }),
        el("span", { class: "film-card-title", text: film ? filmLabel(film) : "No data" }),
        el("span", { class: "film-card-meta", text: film ? show(film.value) : "" })));
    }
  },
};
