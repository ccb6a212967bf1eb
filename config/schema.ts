/**
 * A small declarative schema for stack configuration. One description of each key drives three
 * things: parsing (with defaults), validation messages, and the README's configuration reference.
 *
 * Every problem is collected, never thrown, so a stack file with several mistakes is reported
 * in one run, one line per mistake: `<key>: got <value>; expected <what is accepted>`.
 */

/** Collects config problems, one line each. */
export class Problems {
  private readonly entries: { key: string; message: string }[] = [];

  /** Records a problem with `key`. */
  add(key: string, message: string): void {
    this.entries.push({ key, message });
  }

  /** Records that `key` holds `received` where `accepted` was expected. */
  invalid(key: string, received: unknown, accepted: string): void {
    this.add(key, `got ${show(received)}; expected ${accepted}`);
  }

  /** True when a problem was recorded for `key` or any key below it. */
  has(key: string): boolean {
    return this.entries.some((e) => e.key === key || e.key.startsWith(`${key}.`));
  }

  get count(): number {
    return this.entries.length;
  }

  /** The problems as display lines, in the order they were found. */
  lines(): string[] {
    return this.entries.map((e) => `${e.key}: ${e.message}`);
  }
}

/** Renders a received value for a message: JSON, shortened. */
export function show(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One documented row of the configuration reference. */
export interface ReferenceRow {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly doc: string;
}

/** A config field: how to parse it and how to document it. */
export interface Field<T> {
  /** Type as shown in the reference, e.g. `integer`, `websocket | tcp`. */
  readonly type: string;
  /** What the key means and does. */
  readonly doc: string;
  /** The default as shown in the reference. */
  readonly defaultText: string;
  /** Parses `raw` (undefined when the key is absent); records problems under `key`. */
  parse(raw: unknown, key: string, problems: Problems): T;
  /** Reference rows of this field (one for a leaf, one per leaf below for an object). */
  rows(key: string): ReferenceRow[];
}

/** The value type a field produces. */
export type Infer<F> = F extends Field<infer T> ? T : never;

interface LeafOptions<T> {
  readonly doc: string;
  readonly default: T;
  /** Overrides how the default is shown (e.g. `(none)`, `one per AZ`). */
  readonly defaultText?: string;
}

function leaf<T>(
  type: string,
  options: LeafOptions<T>,
  parseValue: (raw: unknown, key: string, problems: Problems) => T | undefined,
): Field<T> {
  const defaultText = options.defaultText ?? show(options.default);
  return {
    type,
    doc: options.doc,
    defaultText,
    parse(raw, key, problems) {
      if (raw === undefined) {
        return options.default;
      }
      const value = parseValue(raw, key, problems);
      return value === undefined ? options.default : value;
    },
    rows: (key) => [{ key, type, default: defaultText, doc: options.doc }],
  };
}

/** Integer field. Strings of digits are accepted, as `pulumi config set` stores scalars as text. */
export function int(
  options: LeafOptions<number> & {
    readonly min: number;
    readonly max: number;
    readonly oneOf?: readonly number[];
  },
): Field<number> {
  const accepted = options.oneOf
    ? `one of ${options.oneOf.join(", ")}`
    : `an integer from ${options.min} to ${options.max}`;
  return leaf(`integer`, options, (raw, key, problems) => {
    const value = typeof raw === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
    const ok =
      typeof value === "number" &&
      Number.isInteger(value) &&
      value >= options.min &&
      value <= options.max &&
      (!options.oneOf || options.oneOf.includes(value));
    if (!ok) {
      problems.invalid(key, raw, accepted);
      return undefined;
    }
    return value;
  });
}

/** Boolean field; `"true"`/`"false"` text is accepted too. */
export function bool(options: LeafOptions<boolean>): Field<boolean> {
  return leaf("boolean", options, (raw, key, problems) => {
    if (raw === true || raw === "true") return true;
    if (raw === false || raw === "false") return false;
    problems.invalid(key, raw, "true or false");
    return undefined;
  });
}

/** String field, optionally checked against a pattern (with `accepted` saying what it allows). */
export function str(
  options: LeafOptions<string> & { readonly pattern?: RegExp; readonly accepted?: string },
): Field<string> {
  return leaf("string", options, (raw, key, problems) => {
    if (typeof raw !== "string" || raw.length === 0 || (options.pattern && !options.pattern.test(raw))) {
      problems.invalid(key, raw, options.accepted ?? "a non-empty string");
      return undefined;
    }
    return raw;
  });
}

/** One of a fixed set of strings; a near miss gets a suggestion. */
export function oneOf<const V extends string>(values: readonly V[], options: LeafOptions<V>): Field<V> {
  return leaf(values.join(" | "), options, (raw, key, problems) => {
    if (typeof raw === "string" && (values as readonly string[]).includes(raw)) {
      return raw as V;
    }
    const near = typeof raw === "string" ? nearest(raw, values) : undefined;
    problems.invalid(key, raw, `one of ${values.join(", ")}${near ? ` (did you mean "${near}"?)` : ""}`);
    return undefined;
  });
}

/**
 * A string checked by a function that returns the reason it is refused (or undefined); used for
 * CIDRs, ARNs and names whose rules do not fit a pattern.
 */
export function checked(
  type: string,
  options: LeafOptions<string> & {
    readonly accepted: string;
    readonly check: (v: string) => string | undefined;
  },
): Field<string> {
  return leaf(type, options, (raw, key, problems) => {
    const reason = typeof raw === "string" ? options.check(raw) : "not a string";
    if (reason !== undefined) {
      problems.invalid(key, raw, `${options.accepted} (${reason})`);
      return undefined;
    }
    return raw as string;
  });
}

/** Makes a field optional: absent stays `undefined`, present is parsed by `field`. */
export function optional<T>(field: Field<T>, defaultText = "(none)"): Field<T | undefined> {
  return {
    type: field.type,
    doc: field.doc,
    defaultText,
    parse: (raw, key, problems) => (raw === undefined ? undefined : field.parse(raw, key, problems)),
    rows: (key) => field.rows(key).map((r) => ({ ...r, default: defaultText })),
  };
}

/**
 * A list whose items are checked one by one by `item` (shown as `key[i]` in messages).
 */
export function list<T>(
  item: Field<T>,
  options: LeafOptions<T[]> & { readonly minLength?: number; readonly maxLength?: number },
): Field<T[]> {
  const { minLength = 0, maxLength = 100 } = options;
  return leaf(`list of ${item.type}`, options, (raw, key, problems) => {
    if (!Array.isArray(raw) || raw.length < minLength || raw.length > maxLength) {
      problems.invalid(key, raw, `a list of ${minLength} to ${maxLength} items (${item.type})`);
      return undefined;
    }
    const before = problems.count;
    const values = raw.map((v, i) => item.parse(v, `${key}[${i}]`, problems));
    return problems.count === before ? values : undefined;
  });
}

/** A map of string to string (tags), with a check of each key and value. */
export function stringMap(
  options: LeafOptions<Record<string, string>> & {
    readonly checkKey: (k: string) => string | undefined;
    readonly checkValue: (v: string) => string | undefined;
    readonly maxEntries: number;
  },
): Field<Record<string, string>> {
  return leaf("map of string", options, (raw, key, problems) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      problems.invalid(key, raw, "a map of string keys to string values");
      return undefined;
    }
    if (Object.keys(raw).length > options.maxEntries) {
      problems.invalid(key, raw, `at most ${options.maxEntries} entries`);
      return undefined;
    }
    const before = problems.count;
    for (const [k, v] of Object.entries(raw)) {
      const reason = options.checkKey(k) ?? (typeof v === "string" ? options.checkValue(v) : "not a string");
      if (reason !== undefined) {
        problems.invalid(`${key}.${k}`, v, `a string value under a valid key (${reason})`);
      }
    }
    return problems.count === before ? (raw as Record<string, string>) : undefined;
  });
}

