/**
 * The `iter` area (under construction).
 *
 * @module
 */
export {};
