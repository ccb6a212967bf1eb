/**
 * Reads committed stack files (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi engine hands their
 * config to a program: a flat map of `namespace:key` to text, structured values as JSON, and
 * `--config KEY=VALUE` overrides applied as `pulumi config set --path` would.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { decodeConfigValue } from "../config/decode";
import { PROJECT } from "../config/stack-config";

/** Shown instead of every secret value (encrypted `secure:` values cannot be read offline). */
export const SECRET_PLACEHOLDER = "[secret]";

/** The committed stack files (`stackConfigDir` in Pulumi.yaml). */
export const STACKS_DIR = path.resolve(__dirname, "..", "stacks");

/** A usage or input mistake of the plan tool (exit status 2, message only). */
export class UsageError extends Error {}

/** Engine-shaped config of one stack. */
export interface StackValues {
  /** `namespace:key` to text (objects and lists as JSON text). */
  readonly values: Record<string, string>;
  /** Keys whose value is secret. */
  readonly secretKeys: string[];
}

/**
 * Names of the stacks whose files are in `dir`, sorted. Ephemeral stacks (`eph-*`, written by
 * `npm run ephemeral` and never committed) are left out unless asked for.
 */
export function listStacks(dir: string, options: { ephemeral?: boolean } = {}): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined && (options.ephemeral === true || !s.startsWith("eph-")))
    .sort();
}

/** Path of a stack's file in `dir`. */
export function stackFile(dir: string, stack: string): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

/** Replaces `secure:` values anywhere inside a structured value with the placeholder. */
function maskSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) {
    return { value: SECRET_PLACEHOLDER, secret: true };
  }
  if (Array.isArray(value)) {
    const items = value.map(maskSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, maskSecure(v)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])),
      secret: entries.some(([, v]) => v.secret),
    };
  }
  return { value, secret: false };
}

/** Text of a config value as the engine passes it: scalars as text, structures as JSON. */
function encode(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** Keys without a namespace belong to the project, as in `pulumi config set`. */
export function qualify(key: string): string {
  return key.includes(":") ? key : `${PROJECT}:${key}`;
}

/** Parses the YAML text of a stack file into engine-shaped config. */
export function parseStackFile(text: string, source: string): StackValues {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${source}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new UsageError(`${source}: "config" must be a map of keys to values`);
  }
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(config)) {
    const key = qualify(rawKey);
    const { value, secret } = maskSecure(rawValue);
    values[key] = encode(value);
    if (secret) {
      secretKeys.push(key);
    }
  }
  return { values, secretKeys };
}

/** Reads a stack's file from `dir`; an unknown stack is a usage error that lists the known ones. */
export function readStack(dir: string, stack: string): StackValues {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(
      `--stacks-dir: got "${dir}"; expected a directory holding Pulumi.<stack>.yaml files (${fs.existsSync(dir) ? "it is a file" : "it does not exist"})`,
    );
  }
  const file = stackFile(dir, stack);
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `--stack: got "${stack}"; expected one of ${listStacks(dir).join(", ")} (files in ${path.relative(process.cwd(), dir) || "."}/)`,
    );
  }
  return parseStackFile(fs.readFileSync(file, "utf8"), path.relative(process.cwd(), file));
}

/** One step of a config path: a field name or a list index. */
type PathStep = string | number;

/**
 * Splits a `pulumi config set --path` key: `[namespace:]name`, then `.field`, `[index]` or
 * `["field.with.dots"]` steps. The namespace can only be on the first segment.
 */
export function parseConfigPath(text: string): { key: string; steps: PathStep[] } {
  const first = /^([^.[\]]+)/.exec(text);
  if (!first) {
    throw new UsageError(`--config: got "${text}"; expected KEY=VALUE, such as transport=tcp`);
  }
  const steps: PathStep[] = [];
  const step = /\.([^.[\]"]+)|\[(\d+)\]|\["([^"]+)"\]/y;
  step.lastIndex = first[1].length;
  while (step.lastIndex < text.length) {
    const match = step.exec(text);
    if (!match) {
      throw new UsageError(
        `--config: got "${text}"; expected a path of .field, [index] or ["field.with.dots"] steps`,
      );
    }
    steps.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : match[3]));
  }
  return { key: qualify(first[1]), steps };
}

/** An override's list index beyond the end of the list (the end itself appends). */
class IndexPastEnd extends Error {
  constructor(
    readonly index: number,
    readonly length: number,
  ) {
    super(`index ${index} is past the end of a list of ${length}`);
  }
}

/** Sets `value` at `steps` inside `root`, creating objects and lists on the way. */
function setAt(root: unknown, steps: readonly PathStep[], value: unknown): unknown {
  if (steps.length === 0) {
    return value;
  }
  const [head, ...rest] = steps;
  if (typeof head === "number") {
    const list = Array.isArray(root) ? [...root] : [];
    if (head > list.length) {
      // An index past the end would leave holes (and [999999999] a billion of them).
      throw new IndexPastEnd(head, list.length);
    }
    list[head] = setAt(list[head], rest, value);
    return list;
  }
  const object = typeof root === "object" && root !== null && !Array.isArray(root) ? { ...root } : {};
  (object as Record<string, unknown>)[head] = setAt((object as Record<string, unknown>)[head], rest, value);
  return object;
}

/**
 * Applies `KEY=VALUE` overrides as `pulumi config set --path` would: `KEY` is
 * `[namespace:]name` followed by `.field`, `[index]` or `["field.with.dots"]` steps.
 */
export function applyOverrides(stack: StackValues, overrides: readonly string[]): StackValues {
  const values = { ...stack.values };
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(`--config: got "${override}"; expected KEY=VALUE, such as transport=tcp`);
    }
    const { key, steps } = parseConfigPath(override.slice(0, eq));
    const value = decodeConfigValue(override.slice(eq + 1));
    const current = values[key] === undefined ? undefined : decodeConfigValue(values[key]);
    try {
      values[key] = encode(setAt(current, steps, value));
    } catch (err) {
      if (!(err instanceof IndexPastEnd)) throw err;
      throw new UsageError(
        `--config: got "${override}"; index ${err.index} is past the end of the list (${err.length} items); expected an index from 0 to ${err.length}`,
      );
    }
  }
  return { values, secretKeys: stack.secretKeys };
}
