/**
 * Display: text and HTML renderings for terminals and notebooks.
 *
 * @module
 */
export * from "./html.ts";
export * from "./stepper_view.ts";
