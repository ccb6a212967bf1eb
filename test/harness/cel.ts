/**
 * Runs a ValidatingAdmissionPolicy's validations the way the API server does, with a CEL
 * evaluator (`@bufbuild/cel`): `object` is the pod, `request` the admission request. JSON objects
 * become CEL maps (so `has(x.f)` tests presence) and whole numbers CEL ints. A validation that
 * fails to evaluate counts as a denial, as under `failurePolicy: Fail`.
 */
import { run } from "@bufbuild/cel";

/** JSON in, CEL values out. */
export function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value;
}

/** The messages of the validations that deny `object` (none when it is admitted). */
export function denials(
  validations: readonly { readonly expression: string; readonly message: string }[],
  object: unknown,
  operation: "CREATE" | "UPDATE" = "CREATE",
): string[] {
  const bindings = { object: toCel(object), request: toCel({ operation }) } as never;
  return validations
    .filter((v) => {
      try {
        return run(v.expression, bindings) !== true;
      } catch {
        return true;
      }
    })
    .map((v) => v.message);
}
