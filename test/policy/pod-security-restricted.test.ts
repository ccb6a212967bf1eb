import * as assert from "assert";
import { messages } from "../../policy/lib/resources";
import {
  checkPodSecurity,
  podSecurityRestricted,
  workloadKind,
} from "../../policy/policies/pod-security-restricted";
import { PROXY_CONTAINER_SECURITY } from "../../components/proxy/proxy";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const D = `${DEPLOYMENT} "app"`;

/** A pod spec like the agent proxy's: restricted at pod and container level. */
function podSpec(
  container: Record<string, unknown> = {},
  pod: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      { name: "nginx", image: "nginx", securityContext: { ...PROXY_CONTAINER_SECURITY }, ...container },
    ],
    volumes: [
      { name: "config", configMap: { name: "agent-proxy" } },
      { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    ],
    ...pod,
  };
}
const deployment = (spec: Record<string, unknown>, annotations?: Record<string, string>) => ({
  type: DEPLOYMENT,
  name: "app",
  props: {
    apiVersion: "apps/v1",
    kind: "Deployment",
    spec: { template: { metadata: { annotations }, spec } },
  },
});
const check = (spec: Record<string, unknown>, annotations?: Record<string, string>) =>
  messages(checkPodSecurity(deployment(spec, annotations)));

