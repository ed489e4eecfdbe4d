// The dashboard's sections, in page order. Each module is one section:
//   title   the id of its heading in session.html (its <section aria-labelledby>), if it has one;
//   ids     the elements of session.html it fills: its markup contract, checked at start;
//   toggle  true when its "Most watched / Highest rated" buttons re-render it;
//   render(stats, view)  shapes the /stats answer into its lists and charts
//           (view: { sessionId, minRated, mode }).
// A new section: a module here and its markup in session.html.
import categories from "./categories.js";
import counters from "./counters.js";
import diary from "./diary.js";
import head from "./head.js";
import highs from "./highs.js";
import people from "./people.js";
import ratings from "./ratings.js";
import releases from "./releases.js";
import watchlist from "./watchlist.js";

export const SECTIONS = [head, counters, diary, ratings, releases, categories, people, highs, watchlist];
