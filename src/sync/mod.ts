/**
 * The `sync` area (under construction).
 *
 * @module
 */
export {};
