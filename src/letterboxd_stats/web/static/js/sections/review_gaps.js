// Year in review: gaps — plain figures, each with what it rests on and the share unknown:
// films directed by women, films not in English, continents, and what the catalogue holds that
// you have never watched (decades and countries of your top genres).
import { el, fmt, plural } from "../common.js";
import { column, facts, grid, heading, list, note, panel, ranked, sectionNote } from "./parts.js";
import { percent, whenReview } from "./review_data.js";

export function womenSentence(w) {
  if (!w.based_on) return "No films with TMDB data in this period.";
  if (!w.known) return `The directors' gender is unknown for all ${plural(w.based_on, "film")}.`;
  return `${fmt(w.films)} of ${plural(w.known, "film")} with known directors ${w.films === 1 ? "was" : "were"} directed by women (${percent(w.share)}); director unknown for ${percent(w.unknown_share)}.`;
}

export function languageSentence(l) {
  if (!l.based_on) return "No films with TMDB data in this period.";
  if (!l.known) return `The original language is unknown for all ${plural(l.based_on, "film")}.`;
  return `${fmt(l.films)} of ${plural(l.known, "film")} with a known original language ${l.films === 1 ? "is" : "are"} not in English (${percent(l.share)}); language unknown for ${percent(l.unknown_share)}.`;
}

export default {
  markup: () => panel("review-gaps-title", "Gaps",
    sectionNote("review-gaps-note"),
    el("dl", { class: "facts gap-facts", id: "review-gaps-facts" }),
    grid(3,
      column(heading("h3", "Continents"), sectionNote("review-continents-note"), list("review-continents", "ranked compact")),
      column(heading("h3", "Decades never watched"), sectionNote("review-decades-never-note"), el("p", { class: "gap-decades", id: "review-decades-never" })),
      column(heading("h3", "Countries never watched"), sectionNote("review-countries-never-note"), list("review-countries-never", "ranked compact")))),
  ids: ["review-gaps-note", "review-gaps-facts", "review-continents-note", "review-continents", "review-decades-never-note", "review-decades-never", "review-countries-never-note", "review-countries-never"],
  render(s, view) {
    whenReview(view, s.year, (review) => {
      const g = review.gaps;
      note("review-gaps-note", `What your films of ${s.year ?? "all time"} leave out. Each figure says what it rests on.`);
      facts("review-gaps-facts", [
        ["Directed by women", womenSentence(g.women_directors)],
        ["Not in English", languageSentence(g.non_english)],
      ]);
      const c = g.continents;
      note("review-continents-note", `${plural(c.based_on - c.unknown, "film")} with a production country${c.unknown ? ` (unknown for ${fmt(c.unknown)})` : ""}; a film made on two continents counts on each.`);
      ranked("review-continents", c.items, { value: (i) => i.films, label: (i) => i.name, max: Math.max(1, ...c.items.map((i) => i.films)), extra: (i) => `${plural(i.films, "film")} (${percent(i.share)})` });
      const d = g.decades_never;
      note("review-decades-never-note", `Decades the catalogue holds films of in your top 5 genres (${plural(d.based_on, "catalogue film")}) and you have none of.`);
      const decades = document.getElementById("review-decades-never");
      decades.textContent = d.items.length ? d.items.map((y) => `${y}s`).join(", ") : "None: you have films of every decade the catalogue holds.";
      const n = g.countries_never;
      note("review-countries-never-note", `Countries of the same catalogue (${plural(n.based_on, "film")}) you have no film from, most represented first.`);
      ranked("review-countries-never", n.items, { value: (i) => i.catalogue_films, label: (i) => i.name, extra: (i) => `${plural(i.catalogue_films, "film")} in the catalogue`, empty: "None: you have films of every country the catalogue holds." });
    });
  },
};
