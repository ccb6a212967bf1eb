/**
 * Every pinned version of the blueprint, in one place. Upgrades are a one-line change here,
 * reviewed like any other change; stacks may override each one through their config.
 */

/** Jenkins controller image (LTS line 2.555, Java 21). */
export const JENKINS_IMAGE = "jenkins/jenkins:2.555.1-lts-jdk21";

/** Inbound agent image used by the Kubernetes cloud's pod template (Java 21). */
export const INBOUND_AGENT_IMAGE = "jenkins/inbound-agent:3355.v388858a_47b_33-14-jdk21";

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
];
