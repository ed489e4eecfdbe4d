// The head of the "Year in review" group (review_*.js): its title for the period, and what went
// wrong when the review could not be loaded.
import { el } from "../common.js";
import { $ } from "./parts.js";
import { periodName, whenReview } from "./review_data.js";

export default {
  markup: () => el("div", { class: "review-head", id: "review-head" },
    el("h2", { id: "review-title", text: "Year in review" }),
    el("p", { class: "section-note", id: "review-note", text: "\u00a0" })),
  ids: ["review-head", "review-title", "review-note"],
  render(s, view) {
    const head = $("review-head");
    delete head.dataset.loadedYear;
    $("review-title").textContent = s.year ? `${s.year}: the year in review` : "All time in review";
    $("review-note").textContent = `Where the films of ${periodName(s.year)} come from, what they were, when you watched them, how your ratings moved, and what is missing.`;
    whenReview(view, s.year, () => {}).catch((error) => {
      $("review-note").textContent = `The review could not be loaded: ${error.message}`;
      head.dataset.loadedYear = "error";
    });
  },
};
