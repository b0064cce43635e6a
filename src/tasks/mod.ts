/**
 * The `tasks` area (under construction).
 *
 * @module
 */
export {};
