// People: directors and stars as photo grids, the other crew roles as ranked lists.
import { clear, el, fmt, plural, stars, tmdbImage } from "../common.js";
import { $, column, grid, heading, list, note, panelWithToggle, ranked } from "./parts.js";

const GRIDS = [["directors", "Directors"], ["actors", "Stars"]];
const LISTED = [["writers", "Writers"], ["composers", "Composers"], ["cinematographers", "Cinematographers"], ["editors", "Editors"], ["producers", "Producers"]];

export default {
  toggle: true,
  markup: () => panelWithToggle("people-title", "People",
    ...GRIDS.flatMap(([role, name]) => [heading("h3", name, `${role}-note`), list(`people-${role}`, "people-grid")]),
    grid(3, ...LISTED.map(([role, name]) => column(heading("h3", name, `${role}-note`), list(`people-${role}`, "ranked compact"))))),
  ids: [...GRIDS, ...LISTED].flatMap(([role]) => [`${role}-note`, `people-${role}`]),
  render(s, view) {
    const rated = view.mode === "highest_rated";
    const needs = `Needs ${view.minRated} rated films per person.`;
    for (const [role] of GRIDS) {
      const r = s.people[role];
      note(`${role}-note`, `${fmt(r.total)} · ${plural(r.based_on, "film")}`);
      const grid = $(`people-${role}`);
      clear(grid);
      const items = (rated ? r.highest_rated : r.most_watched).slice(0, 12);
      if (!items.length) grid.append(el("li", { class: "empty", text: rated ? needs : "Nothing in this period." }));
      for (const p of items) {
        grid.append(el("li", { class: "person" },
          tmdbImage(p.profile_path, p.name, "profile"),
          el("span", { class: "person-name", text: p.name }),
          el("span", { class: "person-meta", text: rated ? `${stars(p.mean_rating)} · ${fmt(p.rated)} rated` : plural(p.films, "film") })));
      }
    }
    for (const [role] of LISTED) {
      const r = s.people[role];
      note(`${role}-note`, `${fmt(r.total)}`);
      const items = (rated ? r.highest_rated : r.most_watched).slice(0, 6);
      const empty = r.total ? needs : "None in the TMDB credits of these films.";
      ranked(`people-${role}`, items, rated
        ? { value: (i) => i.mean_rating, max: 5, extra: (i) => stars(i.mean_rating), empty }
        : { value: (i) => i.films, extra: (i) => plural(i.films, "film"), empty });
    }
  },
};
