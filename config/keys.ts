/** The names of the stack's config keys: the project's namespace and the AWS provider's region. */

/** The Pulumi project name; also the config namespace (`jenkins-agent-bridge:<key>`). */
export const PROJECT = "jenkins-agent-bridge";
/** Prefix of every project key. */
export const NAMESPACE = `${PROJECT}:`;
/** The AWS provider's region key. */
export const REGION_KEY = "aws:region";

/** The full key of a project setting: `controller.cpu` is `jenkins-agent-bridge:controller.cpu`. */
export function configKey(path: string): string {
  return `${NAMESPACE}${path}`;
}
