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
