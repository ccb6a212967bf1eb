/**
 * What would change between two plans of a stack: resources added, changed (with the input paths
 * that differ) and deleted, matched the way Pulumi matches them (parent, type and name), and
 * rendered as text or as Markdown for a pull-request comment.
 *
 * Both sides are plan JSON (`npm run plan -- --json`), so a plan made by an older checkout of the
 * program compares with the working tree's.
 */
import { decodeConfigValue } from "../config/decode";
import { renderTable } from "./table";

/** One resource of plan JSON. */
export interface PlanJsonResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string | null;
  readonly protect?: boolean;
  readonly inputs: Record<string, unknown>;
}

/** Plan JSON, as `npm run plan -- --json` prints it. */
export interface PlanJson {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly PlanJsonResource[];
  readonly outputs?: Record<string, unknown>;
}

/** A resource that differs: its identity, and for a change, the input paths that differ. */
export interface DiffEntry {
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly paths?: readonly string[];
}

export interface PlanDiff {
  readonly added: readonly DiffEntry[];
  readonly changed: readonly DiffEntry[];
  readonly deleted: readonly DiffEntry[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A string input that holds a JSON document (policies, container definitions), parsed; else undefined. */
function jsonDocument(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  const decoded = decodeConfigValue(value);
  return decoded === value ? undefined : decoded;
}

/**
 * The paths under which `a` and `b` differ: `key.sub`, `list[2]`; a list whose length changed is
 * one path; a JSON document held in a string is compared by its content.
 */
export function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (a === b) return [];
  const docA = jsonDocument(a);
  const docB = jsonDocument(b);
  if (docA !== undefined && docB !== undefined) return changedPaths(docA, docB, path);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => changedPaths(a[key], b[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => changedPaths(item, b[i], `${path}[${i}]`));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [path || "(value)"];
}

const identity = (r: PlanJsonResource) => `${r.parent ?? ""}>${r.type}::${r.name}`;
const entry = (r: PlanJsonResource, paths?: string[]): DiffEntry => ({
  type: r.type,
  name: r.name,
  parent: r.parent,
  ...(paths ? { paths } : {}),
});

/** Compares two plans of one stack. */
export function diffPlans(before: PlanJson, after: PlanJson): PlanDiff {
  const old = new Map(before.resources.map((r) => [identity(r), r]));
  const now = new Map(after.resources.map((r) => [identity(r), r]));
  const changed: DiffEntry[] = [];
  for (const [key, r] of now) {
    const was = old.get(key);
    if (!was) continue;
    const paths = changedPaths(was.inputs, r.inputs);
    if (was.protect !== undefined && r.protect !== undefined && was.protect !== r.protect) {
      paths.push("(protect)");
    }
    if (paths.length > 0) changed.push(entry(r, paths));
  }
  return {
    added: [...now].filter(([key]) => !old.has(key)).map(([, r]) => entry(r)),
    changed,
    deleted: [...old].filter(([key]) => !now.has(key)).map(([, r]) => entry(r)),
  };
}

/** The first line: `+added ~changed -deleted`. */
export function diffSummary(diff: PlanDiff): string {
  return `+${diff.added.length} ~${diff.changed.length} -${diff.deleted.length}`;
}

/** Paths listed per resource before the rest are counted. */
const MAX_PATHS = 12;

function pathList(paths: readonly string[] = [], show = (p: string) => p): string {
  const shown = paths.slice(0, MAX_PATHS).map(show).join(", ");
  return paths.length > MAX_PATHS ? `${shown}, and ${paths.length - MAX_PATHS} more` : shown;
}

/** Every entry in order: added, changed, deleted. */
function rows(diff: PlanDiff): { sign: string; entry: DiffEntry }[] {
  return [
    ...diff.added.map((e) => ({ sign: "+", entry: e })),
    ...diff.changed.map((e) => ({ sign: "~", entry: e })),
    ...diff.deleted.map((e) => ({ sign: "-", entry: e })),
  ];
}

/** Text: the summary line, then one line per resource (`~ type name: paths`). */
export function renderDiffText(diff: PlanDiff): string {
  return [
    diffSummary(diff),
    ...rows(diff).map(
      ({ sign, entry: e }) => `${sign} ${e.type} ${e.name}${e.paths ? `: ${pathList(e.paths)}` : ""}`,
    ),
  ].join("\n");
}

/** Markdown for a pull-request comment: a heading, the summary line and a table. */
export function renderDiffMarkdown(diff: PlanDiff, heading: string): string {
  const lines = [`### ${heading}`, "", `\`${diffSummary(diff)}\``];
  if (rows(diff).length === 0) return [...lines, "", "No resource changes."].join("\n");
  const table = renderTable(
    ["", "type", "name", "changed inputs"],
    rows(diff).map(({ sign, entry: e }) => [
      sign,
      `\`${e.type}\``,
      `\`${e.name}\``,
      e.paths ? pathList(e.paths, (p) => `\`${p}\``) : "",
    ]),
    { format: "markdown" },
  );
  return [...lines, "", ...table].join("\n");
}
