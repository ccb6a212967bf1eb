/**
 * What every step of a component's constructor builds on. Each component's own context extends
 * this with what its steps share beside it (its account scope, its cluster's name, ...).
 */
import { ChildTagger, childTagger, Tags } from "./tags";

export interface StepContext<A> {
  /** The component's name, the start of every child's name. */
  readonly name: string;
  readonly args: A;
  /** The stack's tags with a `Name` of `<name>-<suffix>`. */
  readonly tagged: ChildTagger;
}

/** The context of a component named `name` built from `args`, its children tagged from `args.tags`. */
export function stepContext<A extends { readonly tags: Tags }>(name: string, args: A): StepContext<A> {
  return { name, args, tagged: childTagger(args.tags, name) };
}
