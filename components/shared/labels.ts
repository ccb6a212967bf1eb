/** Kubernetes labels of the blueprint's own workloads. */

/** The recommended labels of one of the blueprint's workloads: its name, and the blueprint it is part of. */
export function appLabels<Name extends string>(name: Name) {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "jenkins-agent-bridge" } as const;
}
