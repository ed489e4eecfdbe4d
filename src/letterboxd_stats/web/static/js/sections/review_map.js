// Year in review: the films of the period on a world map (a choropleth: films per production
// country, from chartjs-chart-geo and world-atlas' countries at 1:110m, served from our origin),
// matched on the ISO 3166-1 numeric code; its table beside it lists every country.
import { el, fmt, plural } from "../common.js";
import { $, chart, note, panel, sectionNote } from "./parts.js";
import { describe, fillTable, newChart, shareOf, tableBlock, whenReview } from "./review_data.js";

const ATLAS = "/static/vendor/countries-110m.json";
const ANTARCTICA = "010";
const EMPTY = "#2a333c"; // a country without films: the panels' line colour, a little lighter
let atlas = null; // the countries' features, fetched once

function countries() {
  if (!atlas) {
    atlas = fetch(ATLAS)
      .then((response) => {
        if (!response.ok) throw new Error(`the map answered ${response.status}`);
        return response.json();
      })
      .then((topology) => window.ChartGeo.topojson.feature(topology, topology.objects.countries).features.filter((f) => f.id !== ANTARCTICA));
    atlas.catch(() => { atlas = null; });
  }
  return atlas;
}

// From the panel's dark blue-grey to the site's green, by the share of the largest count.
function green(t) {
  const from = [34, 74, 58];
  const to = [0, 224, 84];
  const mix = from.map((c, i) => Math.round(c + (to[i] - c) * Math.max(0, Math.min(1, t))));
  return `rgb(${mix.join(", ")})`;
}

function draw(features, c) {
  const byNumeric = new Map(c.items.map((item) => [item.numeric, item]));
  const onMap = new Set(features.map((f) => String(f.id)));
  const max = Math.max(1, ...c.items.map((i) => i.films));
  const small = $("chart-map").parentElement.clientHeight < 300; // a phone: a shorter legend, over the ocean
  const data = features.map((f) => {
    const item = byNumeric.get(String(f.id));
    return { feature: f, value: item ? item.films : null, name: item ? item.name : f.properties.name };
  });
  newChart("chart-map", {
    type: "choropleth",
    data: { labels: data.map((d) => d.name), datasets: [{ label: "Films", data, outline: features, borderColor: "#14181c", borderWidth: 0.5, hoverBorderColor: "#e3e9ef", hoverBorderWidth: 1.5 }] },
    options: {
      showOutline: false,
      showGraticule: false,
      scales: {
        projection: { axis: "x", projection: "equalEarth", padding: 6 },
        color: {
          axis: "x",
          type: max >= 20 ? "colorLogarithmic" : "color",
          min: 1,
          max,
          interpolate: green,
          missing: EMPTY,
          legend: { position: "bottom-left", align: "right", length: small ? 56 : 120, width: small ? 8 : 10, margin: small ? 2 : 6 },
          ticks: { precision: 0, maxTicksLimit: small ? 3 : 4, color: "#aab8c5", font: { size: small ? 10 : 12 } },
        },
      },
      plugins: { tooltip: { callbacks: { title: () => "", label: (ctx) => `${ctx.raw.name}: ${ctx.raw.value ? plural(ctx.raw.value, "film") : "no films"}` } } },
    },
  });
  const off = c.items.filter((item) => !onMap.has(item.numeric));
  return off;
}

export default {
  markup: () => panel("review-map-title", "Countries on the map",
    sectionNote("review-map-note"),
    chart("chart-map", "Films per production country, on a world map", "map"),
    el("p", { class: "muted small", id: "review-map-off", hidden: true }),
    tableBlock("review-map-table", "Every country, as a table")),
  ids: ["review-map-note", "chart-map", "review-map-off", "review-map-table"],
  render(s, view) {
    whenReview(view, s.year, (review) => {
      const c = review.countries;
      const known = c.based_on - c.unknown;
      note("review-map-note", c.based_on
        ? `${plural(c.items.length, "country", "countries")} · based on ${plural(c.based_on, "film")} with TMDB data${c.unknown ? `; no production country for ${fmt(c.unknown)}` : ""}. A film made in several countries counts in each.`
        : "No films with TMDB data in this period.");
      fillTable("review-map-table", "Films per production country", ["Country", "Films", "Share"],
        c.items.map((item) => [item.name, fmt(item.films), shareOf(item.films, known)]));
      describe("chart-map", c.items.length ? c.items.slice(0, 10).map((i) => `${i.name} ${fmt(i.films)}`).join(", ") + (c.items.length > 10 ? `, and ${c.items.length - 10} more in the table below` : "") : "no countries");
      countries()
        .then((features) => {
          const off = draw(features, c);
          const line = $("review-map-off");
          line.hidden = !off.length;
          line.textContent = off.length ? `Too small for this map: ${off.map((i) => `${i.name} (${fmt(i.films)})`).join(", ")}.` : "";
        })
        .catch((error) => { note("review-map-note", `The map could not be drawn (${error.message}); the table lists every country.`); });
    });
  },
};
