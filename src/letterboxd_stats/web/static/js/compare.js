// The comparison of two libraries (/compare/{a}/{b}): the page holds the panels, this module
// fetches /api/compare/{a}/{b} and fills them: the score (or why there is none), the films in
// common, the taste similarity, then ranked lists of films with their posters and both ratings.
// Every list is text; posters are decoration beside it.
import { api, clear, el, fmt, plural, stars, tmdbImage } from "./common.js";
import { $, facts, filmLabel, note, ranked } from "./sections/parts.js";

const view = $("compare-view");
const { a: A_ID, b: B_ID } = view.dataset;
const OWN = view.dataset.aOwn === "true"; // a is the visitor's own library: "you"
const HIGH = Number(view.dataset.high);
const LOW = Number(view.dataset.low);
const SHOWN = 8; // rows of a list before "Show all"
const SECTION_NAMES = { genres: "Genres", directors: "Directors", decades: "Decades", countries: "Countries", actors: "Actors" };

// How the page names each side: a sentence's subject, mid-sentence, and possessive
// (the same fallbacks as compare.html's heading).
function who(name, fallback, own = false) {
  if (own) return { name: "You", mid: "you", of: "your" };
  if (name) return { name, mid: name, of: `${name}’s` };
  return { name: fallback, mid: fallback.toLowerCase(), of: `${fallback.toLowerCase()}’s` };
}
let WHO = { a: who(null, "Library 1", OWN), b: who(null, OWN ? "Your friend" : "Library 2") };

const pct = (share) => `${fmt(share * 100, 0)} %`;
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

// ---------- rows ----------

function rating(side, value, extra = "") {
  return el("span", { class: `rating rating-${side}` },
    el("span", { class: "rating-who", text: WHO[side].name }), " ",
    el("b", { text: stars(value) }), extra);
}

function tmdbUrl(film) {
  return film.tmdb_id ? `https://www.themoviedb.org/${film.tmdb_kind === "tv" ? "tv" : "movie"}/${film.tmdb_id}` : null;
}

// A film: its poster (decoration: the title is the text beside it), its title, then details.
// `lazy`: a row behind "Show all", whose poster waits until it is shown.
function filmRow(film, lazy, ...details) {
  const poster = tmdbImage(film.poster_path, filmLabel(film), "poster", { lazy });
  poster.setAttribute("aria-hidden", "true");
  const url = tmdbUrl(film);
  const title = url
    ? el("a", { class: "film-row-title", href: url, text: filmLabel(film), title: "On The Movie Database" })
    : el("span", { class: "film-row-title", text: filmLabel(film) });
  return el("li", { class: "film-row" }, poster,
    el("span", { class: "film-row-body" }, title, el("span", { class: "film-row-meta" }, ...details)));
}

const flag = (text) => el("span", { class: "flag", text });
const detail = (text) => el("span", { class: "detail", text });

// Fill a list: the first SHOWN rows, the rest behind a "Show all" button; text when empty.
function fill(listId, items, row, empty) {
  const list = $(listId);
  clear(list);
  const previous = list.nextElementSibling;
  if (previous && previous.dataset.more === listId) previous.remove();
  if (!items.length) {
    list.append(el("li", { class: "empty", text: empty }));
    return;
  }
  items.forEach((item, index) => {
    const li = row(item, index >= SHOWN);
    li.hidden = index >= SHOWN;
    list.append(li);
  });
  if (items.length <= SHOWN) return;
  const more = el("button", { type: "button", class: "button small more", "aria-controls": listId, dataset: { more: listId }, text: `Show all ${fmt(items.length)}` });
  more.addEventListener("click", () => {
    for (const li of list.children) li.hidden = false;
    more.remove();
    const next = list.children[SHOWN]?.querySelector("a");
    if (next) next.focus();
  });
  list.after(more);
}

// ---------- the summary: score, films in common, taste similarity ----------

function verdict(score) {
  if (score >= 80) return "Very alike";
  if (score >= 60) return "Alike";
  if (score > 40) return "No more alike than chance";
  return "Opposite tastes";
}

