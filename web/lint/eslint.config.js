// ESLint for the web UI's scripts: the recommended rules, browser globals, ES modules.
// `make lint-web` runs it from the repository root, so the paths here are relative to it.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["src/letterboxd_stats/web/static/vendor/**"] }, // Chart.js, installed from npm
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["src/letterboxd_stats/web/static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
  },
  {
    files: ["web/lint/eslint.config.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
