// The pieces the dashboard's sections are built from: ranked lists with bars, fact lists, notes.
import { clear, el, fmt, plural } from "../common.js";

export const $ = (name) => document.getElementById(name);

export function ranked(listId, items, { value, label, max, extra, empty } = {}) {
  const list = $(listId);
  clear(list);
  if (!items.length) {
    list.append(el("li", { class: "empty", text: empty || "Nothing in this period." }));
    return;
  }
  const top = max ?? Math.max(...items.map(value), 0.0001);
  for (const item of items) {
    const v = value(item);
    const bar = el("span", { class: "bar" });
    bar.style.width = `${Math.max(2, (100 * v) / top)}%`;
    list.append(
      el("li", {},
        el("span", { class: "ranked-row" }, el("span", { class: "ranked-name", text: item.name ?? label(item) }), el("span", { class: "ranked-value", text: extra ? extra(item) : fmt(v) })),
        el("span", { class: "bar-track" }, bar)),
    );
  }
}

export function filmLabel(film) {
  return film.year ? `${film.title} (${film.year})` : film.title;
}

export function facts(listId, pairs) {
  const list = $(listId);
  clear(list);
  for (const [term, value] of pairs) list.append(el("div", {}, el("dt", { text: term }), el("dd", { text: value })));
}

export function note(elementId, text) {
  $(elementId).textContent = text;
}

export function basedOn(n) {
  return `Based on ${plural(n, "film")}.`;
}

export const monthName = (period) => new Date(`${period}-01T00:00:00Z`).toLocaleString("en", { month: "short", year: "numeric", timeZone: "UTC" });
export const dayName = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

// ---------- markup: what session.html held, built by each section ----------

const NBSP = "\u00a0";

// A dashboard panel: <section class="panel" aria-labelledby=titleId><h2 id=titleId>…
export function panel(titleId, title, ...children) {
  return el("section", { class: "panel", "aria-labelledby": titleId }, el("h2", { id: titleId, text: title }), ...children);
}

// A panel whose heading has the "Most watched / Highest rated" toggle beside it.
export function panelWithToggle(titleId, title, ...children) {
  const button = (mode, text, pressed) => el("button", { type: "button", class: "toggle-btn", "data-mode": mode, "aria-pressed": String(pressed), text });
  return el("section", { class: "panel", "aria-labelledby": titleId },
    el("div", { class: "section-head" },
      el("h2", { id: titleId, text: title }),
      el("div", { class: "toggle", role: "group", "aria-label": "Rank by" },
        button("most_watched", "Most watched", true), button("highest_rated", "Highest rated", false))),
    ...children);
}

export const sectionNote = (id) => el("p", { class: "section-note", id, text: NBSP });

export const heading = (level, text, noteId) => (noteId ? el(level, {}, `${text} `, el("span", { class: "muted small", id: noteId })) : el(level, { text }));

export const chart = (id, label, size = "") => el("div", { class: size ? `chart chart-${size}` : "chart" }, el("canvas", { id, role: "img", "aria-label": label }));

export const column = (...children) => el("div", {}, ...children);

export const grid = (n, ...children) => el("div", { class: `grid-${n}` }, ...children);

export const list = (id, cls = "ranked") => el("ol", { class: cls, id });

export const skeleton = () => el("div", { class: "counter skeleton" }, el("b", { text: NBSP }), el("span", { text: NBSP }));
