// The diary: viewings per week and weekday, highlights, milestones, most viewed.
import { clear, el, fmt, plural, tmdbImage } from "../common.js";
import { barChart, COLORS } from "../charts.js";
import { $, chart, column, dayName, facts, filmLabel, grid, heading, list, monthName, note, panel, ranked, sectionNote } from "./parts.js";

function highlights(d) {
  const streak = d.longest_streak;
  const pairs = [
    ["Longest streak", streak.days ? `${plural(streak.days, "day")} (${dayName(streak.start)} – ${dayName(streak.end)})` : "–"],
    ["Busiest day", d.busiest_day ? `${dayName(d.busiest_day.date)}: ${plural(d.busiest_day.viewings, "film")}` : "–"],
    ["Days with 2+ films", fmt(d.days_with_two_or_more)],
    ["First watches", fmt(d.first_watches)],
    ["Rewatches", fmt(d.rewatches)],
  ];
  if (d.by_month.length) {
    const best = d.by_month.reduce((a, b) => (b.viewings > a.viewings ? b : a));
    if (best.viewings) pairs.push(["Busiest month", `${monthName(best.period)}: ${plural(best.viewings, "viewing")}`]);
  }
  if (d.releases) pairs.push(["Released that year", `${fmt(d.releases.this_year)} new · ${fmt(d.releases.older)} older · ${fmt(d.releases.other)} other`]);
  return pairs;
}

function milestones(d) {
  const strip = $("milestones");
  clear(strip);
  if (!d.milestones.length) strip.append(el("li", { class: "empty", text: "No viewings in this period." }));
  for (const m of d.milestones) {
    strip.append(el("li", { class: "film-card" },
      tmdbImage(m.film.poster_path, filmLabel(m.film)),
      el("span", { class: "film-card-label", text: m.label === "first" || m.label === "last" ? `${m.label[0].toUpperCase()}${m.label.slice(1)} film` : `${m.label} film` }),
      el("span", { class: "film-card-title", text: m.film.title }),
      el("span", { class: "film-card-meta", text: dayName(m.date) })));
  }
}

export default {
  markup: () => panel("diary-title", "Diary",
    sectionNote("diary-note"),
    el("p", { class: "section-note placeholder-note", id: "diary-placeholder", hidden: true }),
    heading("h3", "Viewings per week"),
    chart("chart-weeks", "Viewings per week", "wide"),
    grid(2,
      column(heading("h3", "By weekday"), chart("chart-weekdays", "Viewings per weekday")),
      column(heading("h3", "Highlights"), el("dl", { class: "facts", id: "diary-facts" }))),
    grid(2,
      column(heading("h3", "Milestones"), list("milestones", "film-strip")),
      column(heading("h3", "Most viewed"), list("most-viewed")))),
  ids: ["diary-note", "diary-placeholder", "chart-weeks", "chart-weekdays", "diary-facts", "milestones", "most-viewed"],
  render(s) {
    const d = s.diary;
    const weeks = d.by_week;
    // A diary spanning more weeks than the answer lists (dates centuries apart) charts only the weeks with viewings.
    const sparse = weeks.length < d.weeks_spanned ? ` Only the ${plural(weeks.length, "week")} with viewings are charted (the diary spans ${plural(d.weeks_spanned, "week")}).` : "";
    // A back-filled diary's placeholder dates (one day holding dozens of viewings): the answer says what they are left out of.
    const placeholder = $("diary-placeholder");
    placeholder.hidden = !d.placeholder_note;
    placeholder.textContent = d.placeholder_note || "";
    note("diary-note", d.viewings ? `${plural(d.viewings, "viewing")} in the diary · ${fmt(d.average_per_week, 1)} a week · ${fmt(d.average_per_month, 1)} a month.${sparse}` : "No diary entries in this period.");
    barChart("chart-weeks", weeks.map((w) => w.period), weeks.map((w) => w.viewings), { dense: weeks.length > 60, color: COLORS.green, tooltip: (i) => `${weeks[i].period}: ${plural(weeks[i].viewings, "viewing")}` });
    barChart("chart-weekdays", d.by_weekday.map((w) => w.weekday.slice(0, 3)), d.by_weekday.map((w) => w.viewings), { color: COLORS.blue });
    facts("diary-facts", highlights(d));
    milestones(d);
    ranked("most-viewed", d.most_viewed, { value: (f) => Number(f.value), label: filmLabel, extra: (f) => plural(Number(f.value), "viewing") });
  },
};
