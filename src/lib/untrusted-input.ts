/**
 * Rules every body from outside shares, JSON and XML alike, so no reader invents its own.
 */

/** Deeper than any document needs; a limit keeps hostile nesting from costing stack or time. */
export const MAX_DEPTH = 32;

/**
 * Names that could reach an object's prototype if some later code copied fields with
 * `Object.assign` or a merge, or that a plain `out[name] = …` would turn into a prototype
 * change: refused wherever they appear, though no schema allows them anyway.
 */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
