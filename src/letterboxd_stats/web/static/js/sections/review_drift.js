// Year in review: rating drift — your mean rating per month of viewing (line) and how many
// ratings it rests on (bars); its table gives the same figures.
import { fmt, plural } from "../common.js";
import { COLORS } from "../charts.js";
import { chart, monthName, note, panel, sectionNote } from "./parts.js";
import { describe, fillTable, newChart, tableBlock, whenReview } from "./review_data.js";

function draw(drift) {
  newChart("chart-drift", {
    type: "bar",
    data: {
      labels: drift.map((m) => monthName(m.period)),
      datasets: [
        { type: "line", label: "Mean rating", data: drift.map((m) => m.mean), yAxisID: "mean", borderColor: COLORS.orange, backgroundColor: COLORS.orange, pointRadius: drift.length > 40 ? 0 : 3, borderWidth: 2, tension: 0.25, order: 0 },
        { type: "bar", label: "Ratings", data: drift.map((m) => m.ratings), yAxisID: "count", backgroundColor: "rgba(64, 188, 244, 0.35)", borderRadius: 2, maxBarThickness: 28, order: 1 },
      ],
    },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
        mean: { position: "left", min: 0, max: 5, ticks: { stepSize: 1, callback: (v) => (v ? `${v}★` : "") }, title: { display: true, text: "mean" } },
        count: { position: "right", beginAtZero: true, grid: { display: false }, ticks: { precision: 0 }, title: { display: true, text: "ratings" } },
      },
      plugins: {
        legend: { display: true, position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: { callbacks: { label: (ctx) => (ctx.dataset.yAxisID === "mean" ? ` Mean: ${fmt(ctx.parsed.y, 2)}★` : ` ${plural(ctx.parsed.y, "rating")}`) } },
      },
    },
  });
}

export default {
  markup: () => panel("review-drift-title", "Rating drift",
    sectionNote("review-drift-note"),
    chart("chart-drift", "Mean rating per month of viewing, and the number of ratings", "wide"),
    tableBlock("review-drift-table", "Mean rating per month, as a table")),
  ids: ["review-drift-note", "chart-drift", "review-drift-table"],
  render(s, view) {
    whenReview(view, s.year, (review) => {
      const drift = review.rating_drift;
      const ratings = drift.reduce((n, m) => n + m.ratings, 0);
      note("review-drift-note", drift.length
        ? `Your mean rating by month of viewing (diary entries with a rating: ${plural(ratings, "rating")} in ${plural(drift.length, "month")}).`
        : "No rated diary entries in this period.");
      fillTable("review-drift-table", "Mean rating and number of ratings per month of viewing", ["Month", "Mean rating", "Ratings"],
        drift.map((m) => [monthName(m.period), `${fmt(m.mean, 2)}★`, fmt(m.ratings)]));
      describe("chart-drift", drift.length ? drift.map((m) => `${monthName(m.period)} ${fmt(m.mean, 2)}★ (${fmt(m.ratings)})`).join(", ") : "no ratings");
      draw(drift);
    });
  },
};
