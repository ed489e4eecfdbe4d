// Year in review: a calendar heatmap of the diary's viewings (chartjs-chart-matrix): one row per
// year, each a week-by-weekday grid as on a wall calendar; its table gives the viewings per month.
import { el, fmt, plural } from "../common.js";
import { $, dayName, note, panel, sectionNote } from "./parts.js";
import { describe, fillTable, newChart, tableBlock, whenReview } from "./review_data.js";

const ROWS = 8; // per year: seven weekdays and a gap
const WEEKS = 54; // a year's Monday-first weeks, counted from the week of 1 January (even)
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Mon", "", "Wed", "", "Fri", "", ""];
// one year: 54 columns; on a phone, two blocks of 27

function place(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  const jan1 = Date.UTC(date.getUTCFullYear(), 0, 1);
  const offset = (new Date(jan1).getUTCDay() + 6) % 7; // Monday 0
  const day = Math.round((date.getTime() - jan1) / 86400000);
  return { week: Math.floor((day + offset) / 7), weekday: (date.getUTCDay() + 6) % 7 };
}

// The week of the year's first day of each month (for the x axis), in a year starting on a Monday.
const MONTH_WEEKS = new Map(MONTHS.map((m, i) => [Math.floor(Math.round((Date.UTC(2024, i, 1) - Date.UTC(2024, 0, 1)) / 86400000) / 7), m]));
const EMPTY = "#283039"; // a day without viewings: a little lighter than the panel

function shade(value, max) {
  const t = Math.sqrt(value / Math.max(1, max));
  const from = [27, 84, 52];
  const to = [0, 224, 84];
  return `rgb(${from.map((c, i) => Math.round(c + (to[i] - c) * t)).join(", ")})`;
}

// Where a day goes: its column (week within its block) and row (yearIndex, block, weekday). A
// phone splits each year in two blocks of 27 weeks (January to June, July to December).
function cell(iso, yearIndex, blocks) {
  const { week, weekday } = place(iso);
  const span = WEEKS / blocks;
  const block = Math.min(blocks - 1, Math.floor(week / span));
  return { x: week - block * span, y: (yearIndex * blocks + block) * ROWS + weekday };
}

// Every day of a year: the calendar's empty cells, under the days with viewings.
function everyDay(year, yearIndex, blocks) {
  const days = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86400000) {
    days.push(cell(new Date(t).toISOString().slice(0, 10), yearIndex, blocks));
  }
  return days;
}

const AXIS = 58; // px: the weekday and year labels left of the grid
const TOP = 22; // px: the months above it

