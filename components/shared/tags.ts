/** Tag helpers. Tags are applied through resource args, so mock runs and previews show them. */

/** AWS tags: string keys and values. */
export type Tags = Readonly<Record<string, string>>;

/**
 * Merges tag layers, later layers winning: common tags first, then the component's, then the
 * child's own (its `Name`).
 */
export function mergeTags(...layers: (Tags | undefined)[]): Record<string, string> {
  return Object.assign({}, ...layers.filter((l) => l !== undefined));
}

/**
 * The tags of every resource of a stack: the stack's `tags` config and the blueprint's own
 * (`Project`, `Stack`, `ManagedBy`), which config validation keeps users from setting.
 */
export function stackTags(project: string, stack: string, userTags: Tags): Record<string, string> {
  return mergeTags(userTags, { Project: project, Stack: stack, ManagedBy: "pulumi" });
}

/** Gives a child's tags from its name suffix: see {@link childTagger}. */
export type ChildTagger = (suffix: string) => Record<string, string>;

/**
 * Tags for a component's children: the component's tags with a `Name` of the component's name and
 * the child's suffix (`jenkins-cluster`, `agents-nodes`).
 */
export function childTagger(tags: Tags, name: string): ChildTagger {
  return (suffix) => mergeTags(tags, { Name: `${name}-${suffix}` });
}
