// The year in review as story slides (/session/{id}/year/{YYYY|all}): one fetch of /stats and
// one of /review for the period build the slides; the WAI-ARIA carousel pattern (a region with
// its slides as groups, previous/next buttons, the hidden slides aria-hidden and inert, a live
// region naming the slide reached); moved by the arrow keys, Home/End, the buttons, a click on
// either half of the slide, or a horizontal swipe (pointer events).
import { ready } from "./charts.js";
import { api, clear, el, fmt, goneText, plural, sessionId, stars } from "./common.js";

const main = document.getElementById("main");
const id = sessionId();
const YEAR = main.dataset.year; // "" for all time
const PERIOD = YEAR || "All time";
const QUERY = YEAR ? `?year=${YEAR}` : "";
const POSTER = "https://image.tmdb.org/t/p/w342";
const ATLAS = "/static/vendor/countries-110m.json";
const ANTARCTICA = "010";
const SWIPE = 40; // px: a shorter drag is a click
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY = 86_400_000;

const $ = (name) => document.getElementById(name);
const slidesBox = $("story-slides");
const state = { slides: [], current: 0, drawn: new Set() };

// ---------- helpers ----------

function day(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${MONTHS[m - 1]}${YEAR ? "" : ` ${y}`}`;
}

function poster(path, title) {
  const box = el("span", { class: "story-poster" });
  const missing = () => {
    clear(box);
    box.classList.add("is-missing");
    box.append(el("span", { text: title }));
  };
  if (!path) {
    missing();
    return box;
  }
  const img = el("img", { src: POSTER + path, alt: "", decoding: "async" }); // the title is beside it
  img.addEventListener("error", missing, { once: true });
  box.append(img);
  return box;
}

function figure(idName, value, label) {
  return el("div", { class: "story-figure" }, el("span", { class: "story-figure-value", id: idName, text: value }), el("span", { class: "story-figure-label", text: label }));
}

function ranked(items, value) {
  const top = Math.max(1, ...items.map((i) => i.films));
  return el("ol", { class: "story-ranked" }, ...items.map((item) => {
    const bar = el("span", { class: "story-bar-fill" });
    bar.style.width = `${Math.max(4, (100 * item.films) / top)}%`;
    return el("li", {}, el("span", { class: "story-ranked-name", text: item.name }), el("span", { class: "story-ranked-value", text: value(item) }), el("span", { class: "story-bar-track" }, bar));
  }));
}

function empty(text) {
  return el("p", { class: "story-empty", text });
}

// Days with viewings (review.calendar): the busiest (the earliest of equals) and the longest run
// of consecutive days.
function calendarFacts(calendar) {
  const days = calendar.flatMap((y) => y.days).filter((d) => d.viewings > 0).sort((a, b) => (a.date < b.date ? -1 : 1));
  let busiest = null;
  let best = { days: 0, start: null, end: null };
  let run = { days: 0, start: null, end: null };
  let previous = null;
  for (const d of days) {
    if (!busiest || d.viewings > busiest.viewings) busiest = d;
    const [y, m, dd] = d.date.split("-").map(Number);
    const t = Date.UTC(y, m - 1, dd);
    run = previous !== null && t - previous === DAY ? { days: run.days + 1, start: run.start, end: d.date } : { days: 1, start: d.date, end: d.date };
    if (run.days > best.days) best = { ...run };
    previous = t;
  }
  return { busiest, streak: best, active: days.length };
}

// ---------- the slides ----------

function slideIntro(stats) {
  const user = main.dataset.username;
  return {
    name: "Intro",
    body: [
      el("p", { class: "story-kicker", text: user ? `${user}’s` : "A library’s" }),
      el("h2", { class: "story-title story-huge", text: YEAR ? `${YEAR} in film` : "All time in film" }),
      el("p", { class: "story-lead", text: stats.totals.films ? `${plural(stats.totals.films, "film")}, one slide at a time.` : "No films in this period." }),
      el("p", { class: "story-hint", text: "Use the arrow keys, the buttons, swipe, or tap either side." }),
    ],
  };
}

function slideCounts(stats) {
  const t = stats.totals;
  return {
    name: "The counts",
    body: [
      el("h2", { class: "story-title", text: YEAR ? `${YEAR} in numbers` : "In numbers" }),
      el("div", { class: "story-figures" },
        figure("story-films", fmt(t.films), t.films === 1 ? "film" : "films"),
        figure("story-hours", fmt(t.hours), t.hours === 1 ? "hour" : "hours"),
        figure("story-viewings", fmt(t.viewings), t.viewings === 1 ? "viewing" : "viewings")),
      el("p", { class: "story-note", text: t.hours_based_on < t.films ? `Hours from the ${plural(t.hours_based_on, "film")} with a known runtime.` : "Rewatches count as viewings." }),
    ],
  };
}

function slideTopRated(stats) {
  const films = stats.ratings.highest_rated.slice(0, 6);
  return {
    name: "Highest rated",
    body: [
      el("h2", { class: "story-title", text: "Highest rated" }),
      films.length
        ? el("ol", { class: "story-posters" }, ...films.map((f) => el("li", {}, poster(f.poster_path, f.title), el("span", { class: "story-poster-title", text: f.title }), el("span", { class: "story-poster-rating", text: stars(f.rating) }))))
        : empty("No rated films in this period."),
    ],
  };
}

function slideGenres(stats) {
  const items = stats.genres.most_watched.slice(0, 5);
  return {
    name: "Top genres",
    body: [
      el("h2", { class: "story-title", text: "Top genres" }),
      items.length ? ranked(items, (i) => plural(i.films, "film")) : empty("No genres known for this period’s films."),
    ],
  };
}

function slidePeople(stats) {
  const group = (title, role) => {
    const items = role.most_watched.slice(0, 3);
    return el("div", { class: "story-people" }, el("h3", { text: title }), items.length ? ranked(items, (i) => plural(i.films, "film")) : empty("None known."));
  };
  return {
    name: "Top people",
    body: [el("h2", { class: "story-title", text: "The people you watched most" }), group("Directors", stats.people.directors), group("Actors", stats.people.actors)],
  };
}

function slideMilestones(stats) {
  let items = stats.diary.milestones;
  if (items.length > 5) items = [items[0], ...items.slice(1, -1).slice(-3), items[items.length - 1]];
  const label = (m) => (m.label === "first" ? "First" : m.label === "last" ? "Last" : m.label);
  return {
    name: "Milestones",
    body: [
      el("h2", { class: "story-title", text: "Milestones" }),
      items.length
        ? el("ol", { class: "story-milestones" }, ...items.map((m) => el("li", {}, el("span", { class: "story-milestone-label", text: label(m) }), el("span", { class: "story-milestone-film", text: m.film.title }), el("span", { class: "story-milestone-date", text: day(m.date) }))))
        : empty("No dated diary entries in this period."),
    ],
  };
}

function slideDays(review) {
  const { busiest, streak, active } = calendarFacts(review.calendar);
  return {
    name: "Busiest day and longest streak",
    body: [
      el("h2", { class: "story-title", text: "Your busiest days" }),
      busiest
        ? el("div", { class: "story-figures" },
          figure("story-busiest", plural(busiest.viewings, "film"), `on ${day(busiest.date)}, the busiest day`),
          figure("story-streak", plural(streak.days, "day"), streak.days > 1 ? `in a row, ${day(streak.start)} to ${day(streak.end)}` : "in a row: no two days running"),
          figure("story-active", fmt(active), active === 1 ? "day with a film" : "days with a film"))
        : empty("No diary entries in this period."),
    ],
  };
}

function slideSpread(stats) {
  const r = stats.ratings;
  const top = Math.max(1, ...r.spread.map((b) => b.films));
  const bars = el("div", { class: "story-spread", role: "img", "aria-label": `Films per rating: ${r.spread.map((b) => `${fmt(b.stars, 1)} stars ${fmt(b.films)}`).join(", ")}` },
    ...r.spread.map((b) => {
      const bar = el("span", { class: "story-spread-bar" });
      bar.style.height = `${(100 * b.films) / top}%`;
      return el("span", { class: "story-spread-col" }, el("span", { class: "story-spread-n", text: b.films ? fmt(b.films) : "" }), el("span", { class: "story-spread-track" }, bar), el("span", { class: "story-spread-star", text: fmt(b.stars, 1) }));
    }));
  return {
    name: "Rating spread",
    body: [
      el("h2", { class: "story-title", text: "How you rated" }),
      r.rated ? bars : empty("No rated films in this period."),
      el("p", { class: "story-lead", id: "story-mean", text: r.rated ? `Mean ${stars(r.mean)} · median ${stars(r.median)} · ${plural(r.rated, "film")} rated` : "" }),
    ],
  };
}

function slideMap(review) {
  const c = review.countries;
  const named = c.items.slice(0, 5).map((i) => `${i.name} (${fmt(i.films)})`).join(", ");
  const canvas = el("canvas", { id: "story-map", role: "img", "aria-label": `Films per production country on a world map: ${c.items.map((i) => `${i.name} ${fmt(i.films)}`).join(", ") || "none"}` });
  return {
    name: "Around the world",
    body: [
      el("h2", { class: "story-title", text: c.items.length ? `${plural(c.items.length, "country", "countries")}` : "Around the world" }),
      c.items.length ? el("div", { class: "story-map" }, canvas) : empty("No production countries known for this period’s films."),
      el("p", { class: "story-note", text: named ? `Most: ${named}.` : "" }),
    ],
    show: () => c.items.length && drawMap(canvas, c),
  };
}

function slideCard() {
  const src = `/api/session/${id}/card.png${YEAR ? `?year=${YEAR}&format=story` : "?format=story"}`;
  return {
    name: "Your year in one image",
    body: [
      el("h2", { class: "story-title", text: YEAR ? "Your year in one image" : "All time in one image" }),
      el("img", { id: "story-card", class: "story-card", src, width: 1080, height: 1920, alt: `The share card of ${YEAR || "all time"}: the counts and the highest rated films` }),
      el("p", { class: "story-card-links" }, el("a", { class: "button small", href: src, text: "Open the image" }), " ", el("a", { class: "button small", href: `/session/${id}${YEAR ? `?year=${YEAR}` : ""}`, text: "Back to the stats" })),
      el("p", { class: "story-note", text: "Film data and images from TMDB." }),
    ],
  };
}

// ---------- the map ----------

function green(t) {
  const from = [34, 74, 58];
  const to = [0, 224, 84];
  return `rgb(${from.map((c, i) => Math.round(c + (to[i] - c) * Math.max(0, Math.min(1, t)))).join(", ")})`;
}

function drawMap(canvas, countries) {
  if (state.drawn.has(canvas) || !ready() || !window.ChartGeo) return;
  state.drawn.add(canvas);
  fetch(ATLAS)
    .then((response) => {
      if (!response.ok) throw new Error(`the map answered ${response.status}`);
      return response.json();
    })
    .then((topology) => {
      const features = window.ChartGeo.topojson.feature(topology, topology.objects.countries).features.filter((f) => f.id !== ANTARCTICA);
      const byNumeric = new Map(countries.items.map((item) => [item.numeric, item]));
      const max = Math.max(1, ...countries.items.map((i) => i.films));
      const data = features.map((f) => {
        const item = byNumeric.get(String(f.id));
        return { feature: f, value: item ? item.films : null, name: item ? item.name : f.properties.name };
      });
      new window.Chart(canvas, {
        type: "choropleth",
        data: { labels: data.map((d) => d.name), datasets: [{ label: "Films", data, outline: features, borderColor: "#14181c", borderWidth: 0.5 }] },
        options: {
          showOutline: false,
          showGraticule: false,
          scales: {
            projection: { axis: "x", projection: "equalEarth", padding: 4 },
            color: { axis: "x", type: max >= 20 ? "colorLogarithmic" : "color", min: 1, max, interpolate: green, missing: "#2a333c", display: false },
          },
          plugins: { tooltip: { callbacks: { title: () => "", label: (ctx) => `${ctx.raw.name}: ${ctx.raw.value ? plural(ctx.raw.value, "film") : "no films"}` } } },
        },
      });
      canvas.dataset.drawn = "true";
    })
    .catch((error) => {
      state.drawn.delete(canvas);
      canvas.replaceWith(empty(`The map could not be drawn (${error.message}).`));
    });
}

// ---------- the carousel ----------

function build(stats, review) {
  const slides = [slideIntro(stats), slideCounts(stats), slideTopRated(stats), slideGenres(stats), slidePeople(stats), slideMilestones(stats), slideDays(review), slideSpread(stats), slideMap(review), slideCard()];
  clear(slidesBox);
  const progress = $("story-progress");
  clear(progress);
  state.slides = slides.map((slide, i) => {
    const node = el("div", { class: "story-slide", role: "group", "aria-roledescription": "slide", "aria-label": `${i + 1} of ${slides.length}`, dataset: { name: slide.name } }, el("div", { class: "story-slide-inner" }, ...slide.body));
    slidesBox.append(node);
    progress.append(el("span", { class: "story-segment" }, el("span", { class: "story-segment-fill" })));
    return { ...slide, node };
  });
  $("story-prev").disabled = false;
  $("story-next").disabled = false;
}

function go(index, { announce = true } = {}) {
  const count = state.slides.length;
  if (!count) return;
  const target = Math.max(0, Math.min(count - 1, index));
  const direction = target >= state.current ? "forward" : "back";
  state.current = target;
  state.slides.forEach((slide, i) => {
    const current = i === target;
    slide.node.classList.toggle("is-current", current);
    slide.node.classList.remove("enter-forward", "enter-back");
    if (current) {
      slide.node.removeAttribute("aria-hidden");
      slide.node.inert = false;
      if (announce) slide.node.classList.add(`enter-${direction}`);
    } else {
      slide.node.setAttribute("aria-hidden", "true");
      slide.node.inert = true;
    }
  });
  [...$("story-progress").children].forEach((segment, i) => {
    segment.classList.toggle("is-done", i < target);
    segment.classList.toggle("is-current", i === target);
  });
  $("story-count").textContent = `${target + 1} of ${count}`;
  const [prev, next] = [$("story-prev"), $("story-next")];
  const focused = document.activeElement;
  prev.disabled = target === 0;
  next.disabled = target === count - 1;
  if (focused === prev && prev.disabled) next.focus(); // a disabled button would drop the focus
  if (focused === next && next.disabled) prev.focus();
  main.dataset.slide = String(target + 1);
  if (announce) $("story-live").textContent = `Slide ${target + 1} of ${count}: ${state.slides[target].name}`;
  const slide = state.slides[target];
  if (slide.show) slide.show();
}

function move(step) {
  const target = state.current + step;
  if (target < 0 || target >= state.slides.length) return;
  go(target);
}

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || !state.slides.length) return;
  const keys = { ArrowRight: () => move(1), ArrowLeft: () => move(-1), Home: () => go(0), End: () => go(state.slides.length - 1) };
  const action = keys[event.key];
  if (!action) return;
  event.preventDefault();
  action();
});
$("story-prev").addEventListener("click", () => move(-1));
$("story-next").addEventListener("click", () => move(1));

// A click on either half of the slide; a horizontal drag (a swipe) moves, and its click is not one.
let drag = null;
let swiped = false;
slidesBox.addEventListener("pointerdown", (event) => {
  swiped = false;
  drag = event.isPrimary ? { x: event.clientX, y: event.clientY } : null;
});
slidesBox.addEventListener("pointercancel", () => { drag = null; });
slidesBox.addEventListener("pointerup", (event) => {
  if (!drag) return;
  const dx = event.clientX - drag.x;
  const dy = event.clientY - drag.y;
  drag = null;
  if (Math.abs(dx) >= SWIPE && Math.abs(dx) > Math.abs(dy)) {
    swiped = true;
    move(dx < 0 ? 1 : -1);
  }
});
slidesBox.addEventListener("click", (event) => {
  if (swiped) {
    swiped = false;
    return;
  }
  if (!state.slides.length || event.target.closest("a, button")) return;
  const box = slidesBox.getBoundingClientRect();
  move(event.clientX < box.left + box.width / 2 ? -1 : 1);
});

async function load() {
  try {
    const [stats, review] = await Promise.all([api(`/api/session/${id}/stats${QUERY}`), api(`/api/session/${id}/review${QUERY}`)]);
    build(stats, review);
    go(0, { announce: false });
    main.dataset.loaded = PERIOD;
  } catch (error) {
    clear(slidesBox);
    slidesBox.append(el("p", { class: "story-loading", role: "alert", text: error.status === 404 ? goneText() : `The year in review could not be loaded: ${error.message}` }));
  }
}

load();
