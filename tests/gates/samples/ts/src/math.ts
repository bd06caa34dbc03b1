export function add(a: number, b: number): number {
  return a + b;
}

export function sign(x: number): string {
  if (x > 0) {
    return "pos";
  } else if (x < 0) {
    return "neg";
  }
  return "zero";
}

export function untested(x: number): number {
  const unused = 1;
  return x * 2;
}

export const bad: number = "no";
