/**
 * Every pinned version of the blueprint, in one place. Upgrades are a one-line change here,
 * reviewed like any other change; stacks may override each one through their config.
 */

/** Jenkins controller image (LTS line 2.555, Java 21). */
export const JENKINS_IMAGE = "jenkins/jenkins:2.555.1-lts-jdk21";

/** Inbound agent image used by the Kubernetes cloud's pod template (Java 21). */
export const INBOUND_AGENT_IMAGE = "jenkins/inbound-agent:3355.v388858a_47b_33-14-jdk21";

/**
 * Default image of the agent pod template's `build` container, where pipeline steps run inside
 * `container('build')`: a small base with a POSIX shell (the `sh` step needs one). Projects put
 * their own toolchain image in their Jenkinsfile or in the stack's `agentPod.buildImage`.
 * Tag from docker-library/official-images, library/alpine.
 */
export const BUILD_IMAGE = "alpine:3.24.1";

/** Unprivileged nginx for the agent proxy (listens on an unprivileged port, runs as uid 101). */
export const NGINX_IMAGE = "nginxinc/nginx-unprivileged:1.29.8-alpine";

/**
 * EKS Kubernetes minor version of the agent cluster: 1.35 is in EKS standard support until
 * 2027-03-27 (1.34's ends 2026-12-02; after that a cluster is billed at the extended-support
 * rate). EKS upgrades one minor version at a time, so move a running cluster one step per
 * `pulumi up`; the nodes follow the control plane.
 */
export const KUBERNETES_VERSION = "1.35";

/**
 * Karpenter (charts `karpenter-crd` and `karpenter`, controller image of the same version) for
 * agent nodes on demand. 1.14.x supports Kubernetes 1.26 to 1.36 (the compatibility matrix in
 * aws/karpenter-provider-aws, hack/docs/compatibilitymatrix_gen/compatibility.yaml); read the
 * upgrade guide before moving a minor version, CRDs first.
 */
export const KARPENTER_VERSION = "1.14.1";

/**
 * Plugins the controller's init container installs, `name:version`. Their dependencies resolve to
 * the lowest versions these require (`jenkins-plugin-cli --latest false`), so a restart never
 * upgrades anything by surprise.
 */
export const JENKINS_PLUGINS: readonly string[] = [
  "configuration-as-code:2088.ve3b_42c663c80",
  "kubernetes:4423.vb_59f230b_ce53",
  "workflow-aggregator:608.v67378e9d3db_1",
  "git:5.10.1",
  // JCasC's `jobs:` root element (defines the smoke pipeline job); needs Jenkins 2.479.3 or later.
  "job-dsl:3654.vdf58f53e2d15",
  // Matrix-based authorization (components/jenkins/jcasc.ts); 3.2.8 needs Jenkins 2.479 or later.
  "matrix-auth:3.2.8",
];

/**
 * Plugins a `tcp` stack adds to its list. Inbound TCP agents (JNLP4-connect on port 50000) need
 * the controller's instance identity, a plugin detached from core since Jenkins 2.356, so a list
 * installed as code must name it (JEP-230 upgrade notes:
 * https://www.jenkins.io/doc/upgrade-guide/2.361/). 203.v15e81a_1b_7a_38 requires Jenkins 2.479.3
 * or newer and depends only on bouncycastle-api
 * (https://github.com/jenkinsci/instance-identity-plugin, commit 15e81a1, pom.xml). WebSocket
 * agents do not use the TCP port's identity handshake, so websocket stacks leave it out and keep
 * the installed set to what they use.
 */
export const TCP_PLUGINS: readonly string[] = ["instance-identity:203.v15e81a_1b_7a_38"];

/** One Kubernetes minor version on EKS and the dates its support ends. */
export interface EksVersion {
  readonly version: string;
  /** Last day of standard support (ISO date); extended support, at a higher price, follows. */
  readonly endOfStandardSupport: string;
  /** Last day of extended support; EKS creates no cluster of this version after it. */
  readonly endOfExtendedSupport: string;
}

/**
 * Kubernetes versions EKS offers, as of 2026-02-14, from the EKS user guide's release calendar
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; also
 * https://endoflife.date/amazon-eks): standard support lasts 14 months from the EKS release,
 * extended support 12 more; new clusters may use any version in either. A version EKS releases
 * later is added here (with its dates) before a stack may use it.
 */
export const EKS_VERSIONS: readonly EksVersion[] = [
  { version: "1.29", endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23" },
  { version: "1.30", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
  { version: "1.31", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
  { version: "1.32", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  { version: "1.33", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  { version: "1.34", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  { version: "1.35", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
];

/**
 * Why EKS would not create a cluster of `version` on `today` (an ISO date), or undefined: a
 * version missing from {@link EKS_VERSIONS}, or one past its end of extended support.
 */
export function eksVersionProblem(version: string, today: string): string | undefined {
  const offered = EKS_VERSIONS.filter((v) => v.endOfExtendedSupport >= today).map((v) => v.version);
  const entry = EKS_VERSIONS.find((v) => v.version === version);
  if (!entry) {
    return `a version EKS offers (${offered.join(", ")}; the dated table in components/shared/versions.ts)`;
  }
  return entry.endOfExtendedSupport < today
    ? `a version EKS still offers (${offered.join(", ")}): ${version} left extended support on ${entry.endOfExtendedSupport}`
    : undefined;
}
