/**
 * The agent-side rules over the mock plans of the committed stacks (nothing to report), then over
 * dev plans with each finding re-opened the way a change could re-open it: a label exemption in
 * the agents' egress policy, a token Secret or the controller's account in the agent namespace,
 * the proxy in the agent namespace, and the admission policy missing or weakened.
 */
import * as assert from "assert";
import { PlannedResource } from "../../offline/engine";
import { messages } from "../../policy/lib/resources";
import { agentEgressEveryPod, checkAgentEgress } from "../../policy/policies/agent-egress-every-pod";
import { agentPodAdmission, checkAgentPodAdmission } from "../../policy/policies/agent-pod-admission";
import {
  checkAgentCredentials,
  noCredentialInAgentNamespace,
} from "../../policy/policies/no-credential-in-agent-namespace";
import {
  checkProxyNamespace,
  proxyOutsideAgentNamespace,
} from "../../policy/policies/proxy-outside-agent-namespace";
import { planStack, PlanView, T } from "../harness/plan";
import { asStackResource, runStackPolicy, TestResource as CheckedResource } from "./harness";

type Props = Record<string, Record<string, unknown>>;
const NP = `${T.networkPolicy} "agents-agent-egress"`;

/** The plan's resources as a stack policy sees them, after `change` edits a copy of them. */
function stackOf(
  view: PlanView,
  change: (resources: PlannedResource[]) => void = () => {},
): CheckedResource[] {
  const resources = structuredClone(view.resources);
  change(resources);
  return resources.map(asStackResource);
}
const one = (resources: PlannedResource[], type: string, name: string) => {
  const found = resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name}`);
  return found.inputs as Props;
};

describe("agent namespace policies", () => {
  const views: Record<string, PlanView> = {};
  before(async function () {
    this.timeout(120_000);
    for (const stack of ["dev", "tcp"]) views[stack] = await planStack(stack);
  });

  it("find the agent namespace by the controller's binding and report nothing on the committed plans", async () => {
    for (const stack of ["dev", "tcp"]) {
      const resources = stackOf(views[stack]);
      for (const policy of [
        agentEgressEveryPod,
        noCredentialInAgentNamespace,
        proxyOutsideAgentNamespace,
        agentPodAdmission,
      ]) {
        assert.deepStrictEqual(await runStackPolicy(policy, resources), [], `${policy.name} on ${stack}`);
      }
    }
  });

  it("refuse an agents' egress policy that exempts pods by label (finding: proxy-labelled build pods escape)", async () => {
    const reopened = stackOf(views.dev, (rs) => {
      one(rs, T.networkPolicy, "agents-agent-egress").spec.podSelector = {
        matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: ["agent-proxy"] }],
      };
    });
    const expected = [
      `${NP}: egress policy "agent-egress" in agent namespace jenkins-agents selects pods by label (podSelector {"matchExpressions":[{"key":"app.kubernetes.io/name","operator":"NotIn","values":["agent-proxy"]}]}); a build can set or drop any label, so select every pod: podSelector {}`,
      `${T.namespace} "agents-agents": agent namespace jenkins-agents has no egress NetworkPolicy with podSelector {}; every build pod must be under one`,
    ];
    assert.deepStrictEqual(messages(checkAgentEgress(reopened)), expected);
    assert.deepStrictEqual(
      (await runStackPolicy(agentEgressEveryPod, reopened)).map((r) => r.message),
      expected,
    );
    const labelled = stackOf(views.dev, (rs) => {
      one(rs, T.networkPolicy, "agents-agent-egress").spec.podSelector = {
        matchLabels: { "jenkins/label": "x" },
      };
    });
    assert.strictEqual(checkAgentEgress(labelled).length, 2);
  });

  it("refuse a token Secret or the controller's account in the agent namespace (finding: builds mount the token)", () => {
    const reopened = stackOf(views.dev, (rs) => {
      const token = one(rs, T.k8sSecret, "agents-controller-token");
      token.metadata.namespace = "jenkins-agents";
      const binding = one(rs, T.roleBinding, "agents-controller");
      (binding.subjects as unknown as Record<string, unknown>[])[0].namespace = "jenkins-agents";
    });
    assert.deepStrictEqual(messages(checkAgentCredentials(reopened)), [
      `${T.k8sSecret} "agents-controller-token": Secret ${JSON.stringify(
        String(one(views.dev.resources, T.k8sSecret, "agents-controller-token").metadata.name),
      )} (type "kubernetes.io/service-account-token") is in agent namespace jenkins-agents, where any build pod can mount it; keep credentials outside the agent namespace`,
      `${T.roleBinding} "agents-controller": grants service account "jenkins-controller" of agent namespace jenkins-agents, which any build pod can run as; bind a service account of another namespace`,
    ]);
  });

  it("refuse the proxy in the agent namespace (finding: build pods join the proxy's Service)", () => {
    const reopened = stackOf(views.dev, (rs) => {
      for (const r of rs.filter((r) => r.parent === views.dev.one(T.agentProxy, "proxy").urn)) {
        if (r.type !== T.namespace) (r.inputs as Props).metadata.namespace = "jenkins-agents";
      }
    });
    const tail =
      "is in agent namespace jenkins-agents, where builds can copy its labels and share its policies; run it in a namespace of its own";
    assert.deepStrictEqual(
      messages(checkProxyNamespace(reopened)).sort(),
      [
        `${T.configMap} "proxy-config": "agent-proxy" ${tail}`,
        `${T.deployment} "proxy": "agent-proxy" ${tail}`,
        `${T.k8sService} "proxy": "agent-proxy" ${tail}`,
        `${T.pdb} "proxy": "agent-proxy" ${tail}`,
        `${T.networkPolicy} "proxy": "agent-proxy" ${tail}`,
      ].sort(),
    );
  });

  it("refuse a missing or weakened admission policy (finding: builds ask for any pod spec)", () => {
    const missing = stackOf(views.dev, (rs) => {
      rs.splice(
        rs.findIndex((r) => r.type === T.admissionBinding),
        1,
      );
    });
    assert.deepStrictEqual(messages(checkAgentPodAdmission(missing)), [
      "agent namespace jenkins-agents: no ValidatingAdmissionPolicy is bound there with the Deny action (and no label exemption); agent pods are held by Pod Security alone",
    ]);
    const audited = stackOf(views.dev, (rs) => {
      one(rs, T.admissionBinding, "agents-agent-pods").spec.validationActions = ["Audit"];
    });
    assert.deepStrictEqual(
      messages(checkAgentPodAdmission(audited)),
      messages(checkAgentPodAdmission(missing)),
    );
    // Drop the node selector and toleration checks: builds could land on system nodes.
    const weakened = stackOf(views.dev, (rs) => {
      const spec = one(rs, T.admissionPolicy, "agents-agent-pods").spec;
      spec.validations = (spec.validations as { message: string }[]).filter(
        (v) => !/nodeSelector|tolerate/.test(v.message),
      );
      spec.failurePolicy = "Ignore";
    });
    assert.deepStrictEqual(messages(checkAgentPodAdmission(weakened)), [
      `${T.admissionPolicy} "agents-agent-pods": failurePolicy is "Ignore"; it must be Fail`,
      ...[
        "runs as another service account",
        "mounts its service account token",
        "mounts a projected service account token",
        "uses the host network",
        "uses the host PID namespace",
        "uses the host IPC namespace",
        "mounts a hostPath volume",
        "uses a host port",
        "names its node",
        "does not select agent nodes",
        "tolerates every taint",
      ].map(
        (asks) => `agent namespace jenkins-agents: no admission policy bound there denies a pod that ${asks}`,
      ),
    ]);
    const narrowed = stackOf(views.dev, (rs) => {
      const spec = one(rs, T.admissionPolicy, "agents-agent-pods").spec;
      spec.validations = (spec.validations as { message: string }[]).filter(
        (v) => !/nodeSelector/.test(v.message),
      );
      spec.matchConditions = [{ name: "unlabelled", expression: "!has(object.metadata.labels)" }];
    });
    assert.deepStrictEqual(messages(checkAgentPodAdmission(narrowed)).slice(0, 1), [
      `${T.admissionPolicy} "agents-agent-pods": it has matchConditions, which can exempt pods by what a build controls`,
    ]);
    const unfocused = stackOf(views.dev, (rs) => {
      const spec = one(rs, T.admissionPolicy, "agents-agent-pods").spec;
      spec.validations = (spec.validations as { message: string }[]).filter(
        (v) => !/nodeSelector/.test(v.message),
      );
    });
    assert.deepStrictEqual(messages(checkAgentPodAdmission(unfocused)), [
      "agent namespace jenkins-agents: no admission policy bound there denies a pod that does not select agent nodes",
    ]);
  });
});
