/**
 * pod-security-restricted: every Kubernetes workload (Pod, Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job, CronJob, PodTemplate; by type token such as
 * `kubernetes:apps/v1:Deployment`, or by `kind` for other Kubernetes types) meets the Pod Security
 * Standards' `restricted` profile, which the agent namespace enforces, so a violation fails here
 * instead of at admission. All containers count: containers, initContainers, ephemeralContainers.
 *
 * Baseline controls: no HostProcess, no host namespaces (hostNetwork, hostPID, hostIPC), no
 * privileged containers, no hostPath volumes, no host ports, AppArmor not Unconfined, SELinux type
 * from the allowed set and no user or role, /proc mount Default, seccomp not Unconfined, safe
 * sysctls only. Restricted controls: volume types configMap, csi, downwardAPI, emptyDir,
 * ephemeral, persistentVolumeClaim, projected, secret only; allowPrivilegeEscalation false;
 * runAsNonRoot true (per container, or on the pod with no container setting it false); runAsUser
 * not 0; seccomp RuntimeDefault or Localhost (per container, or on the pod with no container
 * overriding it); capabilities drop ALL and add nothing but NET_BIND_SERVICE. Windows pods
 * (`spec.os.name: windows`) are exempt from the privilege escalation, seccomp and capabilities
 * controls, as in the standard. Unknown values (during a preview) are not judged.
 */
import {
  asList,
  asObject,
  isUnknown,
  num,
  Props,
  Resource,
  show,
  Violation,
  violation,
  mandatoryResourcePolicy,
} from "../lib/resources";

/** Where the pod template sits in each workload kind. */
const POD_TEMPLATE_PATH: Record<string, string[]> = {
  Pod: [],
  PodTemplate: ["template"],
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

export const ALLOWED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];
export const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
];
export const SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const SECCOMP_TYPES = ["RuntimeDefault", "Localhost"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/** The workload kind of a Kubernetes resource, if it holds a pod template. */
export function workloadKind(resource: Resource): string | undefined {
  if (!resource.type.startsWith("kubernetes:")) return undefined;
  const fromType = /^kubernetes:[^:]+:(\w+)$/.exec(resource.type)?.[1];
  if (fromType && fromType in POD_TEMPLATE_PATH) return fromType;
  const kind = resource.props.kind;
  return typeof kind === "string" && kind in POD_TEMPLATE_PATH ? kind : undefined;
}

const known = (value: unknown) => value !== undefined && value !== null && !isUnknown(value);
const unset = (value: unknown) => value === undefined || value === null;
const at = (object: Props | undefined, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => asObject(v)?.[k], object);

/** Problems of the pod-level settings shared by baseline and restricted. */
function podProblems(spec: Props, meta: Props, windows: boolean): string[] {
  const problems: string[] = [];
  const sc = asObject(spec.securityContext) ?? {};
  for (const ns of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (spec[ns] === true) problems.push(`pod: ${ns} is true; host namespaces are forbidden`);
  }
  if (sc.runAsNonRoot === false) {
    problems.push("pod: securityContext.runAsNonRoot is false; it must be true or unset");
  }
  problems.push(...contextProblems("pod", sc, windows));
  for (const sysctl of asList(sc.sysctls)) {
    const name = asObject(sysctl)?.name;
    if (typeof name === "string" && !SAFE_SYSCTLS.includes(name)) {
      problems.push(`pod: securityContext.sysctls sets ${show(name)}; only safe sysctls are allowed`);
    }
  }
  for (const volume of asList(spec.volumes)) {
    const v = asObject(volume);
    if (!v) continue;
    const source = Object.keys(v).find((k) => k !== "name" && known(v[k]));
    if (source && !ALLOWED_VOLUME_TYPES.includes(source)) {
      problems.push(
        `volume ${show(v.name)} is a ${source} volume; allowed volume types: ${ALLOWED_VOLUME_TYPES.join(", ")}`,
      );
    }
  }
  for (const [key, value] of Object.entries(asObject(meta.annotations) ?? {})) {
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      typeof value === "string" &&
      value !== "runtime/default" &&
      !value.startsWith("localhost/")
    ) {
      problems.push(
        `pod: annotation ${key} is ${show(value)}; AppArmor must be runtime/default or localhost/*`,
      );
    }
  }
  return problems;
}

