// Genres & countries (charts), languages, studios and themes (ranked lists): most watched or highest rated.
import { fmt, plural, stars } from "../common.js";
import { barChart, COLORS } from "../charts.js";
import { chart, column, grid, heading, list, note, panelWithToggle, ranked } from "./parts.js";

const CHARTED = [["genres", "chart-genres", "Genres"], ["countries", "chart-countries", "Countries"]];
const LISTED = [["languages", "Languages"], ["studios", "Studios"], ["keywords", "Themes"]];

const byMode = (category, rated) => (rated ? category.highest_rated : category.most_watched);

export default {
  toggle: true,
  markup: () => panelWithToggle("genres-title", "Genres & countries",
    grid(2, ...CHARTED.map(([key, chartId, name]) => column(heading("h3", name, `${key}-note`), chart(chartId, name, "tall")))),
    grid(3, ...LISTED.map(([key, name]) => column(heading("h3", name, `${key}-note`), list(`list-${key}`, "ranked compact"))))),
  ids: [...CHARTED.flatMap(([key, chartId]) => [`${key}-note`, chartId]), ...LISTED.flatMap(([key]) => [`${key}-note`, `list-${key}`])],
  render(s, view) {
    const rated = view.mode === "highest_rated";
    for (const [key, chartId] of CHARTED) {
      const c = s[key];
      const items = byMode(c, rated).slice(0, 12);
      note(`${key}-note`, `${fmt(c.total)} · ${plural(c.based_on, "film")}`);
      barChart(chartId, items.map((i) => i.name), items.map((i) => (rated ? i.mean_rating : i.films)), {
        horizontal: true,
        color: rated ? COLORS.orange : COLORS.green,
        precision: rated ? 1 : 0,
        max: rated ? 5 : undefined,
        tooltip: (i) => `${plural(items[i].films, "film")}${items[i].mean_rating ? ` · mean ${stars(items[i].mean_rating)}` : ""}`,
      });
    }
    for (const [key] of LISTED) {
      const c = s[key];
      note(`${key}-note`, `${fmt(c.total)} · ${plural(c.based_on, "film")}`);
      const items = byMode(c, rated).slice(0, 10);
      ranked(`list-${key}`, items, rated
        ? { value: (i) => i.mean_rating, max: 5, extra: (i) => `${stars(i.mean_rating)} · ${fmt(i.rated)}` }
        : { value: (i) => i.films, extra: (i) => plural(i.films, "film") });
    }
  },
};
