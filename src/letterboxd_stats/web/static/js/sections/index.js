// The dashboard's sections, in page order. Each module is one section:
//   markup()  builds its panel (appended to #dashboard-view at start); the head has none: its
//             title and coverage line are the page's own (session.html);
//   ids       the elements it fills (its markup contract), checked once the page is built;
//   toggle    true when its panel has the "Most watched / Highest rated" buttons: a click
//             re-renders the section in that mode;
//   render(stats, view)  shapes its part of the /stats answer into lists and charts
//             (view: { sessionId, minRated, mode, readOnly }; readOnly: opened through a
//             share link, so no link to the owner's pages).
// The "Year in review" group (review_*.js) shares one fetch of /review for the period
// (review_data.js): review_head titles it, each other module is one of its sections.
// A new section is one new module, listed here.
import categories from "./categories.js";
import counters from "./counters.js";
import diary from "./diary.js";
import head from "./head.js";
import highs from "./highs.js";
import people from "./people.js";
import ratings from "./ratings.js";
import releases from "./releases.js";
import reviewBreakdowns from "./review_breakdowns.js";
import reviewCalendar from "./review_calendar.js";
import reviewDecades from "./review_decades.js";
import reviewDrift from "./review_drift.js";
import reviewGaps from "./review_gaps.js";
import reviewHead from "./review_head.js";
import reviewMap from "./review_map.js";
import since from "./since.js";
import watchlist from "./watchlist.js";

export const SECTIONS = [
  head, since, counters, diary, ratings, releases, categories, people, highs,
  reviewHead, reviewMap, reviewBreakdowns, reviewCalendar, reviewDecades, reviewDrift, reviewGaps,
  watchlist,
];