function showScore(c) {
  const big = $("score-big");
  const value = c.score ?? c.taste_similarity;
  $("score-value").textContent = value === null || value === undefined ? "–" : String(value);
  big.style.setProperty("--score", String(value ?? 0));
  big.classList.toggle("score-taste", c.score === null);
  if (c.score !== null) {
    $("score-title").textContent = "Compatibility";
    $("score-verdict").textContent = verdict(c.score);
    const range = c.score_range ? ` Margin of error: ${c.score_range[0]} to ${c.score_range[1]}: the score is shrunk toward 50 (chance) by that margin.` : "";
    $("score-text").textContent = `From the ${plural(c.co_rated, "film")} both rated: ${fmt(c.mean_gap, 2)} ★ apart on average, `
      + `against ${fmt(c.chance_gap, 2)} ★ for the same ratings paired at random.${range}`;
    big.title = `Before allowing for the number of films: ${c.score_unshrunk}`;
  } else {
    $("score-title").textContent = "Taste similarity";
    $("score-verdict").textContent = "No compatibility score yet";
    const reason = c.reason ? `${capital(c.reason)}.` : "";
    $("score-text").textContent = c.taste_similarity === null
      ? `${reason} No taste similarity either: no section has data on both sides.`
      : `${reason} Above: the taste similarity.`;
  }
}

function showOverlap(s) {
  const o = s.overlap;
  const side = (x, w) => `${w.name}: ${plural(x.films, "film")} (${fmt(x.rated)} rated)`;
  note("sides-note", `${side(s.a, WHO.a)} · ${side(s.b, WHO.b)}`);
  facts("overlap-facts", [
    ["Watched by both", plural(o.films, "film")],
    [`Of ${WHO.a.of} films`, pct(o.share_of_a)],
    [`Of ${WHO.b.of} films`, pct(o.share_of_b)],
    ["Of all films either watched", pct(o.jaccard)],
    ["Rated by both", plural(o.rated, "film")],
    ["On both watchlists", plural(s.watch_together.both_watchlists, "film")],
  ]);
}

function showTaste(c) {
  note("taste-note", c.taste_similarity === null ? "" : `${c.taste_similarity} / 100`);
  note("taste-text", c.taste_similarity === null
    ? "Needs a section with data on both sides."
    : "How alike the two libraries’ genres, directors, decades and countries are, weighted by the ratings (100: the same).");
  ranked("taste-sections", c.taste_sections, {
    value: (t) => t.similarity,
    label: (t) => SECTION_NAMES[t.section] ?? capital(t.section),
    max: 100,
    extra: (t) => `${fmt(t.similarity, 0)} / 100`,
    empty: "No section with data on both sides.",
  });
}

// ---------- the lists ----------

function showAgreements(s) {
  const g = s.agreements;
  note("both-high-note", `Films both rated ${fmt(HIGH, 1)} ★ or more, best first.`);
  note("both-low-note", `Films both rated ${fmt(LOW, 1)} ★ or less, worst first.`);
  note("disagreements-note", `Films both rated, by the gap between the two ratings (1 ★ or more).`);
  const both = (f, lazy) => filmRow(f, lazy, rating("a", f.rating_a), rating("b", f.rating_b));
  fill("both-high", g.both_high, both, "No film both loved yet.");
  fill("both-low", g.both_low, both, "No film both disliked.");
  fill("disagreements", g.disagreements,
    (f, lazy) => filmRow(f, lazy, rating("a", f.rating_a), rating("b", f.rating_b), detail(`${fmt(f.gap, 1)} ★ apart`)),
    "No disagreement of a star or more: you rate the films both saw alike.");
}

function showRecommendations(s) {
  const r = s.recommendations;
  // for_a: films b loved that a has not watched (b's rating, the fit for a's taste)
  const row = (to, from) => (f, lazy) => filmRow(f, lazy, rating(from, f.rating),
    detail(`fits ${WHO[to].of} taste ${pct(f.fit)}`),
    f.on_watchlist ? flag(`On ${WHO[to].of} watchlist`) : null);
  note("for-a-note", `Films ${WHO.b.mid} rated ${fmt(HIGH, 1)} ★ or more that ${WHO.a.mid} did not watch, the best fit for ${WHO.a.of} taste first.`);
  note("for-b-note", `Films ${WHO.a.mid} rated ${fmt(HIGH, 1)} ★ or more that ${WHO.b.mid} did not watch, the best fit for ${WHO.b.of} taste first.`);
  $("for-a-title").textContent = `For ${WHO.a.mid}`;
  $("for-b-title").textContent = `For ${WHO.b.mid}`;
  fill("for-a", r.for_a, row("a", "b"), `Nothing ${WHO.b.mid} loved that ${WHO.a.mid} did not watch.`);
  fill("for-b", r.for_b, row("b", "a"), `Nothing ${WHO.a.mid} loved that ${WHO.b.mid} did not watch.`);
}

