/**
 * agent-egress-every-pod: every pod of an agent namespace is under an egress policy, whatever its
 * labels. A build can give its pod any label, so an egress NetworkPolicy there must select
 * `podSelector: {}`; one that selects by label (an exemption such as `NotIn [agent-proxy]`, or
 * `matchLabels`) leaves the pods it does not select free to reach the whole agent VPC: the
 * endpoint's UI port, the cluster's private API, the kubelets. An agent namespace without an
 * egress policy over every pod is reported too.
 */
import { agentNamespacePolicy, agentNamespaces, metadata, namespaceOf } from "../lib/kubernetes";
import { asList, asObject, Resource, show, Violation, violation } from "../lib/resources";
import { TYPES } from "../lib/types";

const isEgress = (policy: Resource) => asList(asObject(policy.props.spec)?.policyTypes).includes("Egress");
const selectsAll = (policy: Resource) => {
  const selector = asObject(asObject(policy.props.spec)?.podSelector) ?? {};
  return (
    asList(selector.matchLabels).every((m) => Object.keys(asObject(m) ?? {}).length === 0) &&
    asList(selector.matchExpressions).length === 0
  );
};

/** Violations of the stack's agent namespaces. */
export function checkAgentEgress(resources: readonly Resource[], configured?: unknown): Violation[] {
  const violations: Violation[] = [];
  for (const ns of agentNamespaces(resources, configured)) {
    const egress = resources.filter(
      (r) => r.type === TYPES.networkPolicy && namespaceOf(r) === ns && isEgress(r),
    );
    for (const policy of egress.filter((p) => !selectsAll(p))) {
      violations.push(
        violation(
          policy,
          `egress policy ${show(metadata(policy).name)} in agent namespace ${ns} selects pods by label ` +
            `(podSelector ${show(asObject(policy.props.spec)?.podSelector)}); a build can set or drop any label, ` +
            "so select every pod: podSelector {}",
        ),
      );
    }
    const namespace = resources.find((r) => r.type === TYPES.namespace && metadata(r).name === ns);
    if (!egress.some(selectsAll)) {
      const problem = `agent namespace ${ns} has no egress NetworkPolicy with podSelector {}; every build pod must be under one`;
      violations.push(namespace ? violation(namespace, problem) : { message: problem });
    }
  }
  return violations;
}

export const agentEgressEveryPod = agentNamespacePolicy(
  "agent-egress-every-pod",
  "Every pod of an agent namespace is under an egress NetworkPolicy with podSelector {}: no policy " +
    "there selects or exempts pods by labels, which a build can copy.",
  checkAgentEgress,
);
