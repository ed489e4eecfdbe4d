// Watchlist and lists: a few facts, and the watchlist's genres.
import { el, fmt, plural } from "../common.js";
import { column, dayName, facts, grid, heading, list, panel, ranked } from "./parts.js";

export default {
  markup: () => panel("watchlist-title", "Watchlist and lists",
    grid(2,
      el("dl", { class: "facts", id: "watchlist-facts" }),
      column(heading("h3", "Watchlist genres"), list("watchlist-genres", "ranked compact")))),
  ids: ["watchlist-facts", "watchlist-genres"],
  render(s) {
    const w = s.watchlist_and_lists.watchlist;
    const l = s.watchlist_and_lists.lists;
    facts("watchlist-facts", [
      ["Watchlist", plural(w.size, "film")],
      ["Watchlist runtime", `${fmt(w.hours, 0)} hours (of ${fmt(w.based_on)} films with TMDB data)`],
      ["Waiting longest", w.oldest_entry ? `${w.oldest_entry.title}${w.oldest_entry.year ? ` (${w.oldest_entry.year})` : ""}, added ${dayName(w.oldest_entry.added_on)}` : "–"],
      ["Lists", `${plural(l.count, "list")}, ${plural(l.entries, "entry", "entries")}`],
      ["Liked films", fmt(s.totals.likes)],
    ]);
    ranked("watchlist-genres", w.genres.slice(0, 8), {
      value: (g) => g.films,
      extra: (g) => plural(g.films, "film"),
      empty: w.size ? "No TMDB data for the watchlist yet." : "Your watchlist is empty.",
    });
  },
};
