/**
 * Every policy of the pack, in the order of the blueprint's rules. `index.ts` serves them;
 * tests import them from here (importing `index.ts` would start the policy server).
 */
import type { Policies } from "@pulumi/policy";
import { agentEgressEveryPod } from "./policies/agent-egress-every-pod";
import { agentPodAdmission } from "./policies/agent-pod-admission";
import { controllerSingleWriter } from "./policies/controller-single-writer";
import { ecsSecretsNotInEnvironment } from "./policies/ecs-secrets-not-in-environment";
import { eksApiNotPublic } from "./policies/eks-api-not-public";
import { endpointServiceRestricted } from "./policies/endpoint-service-restricted";
import { kmsEncryption } from "./policies/kms-encryption";
import { noAgentPortWithWebsocket } from "./policies/no-agent-port-with-websocket";
import { noWorldIngress } from "./policies/no-world-ingress";
import { noCredentialInAgentNamespace } from "./policies/no-credential-in-agent-namespace";
import { podSecurityRestricted } from "./policies/pod-security-restricted";
import { proxyOutsideAgentNamespace } from "./policies/proxy-outside-agent-namespace";
import { vpcFlowLogs } from "./policies/vpc-flow-logs";

/** Name of the policy pack. */
export const PACK_NAME = "jenkins-agent-bridge";

/** Description of the policy pack (also in PulumiPolicy.yaml). */
export const PACK_DESCRIPTION =
  "Rules of the jenkins-agent-bridge blueprint: no internet ingress but the public UI, flow logs, " +
  "KMS encryption, a restricted endpoint service, no agent port with WebSocket agents, secrets out " +
  "of ECS environments, a single-writer controller, a closed EKS API, restricted pods, and agent " +
  "namespaces with no service and no credential, every pod under an egress and an admission policy.";

export const policies: Policies = [
  noWorldIngress,
  vpcFlowLogs,
  kmsEncryption,
  endpointServiceRestricted,
  noAgentPortWithWebsocket,
  ecsSecretsNotInEnvironment,
  controllerSingleWriter,
  eksApiNotPublic,
  podSecurityRestricted,
  agentEgressEveryPod,
  noCredentialInAgentNamespace,
  proxyOutsideAgentNamespace,
  agentPodAdmission,
];
