import { expect, test } from "vitest";
import { add, sign } from "./math";

test("add", () => {
  expect(add(1, 2)).toBe(3);
});

test("sign", () => {
  expect(sign(1)).toBe("pos");
});
