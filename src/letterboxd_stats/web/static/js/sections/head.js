// The dashboard's head: the period's title and what the statistics cover.
import { clear, el, fmt, plural } from "../common.js";
import { $ } from "./parts.js";

export default {
  ids: ["dash-title", "coverage"],
  render(s, view) {
    $("dash-title").textContent = s.year ? `${s.year} in review` : "All time";
    const cov = s.coverage.films;
    const parts = [`${fmt(cov.with_tmdb_data)} of ${plural(cov.total, "film")} have TMDB data`];
    if (cov.needs_review) parts.push(`${fmt(cov.needs_review)} to review`);
    if (cov.unmatched) parts.push(`${fmt(cov.unmatched)} unmatched`);
    if (cov.failed) parts.push(`${fmt(cov.failed)} failed`);
    if (cov.pending) parts.push(`${fmt(cov.pending)} not enriched yet`);
    const coverage = $("coverage");
    clear(coverage);
    coverage.append(`Coverage: ${parts.join(" · ")}. Sections built on TMDB data say what they rest on.`);
    if (!view.readOnly && (cov.needs_review || cov.unmatched || cov.failed)) {
      coverage.append(" ", el("a", { href: `/session/${view.sessionId}/review`, text: "Review matches" }));
    }
  },
};
