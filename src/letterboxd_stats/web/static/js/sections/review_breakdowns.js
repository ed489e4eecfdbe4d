// Year in review: three donuts — releases of the period vs older, first watches vs rewatches,
// reviewed vs not — each with its figures listed beneath (its text alternative).
import { el, fmt, plural } from "../common.js";
import { COLORS } from "../charts.js";
import { $, chart, column, facts, grid, heading, note, panel, sectionNote } from "./parts.js";
import { describe, newChart, shareOf, whenReview } from "./review_data.js";

const MUTED = "#56626e";

// [id, title, parts(answer, year) -> [[label, value, colour]], what the donut counts, its note]
const DONUTS = [
  ["releases", "New or older",
    (b, year) => [[year ? `Released in ${year}` : "Seen the year they came out", b.releases.of_period, COLORS.orange], [year ? "Released before" : "Seen later", b.releases.older, COLORS.blue]],
    (b) => plural(b.releases.based_on, "film"),
    (b) => (b.releases.unknown ? `Release year unknown for ${plural(b.releases.unknown, "film")}.` : "")],
  ["first-watches", "First watches or rewatches",
    (b) => [["First watches", b.first_watches.first, COLORS.green], ["Rewatches", b.first_watches.rewatches, COLORS.orange]],
    (b) => plural(b.first_watches.based_on, "diary viewing"),
    () => ""],
  ["reviewed", "Reviewed or not",
    (b) => [["Reviewed", b.reviewed.reviewed, COLORS.blue], ["Not reviewed", b.reviewed.not_reviewed, MUTED]],
    (b) => plural(b.reviewed.based_on, "film"),
    () => ""],
];

function donut(id, parts) {
  const total = parts.reduce((sum, p) => sum + p[1], 0);
  describe(`chart-${id}`, parts.map(([label, value]) => `${label} ${fmt(value)} (${shareOf(value, total)})`).join(", "));
  newChart(`chart-${id}`, {
    type: "doughnut",
    data: {
      labels: parts.map((p) => p[0]),
      // nothing to show: one grey ring, so the donut is still there
      datasets: [{ data: total ? parts.map((p) => p[1]) : [1], backgroundColor: total ? parts.map((p) => p[2]) : [MUTED], borderColor: "#20272e", borderWidth: 2 }],
    },
    options: {
      cutout: "62%",
      plugins: { tooltip: { enabled: total > 0, callbacks: { label: (ctx) => ` ${parts[ctx.dataIndex][0]}: ${fmt(parts[ctx.dataIndex][1])} (${shareOf(parts[ctx.dataIndex][1], total)})` } } },
    },
  });
  return total;
}

export default {
  markup: () => panel("review-breakdowns-title", "In parts",
    grid(3, ...DONUTS.map(([id, title]) => column(
      heading("h3", title),
      sectionNote(`review-${id}-note`),
      chart(`chart-${id}`, title, "donut"),
      el("dl", { class: "facts donut-facts", id: `review-${id}-facts` }))))),
  ids: DONUTS.flatMap(([id]) => [`review-${id}-note`, `chart-${id}`, `review-${id}-facts`]),
  render(s, view) {
    whenReview(view, s.year, (review) => {
      const b = review.breakdowns;
      for (const [id, , shape, counted, extra] of DONUTS) {
        const parts = shape(b, s.year);
        const total = donut(id, parts);
        note(`review-${id}-note`, `Of ${counted(b)}. ${extra(b)}`.trim());
        facts(`review-${id}-facts`, parts.map(([label, value]) => [label, `${fmt(value)} (${shareOf(value, total)})`]));
        // each figure's colour on the donut, before its name
        $(`review-${id}-facts`).querySelectorAll("dt").forEach((dt, i) => {
          const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
          swatch.style.background = parts[i][2];
          dt.prepend(swatch);
        });
      }
    });
  },
};
