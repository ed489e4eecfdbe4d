// The totals: ten counters.
import { clear, el, fmt } from "../common.js";
import { $, skeleton } from "./parts.js";

export default {
  ids: ["counters"],
  markup: () => el("section", { class: "counters", "aria-label": "Totals", id: "counters" }, ...Array.from({ length: 10 }, skeleton)),
  render(s) {
    const t = s.totals;
    const d = s.diary;
    const items = [
      [fmt(t.films), "films"],
      [fmt(t.viewings), "diary entries"],
      [fmt(t.hours, 0), "hours", `runtime known for ${fmt(t.hours_based_on)} films`],
      [fmt(t.directors), "directors"],
      [fmt(t.countries), "countries"],
      [fmt(t.languages), "languages"],
      [fmt(d.longest_streak.days), "longest streak (days)"],
      [fmt(d.days_with_two_or_more), "days with 2+ films"],
      [fmt(t.ratings), "ratings"],
      [fmt(t.reviews), "reviews"],
    ];
    const box = $("counters");
    clear(box);
    for (const [value, label, title] of items) {
      box.append(el("div", { class: "counter", title }, el("b", { text: value }), el("span", { text: label })));
    }
  },
};
