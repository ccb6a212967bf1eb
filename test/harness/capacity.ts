/** Agent capacity settings for tests of the capacity's pure pieces: the schema's defaults. */
import type { AgentNodesConfig } from "../../components/cluster/karpenter-plan";

export const AGENT_NODES: AgentNodesConfig = {
  cpuLimit: 32,
  memoryLimitGiB: 128,
  instanceCategories: ["c", "m", "r"],
  instanceFamilies: [],
  architectures: ["amd64"],
  spot: true,
  consolidateAfterMinutes: 5,
  expireAfterHours: 168,
  terminationGracePeriodMinutes: 180,
  diskSizeGiB: 50,
  amiAlias: "al2023@latest",
  expectedNodeHoursPerMonth: 160,
};
