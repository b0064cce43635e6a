/**
 * The `dispose` area (under construction).
 *
 * @module
 */
export {};
