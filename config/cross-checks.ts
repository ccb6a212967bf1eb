/**
 * The checks that relate two or more keys, run on the parsed config in the order of
 * {@link CROSS_CHECKS}. Each is a named function that records one-line problems and skips keys
 * that already have one, so a value refused by the schema is not reported again. The checks of a
 * subject live beside its schema (zones, capacity, public UI, ...); the networks' are here.
 */
import { SERVICE_CIDR } from "../components/cluster/plan";
import { mustParseCidr, overlaps } from "../components/network/cidr";
import { subnetLayoutProblem } from "../components/network/subnet-plan";
import { checkAllowListCoverage } from "./address-space";
import { checkAgentPodLimits, checkJobDslPlugin } from "./agent-pod";
import { checkApiAccess } from "./api-access";
import {
  checkAgentEgress,
  checkCertificateRegion,
  checkControllerEgress,
  checkFargateSize,
  checkKubernetesVersion,
  checkPrivateZoneName,
} from "./aws-checks";
import {
  checkAgentNodesHoldAnAgent,
  checkArchitecturesDistinct,
  checkKarpenterTags,
  checkProxyHoldsEveryAgent,
  checkQuotaHoldsAnAgent,
} from "./capacity";
import { configKey } from "./keys";
import { checkMonitoring } from "./monitoring";
import { checkAgentNamespace } from "./namespaces";
import {
  checkOidcCertificate,
  checkOidcComplete,
  checkPublicUiAccessLogs,
  checkPublicUiAllowList,
  checkPublicUiCertificate,
} from "./public-ui";
import { Problems } from "./schema";
import type { StackConfig } from "./stack-schema";
import { checkZones } from "./zones";

/** What a check may need beside the parsed config. */
export interface CheckContext {
  /** The project's values as the stack gives them (keys without the namespace), before defaults. */
  readonly given: Readonly<Record<string, unknown>>;
  /** The date the stack is checked on, `YYYY-MM-DD`. */
  readonly today: string;
}

/** A check across keys. */
export type CrossCheck = (config: StackConfig, problems: Problems, context: CheckContext) => void;

const NETWORKS = ["masterNetwork", "agentNetwork"] as const;

/** Each network's block holds its public and private subnets in every zone. */
export function checkSubnetLayouts(config: StackConfig, problems: Problems): void {
  for (const name of NETWORKS) {
    const network = config[name];
    if (problems.has(configKey(name))) continue;
    const problem = subnetLayoutProblem({
      cidrBlock: network.cidrBlock,
      azCount: network.availabilityZoneIds?.length ?? network.azCount,
      publicPrefixLength: network.publicSubnetPrefixLength,
      privatePrefixLength: network.privateSubnetPrefixLength,
    });
    if (problem) {
      problems.invalid(
        configKey(`${name}.cidrBlock`),
        network.cidrBlock,
        `a block that holds every subnet: ${problem} (enlarge the block, lengthen the subnet prefixes or use fewer zones)`,
      );
    }
  }
}

/** The agent network's block lies outside the cluster's service range. */
export function checkAgentBlockOutsideServiceRange(config: StackConfig, problems: Problems): void {
  const key = configKey("agentNetwork.cidrBlock");
  const block = config.agentNetwork.cidrBlock;
  if (!problems.has(key) && overlaps(mustParseCidr(block), mustParseCidr(SERVICE_CIDR))) {
    problems.invalid(key, block, `a block outside the cluster's service range ${SERVICE_CIDR}`);
  }
}

/** The master and agent networks' blocks do not overlap (the endpoint joins them). */
export function checkNetworksDoNotOverlap(config: StackConfig, problems: Problems): void {
  const masterKey = configKey("masterNetwork.cidrBlock");
  const agentKey = configKey("agentNetwork.cidrBlock");
  if (problems.has(masterKey) || problems.has(agentKey)) return;
  const master = config.masterNetwork.cidrBlock;
  const agent = config.agentNetwork.cidrBlock;
  if (overlaps(mustParseCidr(master), mustParseCidr(agent))) {
    problems.invalid(agentKey, agent, `a block that does not overlap masterNetwork.cidrBlock ${master}`);
  }
}

/** Every check across keys, in the order its problems are reported. */
export const CROSS_CHECKS: readonly CrossCheck[] = [
  checkZones,
  checkApiAccess,
  checkSubnetLayouts,
  checkAgentBlockOutsideServiceRange,
  checkNetworksDoNotOverlap,
  checkArchitecturesDistinct,
  checkKarpenterTags,
  checkControllerEgress,
  checkJobDslPlugin,
  checkAgentPodLimits,
  checkQuotaHoldsAnAgent,
  checkAgentNodesHoldAnAgent,
  checkProxyHoldsEveryAgent,
  checkAllowListCoverage,
  checkOidcComplete,
  checkOidcCertificate,
  checkPublicUiAllowList,
  checkPublicUiAccessLogs,
  checkMonitoring,
  checkAgentNamespace,
  checkPublicUiCertificate,
  checkFargateSize,
  checkCertificateRegion,
  checkKubernetesVersion,
  checkPrivateZoneName,
  checkAgentEgress,
];

/** Runs every check across keys on the parsed config, recording into `problems`. */
export function checkAcrossKeys(config: StackConfig, problems: Problems, context: CheckContext): void {
  for (const check of CROSS_CHECKS) check(config, problems, context);
}
