// ESLint for the page's modules (www/, browser globals), the crates'
// JavaScript modules (src/, bench/src/, python/js/) and the tests
// (e2e/, Node; their page.evaluate callbacks run in the browser, so both
// sets of globals). Formatting is Prettier's, so no style rules here.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["www/pkg/", "**/node_modules/", "target/"] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
    },
  },
  {
    files: ["www/**/*.js"],
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
  {
    // Modules the crates hand to wasm-bindgen, which the page and its
    // workers load.
    files: ["src/**/*.js", "bench/src/*.js", "python/js/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ["e2e/**/*.mjs", "*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node, ...globals.browser } },
  },
];
