import assert from "node:assert/strict";
import { bestTimes, compareTimes } from "../../scripts/test_times.ts";

const testcase = (name: string, file: string, time: string) =>
  `<testcase name="${name}" classname="./tests/${file}" time="${time}" line="1" col="1">`;

Deno.test("test_times: best time per test over runs, names unescaped", () => {
  const best = bestTimes([
    testcase("a &gt; step", "x_test.ts", "0.300") + testcase("b", "x_test.ts", "0.010"),
    testcase("a &gt; step", "x_test.ts", "0.200"),
  ]);
  assert.deepEqual([...best], [["tests/x_test.ts :: a > step", 0.2], [
    "tests/x_test.ts :: b",
    0.01,
  ]]);
});

Deno.test("test_times: only tests in both runs, slowest before first", () => {
  const rows = compareTimes(
    [
      testcase("fast", "x_test.ts", "0.1"),
      testcase("slow", "x_test.ts", "0.9"),
      testcase("gone", "x_test.ts", "5"),
    ],
    [
      testcase("fast", "x_test.ts", "0.3"),
      testcase("slow", "x_test.ts", "0.5"),
      testcase("new", "x_test.ts", "1"),
    ],
  );
  assert.deepEqual(rows.map((r) => [r.test, r.before, r.after]), [
    ["tests/x_test.ts :: slow", 0.9, 0.5],
    ["tests/x_test.ts :: fast", 0.1, 0.3],
  ]);
});