/** Joins a parent key and a child name: `ns:` + `a` gives `ns:a`; `ns:a` + `b` gives `ns:a.b`. */
function childKey(parent: string, name: string): string {
  return parent.endsWith(":") ? `${parent}${name}` : `${parent}.${name}`;
}

/**
 * An object of named fields. Unknown keys are problems, with the nearest valid key suggested.
 * Absent objects take every default.
 */
export function object<S extends Record<string, Field<unknown>>>(
  doc: string,
  shape: S,
): Field<{ [K in keyof S]: Infer<S[K]> }> {
  type Out = { [K in keyof S]: Infer<S[K]> };
  const names = Object.keys(shape);
  return {
    type: "object",
    doc,
    defaultText: "",
    parse(raw, key, problems) {
      let input: Record<string, unknown> = {};
      if (raw !== undefined) {
        if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
          problems.invalid(key, raw, `an object with keys ${names.join(", ")}`);
        } else {
          input = raw as Record<string, unknown>;
        }
      }
      for (const [name, value] of Object.entries(input)) {
        if (!names.includes(name)) {
          problems.add(childKey(key, name), unknownKeyMessage(value, key, name, names));
        }
      }
      const out: Record<string, unknown> = {};
      for (const name of names) {
        out[name] = shape[name].parse(input[name], childKey(key, name), problems);
      }
      return out as Out;
    },
    rows: (key) => names.flatMap((name) => shape[name].rows(childKey(key, name))),
  };
}

/** The message for an unknown key: the value seen and the nearest valid key, or the valid keys. */
export function unknownKeyMessage(value: unknown, parentKey: string, name: string, valid: readonly string[]) {
  const near = nearest(name, valid);
  const hint = near
    ? `did you mean ${childKey(parentKey, near)}?`
    : `valid keys here: ${valid.map((v) => childKey(parentKey, v)).join(", ")}`;
  return `unknown key (got ${show(value)}); ${hint}`;
}

/** Levenshtein edit distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate nearest to `word` (case-insensitive), if it is close enough to be a typo: at
 * most a third of the word's length in edits (at least one; only case for words under three
 * characters), so `trasnport` finds `transport`
 * and `perAZ` finds `perAz`, but `udp` does not pass for `tcp`.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) {
      best = { candidate, distance };
    }
  }
  const limit = word.length < 3 ? 0 : Math.max(1, Math.floor(word.length / 3));
  return best && best.distance <= limit ? best.candidate : undefined;
}
