// Ratings: the spread of your stars, and you versus TMDB's average.
import { el, fmt, plural, stars } from "../common.js";
import { barChart, COLORS } from "../charts.js";
import { basedOn, chart, column, facts, filmLabel, grid, heading, list, note, panel, ranked, sectionNote } from "./parts.js";

const starLabel = (v) => (v % 1 ? `${Math.floor(v) || ""}½★` : `${v}★`);

export default {
  markup: () => panel("ratings-title", "Ratings",
    sectionNote("ratings-note"),
    grid(2,
      column(
        heading("h3", "Rating spread"),
        chart("chart-ratings", "Films per rating"),
        el("dl", { class: "facts facts-2", id: "rating-facts" })),
      column(
        heading("h3", "You versus TMDB"),
        sectionNote("versus-note"),
        heading("h4", "Rated higher than average"),
        list("rated-higher", "ranked compact"),
        heading("h4", "Rated lower than average"),
        list("rated-lower", "ranked compact")))),
  ids: ["ratings-note", "chart-ratings", "rating-facts", "versus-note", "rated-higher", "rated-lower"],
  render(s) {
    const r = s.ratings;
    note("ratings-note", r.rated ? `${plural(r.rated, "rated film")} (${fmt(r.unrated)} unrated) · mean ${stars(r.mean)} · median ${stars(r.median)}` : "No rated films in this period.");
    barChart("chart-ratings", r.spread.map((b) => starLabel(b.stars)), r.spread.map((b) => b.films), { color: COLORS.orange });
    const top = r.spread.reduce((a, b) => (b.films > a.films ? b : a), r.spread[0]);
    facts("rating-facts", [
      ["Mean", stars(r.mean)],
      ["Median", stars(r.median)],
      ["Most given", top && top.films ? `${starLabel(top.stars)} (${plural(top.films, "film")})` : "–"],
      ["Rated / unrated", `${fmt(r.rated)} / ${fmt(r.unrated)}`],
    ]);
    const v = r.versus_tmdb;
    note("versus-note", v.based_on ? `${basedOn(v.based_on)} On average you rate ${fmt(Math.abs(v.mean_difference ?? 0), 2)} stars ${(v.mean_difference ?? 0) >= 0 ? "above" : "below"} TMDB.` : "Needs rated films with TMDB votes.");
    const diff = (c) => `${c.rating}★ vs ${fmt(c.tmdb_rating, 1)}★`;
    ranked("rated-higher", v.rated_higher.slice(0, 8), { value: (c) => Math.abs(c.difference), label: filmLabel, extra: diff });
    ranked("rated-lower", v.rated_lower.slice(0, 8), { value: (c) => Math.abs(c.difference), label: filmLabel, extra: diff });
  },
};
