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
];
