// opencc-js ships types for its converters only; its raw dictionaries are "src dst|src dst|…" strings.
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}