describe("policy pod-security-restricted", () => {
  it("finds pod templates by type token, or by kind for other Kubernetes types", () => {
    const kind = (type: string, props: Record<string, unknown> = {}) =>
      workloadKind({ type, name: "x", props });
    assert.strictEqual(kind("kubernetes:core/v1:Pod"), "Pod");
    assert.strictEqual(kind("kubernetes:apps/v1:StatefulSet"), "StatefulSet");
    assert.strictEqual(kind("kubernetes:batch/v1:CronJob"), "CronJob");
    assert.strictEqual(kind("kubernetes:apps/v1:DeploymentPatch"), undefined);
    assert.strictEqual(kind("kubernetes:core/v1:ConfigMap"), undefined);
    assert.strictEqual(kind("kubernetes:example.com/v1:Custom", { kind: "Job" }), "Job");
    assert.strictEqual(kind("aws:ecs/service:Service", { kind: "Pod" }), undefined);
  });

  it("accepts the agent proxy's security contexts", () => {
    assert.deepStrictEqual(check(podSpec()), []);
  });

  it("accepts pod-level runAsNonRoot and seccomp covering containers that leave them unset", () => {
    const container = {
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      },
    };
    assert.deepStrictEqual(check(podSpec(container)), []);
  });

  it("reports a container that leaves everything unset", () => {
    const where = 'container "nginx"';
    assert.deepStrictEqual(check(podSpec({ securityContext: undefined }, { securityContext: undefined })), [
      `${D}: ${where}: runAsNonRoot is unset here and on the pod; it must be true`,
      `${D}: ${where}: securityContext.allowPrivilegeEscalation is unset; it must be false`,
      `${D}: ${where}: seccompProfile is unset here and on the pod; it must be RuntimeDefault or Localhost`,
      `${D}: ${where}: securityContext.capabilities.drop is unset; it must include "ALL"`,
    ]);
  });

  it("reports privilege, host namespaces, host paths and host ports", () => {
    const spec = podSpec(
      {
        ports: [{ containerPort: 8080, hostPort: 8080 }],
        securityContext: {
          ...PROXY_CONTAINER_SECURITY,
          privileged: true,
          allowPrivilegeEscalation: true,
          capabilities: { drop: ["NET_RAW"], add: ["NET_BIND_SERVICE", "SYS_ADMIN"] },
          runAsUser: 0,
        },
      },
      {
        hostNetwork: true,
        hostPID: true,
        hostIPC: false,
        volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
      },
    );
    const c = `${D}: container "nginx"`;
    assert.deepStrictEqual(check(spec), [
      `${D}: pod: hostNetwork is true; host namespaces are forbidden`,
      `${D}: pod: hostPID is true; host namespaces are forbidden`,
      `${D}: volume "docker" is a hostPath volume; allowed volume types: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret`,
      `${c}: securityContext.runAsUser is 0; containers must not run as root`,
      `${c}: securityContext.privileged is true; privileged containers are forbidden`,
      `${c}: ports[0].hostPort is 8080; host ports are forbidden`,
      `${c}: securityContext.allowPrivilegeEscalation is true; it must be false`,
      `${c}: securityContext.capabilities.drop is ["NET_RAW"]; it must include "ALL"`,
      `${c}: securityContext.capabilities.add has "SYS_ADMIN"; only "NET_BIND_SERVICE" may be added`,
    ]);
  });

  it("reports root and unconfined settings at pod level, and explicit runAsNonRoot false", () => {
    const spec = podSpec(
      {
        securityContext: {
          ...PROXY_CONTAINER_SECURITY,
          runAsNonRoot: false,
          seccompProfile: { type: "Unconfined" },
        },
      },
      {
        securityContext: {
          runAsNonRoot: false,
          runAsUser: 0,
          seccompProfile: { type: "Unconfined" },
          appArmorProfile: { type: "Unconfined" },
          seLinuxOptions: { type: "spc_t", user: "system_u" },
          sysctls: [
            { name: "net.ipv4.tcp_syncookies", value: "1" },
            { name: "kernel.msgmax", value: "65536" },
          ],
          windowsOptions: { hostProcess: true },
        },
      },
    );
    const c = `${D}: container "nginx"`;
    assert.deepStrictEqual(check(spec), [
      `${D}: pod: securityContext.runAsNonRoot is false; it must be true or unset`,
      `${D}: pod: securityContext.windowsOptions.hostProcess is true; HostProcess is forbidden`,
      `${D}: pod: securityContext.appArmorProfile.type is "Unconfined"; AppArmor must be RuntimeDefault or Localhost`,
      `${D}: pod: securityContext.seLinuxOptions.type is "spc_t"; allowed: container_t, container_init_t, container_kvm_t, container_engine_t`,
      `${D}: pod: securityContext.seLinuxOptions.user is "system_u"; it must be unset`,
      `${D}: pod: securityContext.runAsUser is 0; containers must not run as root`,
      `${D}: pod: securityContext.seccompProfile.type is "Unconfined"; it must be RuntimeDefault or Localhost`,
      `${D}: pod: securityContext.sysctls sets "kernel.msgmax"; only safe sysctls are allowed`,
      `${c}: securityContext.seccompProfile.type is "Unconfined"; it must be RuntimeDefault or Localhost`,
      `${c}: securityContext.runAsNonRoot is false; it must be true`,
    ]);
  });

  it("reports volume types beyond the restricted list, /proc mounts and AppArmor annotations", () => {
    const spec = podSpec(
      { securityContext: { ...PROXY_CONTAINER_SECURITY, procMount: "Unmasked" } },
      {
        volumes: [
          { name: "nfs", nfs: { server: "fs", path: "/" } },
          { name: "data", persistentVolumeClaim: { claimName: "d" } },
        ],
      },
    );
    assert.deepStrictEqual(
      check(spec, {
        "container.apparmor.security.beta.kubernetes.io/nginx": "unconfined",
        "container.apparmor.security.beta.kubernetes.io/other": "localhost/profile",
      }),
      [
        `${D}: volume "nfs" is a nfs volume; allowed volume types: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret`,
        `${D}: pod: annotation container.apparmor.security.beta.kubernetes.io/nginx is "unconfined"; AppArmor must be runtime/default or localhost/*`,
        `${D}: container "nginx": securityContext.procMount is "Unmasked"; it must be Default`,
      ],
    );
  });

  it("checks init and ephemeral containers, and Pods, Jobs and CronJobs", () => {
    const bare = { name: "init", image: "busybox" };
    const spec = { ...podSpec(), initContainers: [bare], ephemeralContainers: [{ ...bare, name: "debug" }] };
    const problems = (noun: string, name: string) => [
      `${noun} "${name}": securityContext.allowPrivilegeEscalation is unset; it must be false`,
      `${noun} "${name}": securityContext.capabilities.drop is unset; it must include "ALL"`,
    ];
    assert.deepStrictEqual(check(spec), [
      ...problems("init container", "init").map((p) => `${D}: ${p}`),
      ...problems("ephemeral container", "debug").map((p) => `${D}: ${p}`),
    ]);
    const pod = { type: "kubernetes:core/v1:Pod", name: "p", props: { spec: { containers: [bare] } } };
    assert.strictEqual(checkPodSecurity(pod).length, 4);
    const cron = {
      type: "kubernetes:batch/v1:CronJob",
      name: "c",
      props: { spec: { jobTemplate: { spec: { template: { spec: podSpec() } } } } },
    };
    assert.deepStrictEqual(checkPodSecurity(cron), []);
    const job = {
      type: "kubernetes:batch/v1:Job",
      name: "j",
      props: { spec: { template: { spec: { containers: [bare] } } } },
    };
    assert.deepStrictEqual(
      messages(checkPodSecurity(job))[0],
      `kubernetes:batch/v1:Job "j": container "init": runAsNonRoot is unset here and on the pod; it must be true`,
    );
  });

  it("exempts Windows pods from the privilege escalation, seccomp and capabilities controls", () => {
    const spec = podSpec(
      { securityContext: { runAsNonRoot: true } },
      { os: { name: "windows" }, securityContext: {} },
    );
    assert.deepStrictEqual(check(spec), []);
  });

  describe("as a resource policy", () => {
    it("does not judge values that are unknown during a preview", async () => {
      const spec = podSpec(
        { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } },
        {
          securityContext: { runAsNonRoot: UNKNOWN_FROM_ENGINE, seccompProfile: { type: "RuntimeDefault" } },
        },
      );
      const d = deployment(spec, { "jenkins-agent-bridge/config-sha256": UNKNOWN_FROM_ENGINE });
      assert.deepStrictEqual(await runResourcePolicy(podSecurityRestricted, d), []);
    });

    it("reports a privileged container", async () => {
      const d = deployment(podSpec({ securityContext: { ...PROXY_CONTAINER_SECURITY, privileged: true } }));
      assert.deepStrictEqual(await runResourcePolicy(podSecurityRestricted, d), [
        `${D}: container "nginx": securityContext.privileged is true; privileged containers are forbidden`,
      ]);
    });
  });
});