/** Problems of one security context (pod or container) that apply at either level. */
function contextProblems(where: string, sc: Props, windows: boolean): string[] {
  const problems: string[] = [];
  if (at(sc, "windowsOptions", "hostProcess") === true) {
    problems.push(`${where}: securityContext.windowsOptions.hostProcess is true; HostProcess is forbidden`);
  }
  const appArmor = at(sc, "appArmorProfile", "type");
  if (known(appArmor) && !["RuntimeDefault", "Localhost"].includes(String(appArmor))) {
    problems.push(
      `${where}: securityContext.appArmorProfile.type is ${show(appArmor)}; AppArmor must be RuntimeDefault or Localhost`,
    );
  }
  const seLinux = asObject(sc.seLinuxOptions) ?? {};
  if (known(seLinux.type) && seLinux.type !== "" && !SELINUX_TYPES.includes(String(seLinux.type))) {
    problems.push(
      `${where}: securityContext.seLinuxOptions.type is ${show(seLinux.type)}; allowed: ${SELINUX_TYPES.join(", ")}`,
    );
  }
  for (const field of ["user", "role"]) {
    if (known(seLinux[field]) && seLinux[field] !== "") {
      problems.push(
        `${where}: securityContext.seLinuxOptions.${field} is ${show(seLinux[field])}; it must be unset`,
      );
    }
  }
  if (num(sc.runAsUser) === 0) {
    problems.push(`${where}: securityContext.runAsUser is 0; containers must not run as root`);
  }
  const seccomp = at(sc, "seccompProfile", "type");
  if (!windows && known(seccomp) && !SECCOMP_TYPES.includes(String(seccomp))) {
    problems.push(
      `${where}: securityContext.seccompProfile.type is ${show(seccomp)}; it must be RuntimeDefault or Localhost`,
    );
  }
  return problems;
}

/** Problems of one container, given the pod's security context. */
function containerProblems(where: string, container: Props, podSc: Props, windows: boolean): string[] {
  const sc = asObject(container.securityContext) ?? {};
  const problems = contextProblems(where, sc, windows);
  if (sc.privileged === true) {
    problems.push(`${where}: securityContext.privileged is true; privileged containers are forbidden`);
  }
  if (known(sc.procMount) && sc.procMount !== "Default") {
    problems.push(`${where}: securityContext.procMount is ${show(sc.procMount)}; it must be Default`);
  }
  asList(container.ports).forEach((port, i) => {
    const hostPort = num(asObject(port)?.hostPort);
    if (hostPort !== undefined && hostPort !== 0) {
      problems.push(`${where}: ports[${i}].hostPort is ${hostPort}; host ports are forbidden`);
    }
  });
  if (sc.runAsNonRoot === false) {
    problems.push(`${where}: securityContext.runAsNonRoot is false; it must be true`);
  } else if (unset(sc.runAsNonRoot) && podSc.runAsNonRoot !== true && !isUnknown(podSc.runAsNonRoot)) {
    problems.push(`${where}: runAsNonRoot is unset here and on the pod; it must be true`);
  }
  if (windows) return problems;
  if (sc.allowPrivilegeEscalation !== false && !isUnknown(sc.allowPrivilegeEscalation)) {
    problems.push(
      `${where}: securityContext.allowPrivilegeEscalation is ${show(sc.allowPrivilegeEscalation)}; it must be false`,
    );
  }
  const podSeccomp = at(podSc, "seccompProfile", "type");
  const seccomp = at(sc, "seccompProfile", "type");
  if (unset(seccomp) && !SECCOMP_TYPES.includes(String(podSeccomp)) && !isUnknown(podSeccomp)) {
    problems.push(
      `${where}: seccompProfile is unset here and on the pod; it must be RuntimeDefault or Localhost`,
    );
  }
  const capabilities = asObject(sc.capabilities) ?? {};
  if (!isUnknown(capabilities.drop) && !asList(capabilities.drop).includes("ALL")) {
    problems.push(
      `${where}: securityContext.capabilities.drop is ${show(capabilities.drop)}; it must include "ALL"`,
    );
  }
  for (const added of asList(capabilities.add)) {
    if (known(added) && added !== "NET_BIND_SERVICE") {
      problems.push(
        `${where}: securityContext.capabilities.add has ${show(added)}; only "NET_BIND_SERVICE" may be added`,
      );
    }
  }
  return problems;
}

/** The violations of one resource. */
export function checkPodSecurity(resource: Resource): Violation[] {
  const kind = workloadKind(resource);
  if (!kind) return [];
  const template = asObject(at(resource.props, ...POD_TEMPLATE_PATH[kind])) ?? {};
  const spec = asObject(template.spec);
  if (!spec) return [];
  const meta = asObject(template.metadata) ?? {};
  const windows = at(spec, "os", "name") === "windows";
  const podSc = asObject(spec.securityContext) ?? {};
  const problems = podProblems(spec, meta, windows);
  const groups: [string, string][] = [
    ["containers", "container"],
    ["initContainers", "init container"],
    ["ephemeralContainers", "ephemeral container"],
  ];
  for (const [field, noun] of groups) {
    asList(spec[field]).forEach((item, i) => {
      const container = asObject(item) ?? {};
      const where = `${noun} ${show(typeof container.name === "string" ? container.name : `#${i}`)}`;
      problems.push(...containerProblems(where, container, podSc, windows));
    });
  }
  return problems.map((problem) => violation(resource, problem));
}

export const podSecurityRestricted = mandatoryResourcePolicy(
  "pod-security-restricted",
  "Kubernetes workloads meet the Pod Security Standards restricted profile: non-root, no privilege " +
    "escalation, capabilities drop ALL (add only NET_BIND_SERVICE), seccomp RuntimeDefault or Localhost, " +
    "no privileged containers, no host namespaces, host paths or host ports, restricted volume types.",
  checkPodSecurity,
);
