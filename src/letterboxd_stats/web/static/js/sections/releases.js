// Release years: films per year (every year of the span) and per decade, the best-rated decades.
import { plural, stars } from "../common.js";
import { barChart, COLORS } from "../charts.js";
import { basedOn, chart, column, grid, heading, list, note, panel, ranked, sectionNote } from "./parts.js";

function everyYear(byYear) {
  const years = [];
  if (byYear.length) {
    for (let y = byYear[0].year; y <= byYear[byYear.length - 1].year; y += 1) years.push(y);
  }
  return years;
}

export default {
  markup: () => panel("release-title", "Release years",
    sectionNote("release-note"),
    heading("h3", "Films per release year"),
    chart("chart-years", "Films per release year", "wide"),
    grid(2,
      column(heading("h3", "By decade"), chart("chart-decades", "Films per decade")),
      column(heading("h3", "Highest rated decades"), list("top-decades")))),
  ids: ["release-note", "chart-years", "chart-decades", "top-decades"],
  render(s) {
    const ry = s.release_years;
    note("release-note", `${basedOn(ry.based_on)} ${ry.by_decade.length ? `From the ${ry.by_decade[0].decade}s to the ${ry.by_decade[ry.by_decade.length - 1].decade}s.` : ""}`);
    const films = new Map(ry.by_year.map((y) => [y.year, y.films]));
    const years = everyYear(ry.by_year);
    barChart("chart-years", years.map(String), years.map((y) => films.get(y) || 0), { dense: true, color: COLORS.green });
    barChart("chart-decades", ry.by_decade.map((d) => `${d.decade}s`), ry.by_decade.map((d) => d.films), { color: COLORS.blue });
    ranked("top-decades", ry.highest_rated_decades.slice(0, 8), { value: (d) => d.mean_rating, label: (d) => `${d.decade}s`, max: 5, extra: (d) => `${stars(d.mean_rating)} · ${plural(d.rated, "film")}` });
  },
};
