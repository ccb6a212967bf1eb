/**
 * Validates Kubernetes objects against the Kubernetes API's OpenAPI schema, with the maintained
 * `kubernetes-models` package (one model class per apiVersion and kind).
 */

import * as path from "path";

interface Model {
  validate(): void;
}

/** Validates one object as registered (apiVersion, kind, metadata, spec...); throws on a violation. */
export function validateKubernetesObject(object: Record<string, unknown>): void {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  // Karpenter's kinds come from @kubernetes-models/karpenter (schemas generated from its CRDs),
  // an ES module package that exports only `import` paths: its files are loaded by path.
  const modulePath = apiVersion.startsWith("karpenter.")
    ? path.resolve(__dirname, "../../node_modules/@kubernetes-models/karpenter", apiVersion, `${kind}.js`)
    : `kubernetes-models/${apiVersion.includes("/") ? apiVersion : `v1`}/${kind}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(modulePath) as Record<string, new (data: unknown) => Model>;
  const ModelClass = module[kind];
  if (typeof ModelClass !== "function") {
    throw new Error(`no schema model for ${apiVersion} ${kind}`);
  }
  new ModelClass(object).validate();
}
