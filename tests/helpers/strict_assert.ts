// Loaded before every test module (`--preload` in the test task): the
// documentation examples state their facts with console.assert, which in
// Deno only logs when false. Here a false one throws, so that an example
// that no longer holds fails its test instead of printing a line nobody reads.
console.assert = (condition?: boolean, ...data: unknown[]): void => {
  if (condition) return;
  throw new Error(`Assertion failed${data.length ? `: ${data.map(String).join(" ")}` : ""}`);
};
