/**
 * The CEL rules (`x-kubernetes-validations`) of Karpenter's CRDs, which the API server evaluates on
 * admission and the generated model schemas do not, run with a CEL evaluator (`@bufbuild/cel`)
 * over the NodePool and EC2NodeClass the program builds. Rules copied from aws/karpenter-provider-aws
 * v1.14.1, pkg/apis/crds/karpenter.sh_nodepools.yaml and karpenter.k8s.aws_ec2nodeclasses.yaml
 * (the ones that use only standard CEL and the strings extension).
 */
import * as assert from "assert";
import { run } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import fc from "fast-check";
import { agentNodeClassSpec, agentNodePoolSpec } from "../../components/cluster/karpenter-plan";
import { AGENT_NODES } from "../harness/capacity";

/** JSON as CEL sees a Kubernetes object: maps, lists, integers as int. */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (value !== null && typeof value === "object") {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** One rule: where it applies (a path into the spec; `[]` for each item of a list) and its expression. */
type Rule = readonly [path: string, expression: string];

const NODE_POOL_RULES: readonly Rule[] = [
  ["template.spec.requirements", "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)"],
  [
    "template.spec.requirements",
    "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
  ],
  [
    "template.spec.requirements",
    "self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues : true)",
  ],
  ["disruption.budgets", "self.all(x, has(x.schedule) == has(x.duration))"],
  [
    "",
    "!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 || (size(self.limits) == 1 && 'nodes' in self.limits))",
  ],
];

const NODE_CLASS_RULES: readonly Rule[] = [
  ["", "(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) && has(self.instanceProfile))"],
  [
    "amiSelectorTerms",
    "self.all(x, has(x.tags) || has(x.id) || has(x.name) || has(x.alias) || has(x.ssmParameter))",
  ],
  ["amiSelectorTerms", "!(self.exists(x, has(x.alias)) && self.size() != 1)"],
  ["amiSelectorTerms[].alias", "self.matches('^[a-zA-Z0-9]+@.+$')"],
  [
    "amiSelectorTerms[].alias",
    "self.split('@')[0] in ['al2','al2023','bottlerocket','windows2019','windows2022','windows2025']",
  ],
  ["securityGroupSelectorTerms", "self.size() != 0"],
  ["securityGroupSelectorTerms", "self.all(x, has(x.tags) || has(x.id) || has(x.name))"],
  ["subnetSelectorTerms", "self.size() != 0"],
  ["subnetSelectorTerms", "self.all(x, has(x.tags) || has(x.id))"],
  ["tags", "self.all(k, k !='eks:eks-cluster-name')"],
  ["tags", "self.all(k, !k.startsWith('kubernetes.io/cluster') )"],
  ["tags", "self.all(k, k != 'karpenter.sh/nodepool')"],
  ["tags", "self.all(k, k !='karpenter.sh/nodeclaim')"],
  ["tags", "self.all(k, k !='karpenter.k8s.aws/ec2nodeclass')"],
  ["blockDeviceMappings", "self.filter(x, has(x.rootVolume)?x.rootVolume==true:false).size() <= 1"],
  ["blockDeviceMappings[].ebs", "has(self.snapshotID) || has(self.volumeSize)"],
];

/** The values a path selects in an object (`a.b[].c` walks every item of `b`). */
function select(object: unknown, path: string): unknown[] {
  if (path === "") return [object];
  let values: unknown[] = [object];
  for (const part of path.split(".")) {
    const each = part.endsWith("[]");
    const key = each ? part.slice(0, -2) : part;
    values = values
      .map((v) => (v as Record<string, unknown> | undefined)?.[key])
      .filter((v) => v !== undefined)
      .flatMap((v) => (each ? (v as unknown[]) : [v]));
  }
  return values;
}

/** The rules an object breaks, as `path: expression`. */
function broken(object: unknown, rules: readonly Rule[]): string[] {
  return rules.flatMap(([path, expression]) =>
    select(object, path)
      .filter((self) => run(expression, { self: toCel(self) } as never, { funcs: strings } as never) !== true)
      .map(() => `${path}: ${expression}`),
  );
}

const NODES = AGENT_NODES;
const nodeClass = (amiAlias: string, tags: Record<string, string> = { Project: "jenkins-agent-bridge" }) =>
  agentNodeClassSpec({
    roleName: "agents-autoscaler-nodes",
    clusterName: "agents-dev",
    diskSizeGiB: 50,
    amiAlias,
    tags,
  });

describe("Karpenter's CEL admission rules", () => {
  it("admit the agent NodePool for every valid setting", () => {
    fc.assert(
      fc.property(
        fc.record({
          instanceFamilies: fc.uniqueArray(fc.constantFrom("m6i", "c7g", "r6id"), { maxLength: 3 }),
          architectures: fc.uniqueArray(fc.constantFrom("amd64", "arm64"), { minLength: 1 }),
          spot: fc.boolean(),
        }),
        (s) => {
          assert.deepStrictEqual(broken(agentNodePoolSpec({ ...NODES, ...s }), NODE_POOL_RULES), []);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("admit the agent EC2NodeClass with each alias the config accepts", () => {
    for (const alias of ["al2023@latest", "al2023@v20251120", "bottlerocket@latest"]) {
      assert.deepStrictEqual(broken(nodeClass(alias), NODE_CLASS_RULES), [], alias);
    }
  });

  it("refuse what the API server would refuse (the rules can fail)", () => {
    const pool = agentNodePoolSpec(NODES);
    const emptyIn = structuredClone(pool);
    emptyIn.template.spec.requirements[0].values = [];
    assert.deepStrictEqual(broken(emptyIn, NODE_POOL_RULES), [
      "template.spec.requirements: self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)",
    ]);
    const scheduleOnly = {
      ...pool,
      disruption: { ...pool.disruption, budgets: [{ nodes: "1", schedule: "@daily" }] },
    };
    assert.deepStrictEqual(broken(scheduleOnly, NODE_POOL_RULES), [
      "disruption.budgets: self.all(x, has(x.schedule) == has(x.duration))",
    ]);
    assert.deepStrictEqual(broken(nodeClass("windows2022x@latest"), NODE_CLASS_RULES), [
      "amiSelectorTerms[].alias: self.split('@')[0] in ['al2','al2023','bottlerocket','windows2019','windows2022','windows2025']",
    ]);
    assert.deepStrictEqual(
      broken(nodeClass("al2023@latest", { "kubernetes.io/cluster/agents-dev": "owned" }), NODE_CLASS_RULES),
      ["tags: self.all(k, !k.startsWith('kubernetes.io/cluster') )"],
    );
  });
});