function showWatchTogether(s) {
  const w = s.watch_together;
  note("both-watchlists-note", `${plural(w.both_watchlists, "film")} on both watchlists, by TMDB’s average vote.`);
  note("watchlist-loved-note", `On one’s watchlist, rated ${fmt(HIGH, 1)} ★ or more by the other.`);
  const vote = (f) => (f.vote_average ? detail(`TMDB ${fmt(f.vote_average, 1)} / 10`) : null);
  fill("both-watchlists", w.both, (f, lazy) => filmRow(f, lazy, flag("On both watchlists"), vote(f)), "No film on both watchlists.");
  fill("watchlist-loved", w.one_watchlist_other_loved, (f, lazy) => {
    const waiting = f.on_watchlist_of === "b" ? "b" : "a";
    const other = waiting === "a" ? "b" : "a";
    return filmRow(f, lazy, flag(`On ${WHO[waiting].of} watchlist`), rating(other, f.rating));
  }, "No film on one’s watchlist that the other loved.");
}

function tasteRow(item, lazy, ...details) {
  const children = [el("span", { class: "taste-name", text: item.name }), el("span", { class: "film-row-meta stacked" }, ...details)];
  if (item.section === "directors" || item.section === "actors") {
    const photo = tmdbImage(item.image, item.name, "profile", { lazy });
    photo.setAttribute("aria-hidden", "true");
    return el("li", { class: "taste-row with-photo" }, photo, el("span", { class: "film-row-body" }, ...children));
  }
  return el("li", { class: "taste-row" }, el("span", { class: "film-row-body" }, ...children));
}

function showTastes(s) {
  const t = s.tastes;
  note("love-note", `What both rate above their own mean rating, by the lower of the two means.`);
  for (const section of ["genres", "directors", "actors"]) {
    const items = t.both_love.filter((i) => i.section === section);
    fill(`love-${section}`, items,
      (i, lazy) => tasteRow(i, lazy, rating("a", i.mean_a, ` · ${plural(i.films_a, "film")}`), rating("b", i.mean_b, ` · ${plural(i.films_b, "film")}`)),
      `No ${section === "genres" ? "genre" : section.slice(0, -1)} both rate above their mean.`);
  }
  note("differ-note", "The largest gaps between the shares of both libraries’ films.");
  for (const section of ["genres", "decades", "countries"]) {
    const items = t.differences.filter((i) => i.section === section);
    const top = Math.max(0.0001, ...items.flatMap((i) => [i.share_a, i.share_b]));
    fill(`differ-${section}`, items, (i) => {
      const share = (side, value) => {
        const bar = el("span", { class: `bar bar-${side}` });
        bar.style.width = `${Math.max(2, (100 * value) / top)}%`;
        return el("span", { class: "share" },
          el("span", { class: `rating rating-${side}` }, el("span", { class: "rating-who", text: WHO[side].name }), " ", el("b", { text: pct(value) })),
          el("span", { class: "bar-track" }, bar));
      };
      return el("li", { class: "taste-row" }, el("span", { class: "film-row-body" },
        el("span", { class: "taste-name", text: i.name }),
        share("a", i.share_a), share("b", i.share_b)));
    }, "No difference here.");
  }
}

// ---------- start ----------

function showNotice(text) {
  const box = $("compare-notice");
  box.textContent = text;
  box.hidden = false;
}

async function load() {
  const summary = $("compare-summary");
  try {
    const s = await api(`/api/compare/${A_ID}/${B_ID}`);
    WHO = { a: who(s.a.name, "Library 1", OWN), b: who(s.b.name, OWN ? "Your friend" : "Library 2") };
    // the taste differences' bars start where the longer name and a share end, on every row
    const longest = Math.min(16, Math.max(WHO.a.name.length, WHO.b.name.length));
    view.style.setProperty("--share-label", `${longest + 8}ch`);
    showScore(s.compatibility);
    showOverlap(s);
    showTaste(s.compatibility);
    showAgreements(s);
    showRecommendations(s);
    showWatchTogether(s);
    showTastes(s);
    view.dataset.loaded = "true";
  } catch (error) {
    $("score-text").textContent = "";
    showNotice(error.status === 404
      ? "One of these libraries is no longer available: it was deleted, or its share link revoked."
      : `The comparison could not be loaded: ${error.message}`);
  } finally {
    summary.removeAttribute("aria-busy");
  }
}

// Your own id is in this page's address: offer the address with your share link instead, if any.
async function offerShareable() {
  if (!OWN) return;
  try {
    const mine = await api(`/api/session/${A_ID}`);
    if (!mine.share) return;
    $("share-compare-link").href = `/compare/${mine.share.share_id}/${B_ID}`;
    $("share-compare").hidden = false;
  } catch {
    /* no share link to offer */
  }
}

load();
offerShareable();
