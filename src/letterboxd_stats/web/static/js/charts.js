// Chart.js (the global `Chart`, loaded with a deferred classic script) with the site's look.

const COLORS = { orange: "#ff8000", green: "#00c030", blue: "#40bcf4", grid: "rgba(155, 170, 187, 0.16)", text: "#aab8c5" };
export { COLORS };

let configured = false;

// Chart.js with the site's defaults; false while it is not loaded.
export function ready() {
  if (!window.Chart) return false;
  if (!configured) {
    const { defaults } = window.Chart;
    defaults.color = COLORS.text;
    defaults.borderColor = COLORS.grid;
    defaults.font.family = getComputedStyle(document.body).fontFamily;
    defaults.font.size = 12;
    defaults.maintainAspectRatio = false;
    defaults.plugins.legend.display = false;
    defaults.animation = false; // calm, and no bars caught moving when the page resizes
    configured = true;
  }
  return true;
}

export function barChart(canvasId, labels, values, options = {}) {
  const canvas = document.getElementById(canvasId);
  if (!canvas || !ready()) return null;
  const existing = window.Chart.getChart(canvas);
  if (existing) existing.destroy();
  const horizontal = Boolean(options.horizontal);
  const valueAxis = horizontal ? "x" : "y";
  const labelAxis = horizontal ? "y" : "x";
  const scales = {
    [valueAxis]: { beginAtZero: true, grid: { color: COLORS.grid }, ticks: { precision: options.precision ?? 0 }, max: options.max },
    [labelAxis]: { grid: { display: false }, ticks: { autoSkip: !horizontal, maxRotation: 0, autoSkipPadding: 8 } },
  };
  const short = (text) => (horizontal && text.length > 18 ? `${text.slice(0, 17)}…` : text);
  const summary = labels.map((label, i) => `${label}: ${values[i]}`).join(", ");
  if (!canvas.dataset.title) canvas.dataset.title = canvas.getAttribute("aria-label");
  canvas.setAttribute("aria-label", `${canvas.dataset.title}: ${summary}`.slice(0, 2000));
  return new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: labels.map(short),
      datasets: [{
        data: values,
        backgroundColor: options.color || COLORS.green,
        borderRadius: 3,
        maxBarThickness: 42,
        categoryPercentage: options.dense ? 1 : 0.8,
        barPercentage: 0.9,
      }],
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      scales,
      plugins: { tooltip: { callbacks: { title: (items) => (items.length ? labels[items[0].dataIndex] : ""), label: (ctx) => (options.tooltip ? options.tooltip(ctx.dataIndex) : String(ctx.parsed[valueAxis])) } } },
    },
  });
}
