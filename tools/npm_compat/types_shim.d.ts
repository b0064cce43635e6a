// What tests/types_test.ts uses besides the package, declared loosely: the
// npm-compat step type-checks that file against the packed .d.ts only.
declare const Deno: {
  test(name: string, fn: () => unknown): void;
};
declare module "chai" {
  // deno-lint-ignore no-explicit-any
  export const assert: any;
}
