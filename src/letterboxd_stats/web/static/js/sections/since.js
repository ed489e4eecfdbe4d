// Since your last export: what the latest update brought (new viewings, new and changed ratings,
// new films, new watchlist entries), from the library's import history (/history). Hidden until
// the library has been updated once, and on a dashboard opened through a share link.
import { el, clear, plural, readOnly, stars } from "../common.js";
import { $, column, dayName, facts, grid, heading, list, panel } from "./parts.js";

const SHOWN = 10;

function filmName(f) {
  return `${f.title}${f.year ? ` (${f.year})` : ""}`;
}

function fill(listId, items, text, empty) {
  const node = $(listId);
  clear(node);
  for (const item of items.slice(0, SHOWN)) node.append(el("li", { text: text(item) }));
  if (!items.length) node.append(el("li", { class: "muted", text: empty }));
}

export function latestUpdate(history) {
  const updates = (history.imports || []).filter((i) => i.kind === "update" && i.changes);
  return updates.length ? updates[updates.length - 1] : null;
}

export default {
  markup: () => {
    const section = panel("since-title", "Since your last export",
      el("p", { class: "muted small", id: "since-note" }),
      el("dl", { class: "facts", id: "since-facts" }),
      grid(2,
        column(heading("h3", "New viewings"), list("since-viewings", "ranked compact")),
        column(heading("h3", "Ratings, new and changed"), list("since-ratings", "ranked compact"))));
    section.id = "since-panel";
    section.hidden = true;
    return section;
  },
  ids: ["since-panel", "since-note", "since-facts", "since-viewings", "since-ratings"],
  render(_stats, view) {
    if (readOnly()) return; // the import history is the owner's: a share link does not open it
    fetch(`/api/session/${view.sessionId}/history`)
      .then((response) => (response.ok ? response.json() : { imports: [] }))
      .then((history) => {
        const update = latestUpdate(history);
        $("since-panel").hidden = !update;
        if (!update) return;
        const c = update.changes;
        $("since-note").textContent = update.export_date ? `Export of ${dayName(update.export_date)}` : "";
        facts("since-facts", [
          ["New viewings", plural(c.diary_added, "viewing")],
          ["New films", plural(c.films_added, "film")],
          ["New ratings", plural(c.ratings_added, "rating")],
          ["Changed ratings", plural(c.ratings_changed, "rating")],
          ["New on the watchlist", plural(c.watchlist_added, "film")],
        ]);
        fill("since-viewings", c.new_viewings.slice().reverse(),
          (v) => `${filmName(v)}, ${dayName(v.watched_on)}${v.rating ? ` ${stars(v.rating)}` : ""}`,
          "No new viewings.");
        const ratings = [...c.rating_changes, ...c.new_ratings];
        fill("since-ratings", ratings,
          (r) => (r.old == null ? `${filmName(r)}: ${stars(r.new)}` : `${filmName(r)}: ${stars(r.old)} → ${stars(r.new)}`),
          "No new ratings.");
      })
      .catch(() => { $("since-panel").hidden = true; });
  },
};
