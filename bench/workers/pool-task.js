// @ts-check
/** The trivial task of the pool anchors (piscina, tinypool): returns its input. */
/** @param {unknown} value */
export default function echo(value) {
  return value;
}