function draw(calendar) {
  // most recent year on top
  const years = calendar.slice().sort((a, b) => b.year - a.year);
  const max = Math.max(1, ...years.map((y) => y.max));
  const canvas = $("chart-calendar");
  const box = canvas.parentElement;
  const blocks = box.clientWidth < 600 ? 2 : 1;
  const columns = WEEKS / blocks;
  const cells = years.flatMap((y, i) => y.days.map((d) => ({ ...cell(d.date, i, blocks), date: d.date, v: d.viewings })));
  const rows = years.length * blocks * ROWS - 1; // no gap after the last block
  const yLabels = Array.from({ length: rows }, (_, i) => {
    const block = Math.floor(i / ROWS);
    const row = i % ROWS;
    const year = years[Math.floor(block / blocks)].year;
    if (blocks === 1) return row === 3 ? `${year}  ` : WEEKDAYS[row] ?? "";
    if (row === 1) return block % blocks ? "" : String(year);
    if (row === 3) return block % blocks ? "Jul–Dec" : "Jan–Jun";
    return "";
  });
  // cells about square, whatever the width: the chart's height follows it
  const size = Math.max(4, (box.clientWidth - AXIS) / columns);
  box.style.height = `${Math.round(rows * size + (blocks === 1 ? TOP : 6))}px`;
  const side = (chart, axis) => {
    const area = chart.chartArea;
    if (!area) return 1;
    return Math.max(1, axis === "x" ? area.width / columns - 2 : area.height / rows - 2);
  };
  newChart("chart-calendar", {
    type: "matrix",
    data: {
      datasets: [
        { data: cells, backgroundColor: (ctx) => (ctx.raw ? shade(ctx.raw.v, max) : EMPTY), borderRadius: 2, width: ({ chart }) => side(chart, "x"), height: ({ chart }) => side(chart, "y") },
        { data: years.flatMap((y, i) => everyDay(y.year, i, blocks)), backgroundColor: EMPTY, hoverBackgroundColor: EMPTY, borderRadius: 2, width: ({ chart }) => side(chart, "x"), height: ({ chart }) => side(chart, "y") },
      ],
    },
    options: {
      // linear axes from -0.5 so that a cell is centred on its week and weekday; ticks only
      // where there is a label: the weeks that start a month, the weekdays and the years
      scales: {
        x: { type: "linear", display: blocks === 1, min: -0.5, max: columns - 0.5, position: "top", grid: { display: false }, border: { display: false },
          afterBuildTicks: (scale) => { scale.ticks = [...MONTH_WEEKS.keys()].map((value) => ({ value })); },
          ticks: { autoSkip: false, maxRotation: 0, padding: 2, callback: (v) => MONTH_WEEKS.get(v) ?? "" } },
        y: { type: "linear", reverse: true, min: -0.5, max: rows - 0.5, afterFit: (scale) => { scale.width = AXIS; }, grid: { display: false }, border: { display: false },
          afterBuildTicks: (scale) => { scale.ticks = yLabels.flatMap((label, value) => (label ? [{ value }] : [])); },
          ticks: { autoSkip: false, padding: 4, font: (ctx) => ({ size: /^\d/.test(yLabels[ctx.tick?.value] ?? "") ? 12 : 10, weight: /^\d/.test(yLabels[ctx.tick?.value] ?? "") ? "bold" : "normal" }), callback: (v) => yLabels[v] ?? "" } },
      },
      plugins: {
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: { title: (items) => (items.length ? dayName(items[0].raw.date) : ""), label: (ctx) => plural(ctx.raw.v, "viewing") },
        },
      },
    },
  });
}

function months(year) {
  const counts = new Array(12).fill(0);
  for (const d of year.days) counts[Number(d.date.slice(5, 7)) - 1] += d.viewings;
  return counts;
}

export default {
  markup: () => panel("review-calendar-title", "Calendar",
    sectionNote("review-calendar-note"),
    el("div", { class: "chart chart-calendar" }, el("canvas", { id: "chart-calendar", role: "img", "aria-label": "Viewings per day, one row per year" })),
    tableBlock("review-calendar-table", "Viewings per month, as a table")),
  ids: ["review-calendar-note", "chart-calendar", "review-calendar-table"],
  render(s, view) {
    whenReview(view, s.year, (review) => {
      const calendar = review.calendar;
      const viewings = calendar.reduce((sum, y) => sum + y.days.reduce((n, d) => n + d.viewings, 0), 0);
      const days = calendar.reduce((sum, y) => sum + y.days.length, 0);
      note("review-calendar-note", viewings
        ? `${plural(viewings, "viewing")} on ${plural(days, "day")}; the darkest green is ${plural(Math.max(...calendar.map((y) => y.max)), "viewing")} in a day. Placeholder dates of a back-filled diary are left out.`
        : "No dated diary viewings in this period.");
      const years = calendar.slice().sort((a, b) => b.year - a.year);
      fillTable("review-calendar-table", "Viewings per month and year", ["Year", ...MONTHS, "Total", "Days"],
        years.map((y) => {
          const m = months(y);
          return [String(y.year), ...m.map((n) => fmt(n)), fmt(m.reduce((a, b) => a + b, 0)), fmt(y.days.length)];
        }));
      describe("chart-calendar", years.map((y) => `${y.year}: ${plural(months(y).reduce((a, b) => a + b, 0), "viewing")} on ${plural(y.days.length, "day")}`).join("; ") || "no viewings");
      $("chart-calendar").parentElement.hidden = !calendar.length;
      if (calendar.length) draw(calendar);
    });
  },
};
