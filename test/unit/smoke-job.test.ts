/**
 * The post-deploy smoke check: its manifests (schema, restricted profile, the one egress it
 * adds), its inputs from stack outputs, and its script run for real with sh and curl against
 * local servers.
 */
import * as assert from "assert";
import { agentPodValidations } from "../../components/cluster/admission";
import { denials } from "../harness/cel";
import { connects, Policy } from "../harness/network-policy";
import { execFile } from "child_process";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import {
  SMOKE_CONTAINER_SECURITY,
  SMOKE_IMAGE,
  newRunId,
  SMOKE_LABELS,
  smokeInputsFromOutputs,
  SmokeInputs,
  smokeManifests,
  smokeScript,
} from "../../components/smoke/job";
import { validateKubernetesObject } from "../harness/kubernetes-schema";
import { freePort } from "../harness/nginx";
import { planStack } from "../harness/plan";

const WEBSOCKET: SmokeInputs = {
  stack: "dev",
  transport: "websocket",
  namespace: "jenkins-agents",
  agentUrl: "http://agent-proxy.jenkins-agent-proxy.svc.cluster.local:8080/",
  privateName: "jenkins.dev.ci.internal",
  agentVpcCidr: "10.20.0.0/16",
  image: SMOKE_IMAGE,
};

type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function byKind(inputs: SmokeInputs, kind: string): Manifest {
  const found = smokeManifests(inputs).filter((m) => m.kind === kind);
  assert.strictEqual(found.length, 1, `one ${kind}`);
  return found[0] as Manifest;
}

describe("smoke check manifests", () => {
  it("are a NetworkPolicy, a ConfigMap and a Job in the agent namespace, each valid against the Kubernetes schema", () => {
    const manifests = smokeManifests(WEBSOCKET);
    assert.deepStrictEqual(
      manifests.map((m) => [m.kind, (m.metadata as Manifest).name, (m.metadata as Manifest).namespace]),
      [
        ["NetworkPolicy", "jenkins-smoke", "jenkins-agents"],
        ["ConfigMap", "jenkins-smoke", "jenkins-agents"],
        ["Job", "jenkins-smoke", "jenkins-agents"],
      ],
    );
    for (const manifest of manifests) validateKubernetesObject(manifest);
  });

  it("runs once, under the restricted profile, with no token, host access or writable root", () => {
    const job = byKind(WEBSOCKET, "Job");
    assert.strictEqual(job.spec.backoffLimit, 0);
    const pod = job.spec.template.spec;
    assert.deepStrictEqual(job.spec.template.metadata.labels, SMOKE_LABELS);
    assert.strictEqual(pod.restartPolicy, "Never");
    assert.strictEqual(pod.automountServiceAccountToken, false);
    assert.deepStrictEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 100,
      runAsGroup: 101,
      seccompProfile: { type: "RuntimeDefault" },
    });
    for (const key of ["hostNetwork", "hostPID", "hostIPC", "nodeName"]) {
      assert.strictEqual(pod[key], undefined, key);
    }
    // What the agent namespace's admission policy admits: the agent account, agent nodes only.
    assert.strictEqual(pod.serviceAccountName, "jenkins-agent");
    assert.deepStrictEqual(pod.nodeSelector, { "jenkins-agent-bridge/capacity": "agents" });
    assert.deepStrictEqual(pod.tolerations, [
      { key: "jenkins-agent-bridge/agents", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
    assert.deepStrictEqual(denials(agentPodValidations("jenkins-agent"), job.spec.template), []);
    assert.deepStrictEqual(
      pod.volumes.map((v: Manifest) => Object.keys(v).sort()),
      [["configMap", "name"]],
    );
    assert.strictEqual(pod.containers.length, 1);
    const container = pod.containers[0];
    assert.strictEqual(container.image, "curlimages/curl:8.17.0");
    assert.deepStrictEqual(container.command, ["/bin/sh", "/smoke/check.sh"]);
    assert.deepStrictEqual(container.securityContext, {
      runAsNonRoot: true,
      runAsUser: 100,
      runAsGroup: 101,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepStrictEqual(container.securityContext, SMOKE_CONTAINER_SECURITY);
    assert.deepStrictEqual(container.resources, {
      requests: { cpu: "50m", memory: "32Mi" },
      limits: { cpu: "100m", memory: "64Mi" },
    });
    assert.deepStrictEqual(container.volumeMounts, [{ name: "smoke", mountPath: "/smoke", readOnly: true }]);
    assert.strictEqual(container.ports, undefined);
    assert.strictEqual(container.env, undefined);
  });

  it("adds exactly one egress: its own pod to the agent port (and in websocket mode the control port) in the agent VPC", () => {
    assert.deepStrictEqual(byKind(WEBSOCKET, "NetworkPolicy").spec, {
      podSelector: { matchLabels: SMOKE_LABELS },
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ ipBlock: { cidr: "10.20.0.0/16" } }],
          ports: [
            { protocol: "TCP", port: 50000 },
            { protocol: "TCP", port: 443 },
          ],
        },
      ],
    });
    assert.deepStrictEqual(byKind({ ...WEBSOCKET, transport: "tcp" }, "NetworkPolicy").spec.egress[0].ports, [
      { protocol: "TCP", port: 50000 },
    ]);
  });

  it("gives that egress to this run's pod only, not to a build pod that copies the smoke labels", () => {
    const runId = newRunId();
    assert.match(runId, /^[0-9a-f]{32}$/);
    assert.notStrictEqual(newRunId(), runId);
    const inputs = { ...WEBSOCKET, runId };
    const policy = byKind(inputs, "NetworkPolicy");
    const pod = byKind(inputs, "Job").spec.template;
    const labels = { ...SMOKE_LABELS, "jenkins-agent-bridge/smoke-run": runId };
    assert.deepStrictEqual(policy.spec.podSelector, { matchLabels: labels });
    assert.deepStrictEqual(pod.metadata.labels, labels);
    const policies: Policy[] = [
      { namespace: "jenkins-agents", spec: policy.spec },
      {
        namespace: "jenkins-agents",
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.20.0.0/16"] } }] }],
        },
      },
    ];
    const endpoint = { ip: "10.20.1.100" };
    const at = (podLabels: Record<string, string>) => ({
      namespace: "jenkins-agents",
      labels: podLabels,
      ip: "10.20.8.8",
    });
    assert.strictEqual(connects(policies, at(labels), endpoint, 443), true);
    assert.strictEqual(connects(policies, at({ ...SMOKE_LABELS }), endpoint, 443), false);
    assert.strictEqual(
      connects(policies, at({ ...SMOKE_LABELS, "jenkins-agent-bridge/smoke-run": "guess" }), endpoint, 443),
      false,
    );
  });

  it("waits out a controller that is still starting: the Job's deadline covers the health-check grace period", () => {
    assert.strictEqual(byKind(WEBSOCKET, "Job").spec.activeDeadlineSeconds, 900);
    assert.match(smokeScript(WEBSOCKET), /^deadline=\$\(\( \$\(date \+%s\) \+ 840 \)\)$/m);
  });

  it("mounts the gateway's CA and verifies with it for an https agent URL only", () => {
    assert.deepStrictEqual(Object.keys(byKind(WEBSOCKET, "ConfigMap").data), [
      "check.sh",
      "agent-path-check.sh",
    ]);
    assert.doesNotMatch(smokeScript(WEBSOCKET), /cacert/);
    const https = {
      ...WEBSOCKET,
      transport: "tcp" as const,
      agentUrl: "https://jenkins.tcp.ci.internal/",
      caPem: "PEM",
    };
    assert.deepStrictEqual(byKind(https, "ConfigMap").data["ca.pem"], "PEM");
    assert.match(smokeScript(https), /curl -s -o \/dev\/null --max-time 15 --cacert \/smoke\/ca.pem -w/);
    assert.match(smokeScript(https), /CA_FILE=\/smoke\/ca.pem sh \/smoke\/agent-path-check.sh/);
  });
});

describe("smoke check inputs from stack outputs", () => {
  it("names every missing or malformed output, one line each", () => {
    const result = smokeInputsFromOutputs("dev", {
      transport: "websockets",
      agentNamespace: "jenkins-agents",
      agentUrl: "http://agent-proxy:8080",
      agentVpcCidr: 42,
    });
    assert.deepStrictEqual(!result.ok && result.problems, [
      'stack output transport: got "websockets"; expected "websocket" or "tcp"',
      'stack output agentUrl: got "http://agent-proxy:8080"; expected http(s)://host[:port]/',
      "stack output controllerPrivateName: got undefined; expected a DNS name",
      "stack output agentVpcCidr: got 42; expected an IPv4 CIDR block",
    ]);
  });

  it("come from the offline plans of the committed stacks: the proxy for websocket, the endpoint for tcp", async function () {
    this.timeout(60_000);
    const inputsOf = async (stack: string) => {
      const result = smokeInputsFromOutputs(stack, (await planStack(stack)).plan.outputs);
      assert.ok(result.ok, JSON.stringify(result));
      return result.inputs;
    };
    assert.deepStrictEqual(await inputsOf("dev"), WEBSOCKET);
    assert.deepStrictEqual(await inputsOf("tcp"), {
      stack: "tcp",
      transport: "tcp",
      namespace: "jenkins-agents",
      agentUrl: "http://jenkins.tcp.ci.internal:8080/",
      privateName: "jenkins.tcp.ci.internal",
      agentVpcCidr: "10.60.0.0/16",
      image: SMOKE_IMAGE,
    });
  });
});

describe("smoke check script, run with sh and curl", () => {
  let web: http.Server;
  let url: string;
  /** /login answers 503 this many more times (a controller still starting). */
  let starting = 0;
  /** The inputs of a local run: the web server as the proxy, 127.0.0.1 as the private name. */
  let local: SmokeInputs;
  /** How the controller behind the web server answers an agent's upgrade: as Jenkins, or not at all. */
  let controller: "jenkins" | "gone" = "jenkins";

  before(async function () {
    for (const tool of ["sh", "curl"]) {
      const found = await new Promise<boolean>((resolve) =>
        execFile(tool, ["--version"], (err) => resolve(!err || tool === "sh")),
      );
      if (!found) {
        if (process.env.CI === "true") throw new Error(`${tool} is required when CI=true`);
        console.log(`      (skipped: ${tool} is not installed)`);
        this.skip();
      }
    }
    // The proxy's answers: /login passes, every other path is refused.
    web = http.createServer((req, res) => {
      if (req.url === "/login" && starting > 0) {
        starting--;
        res.writeHead(503);
      } else {
        res.writeHead(req.url === "/login" ? 200 : 403);
      }
      res.end();
    });
    // An agent's upgrade for an unknown node: Jenkins' refusal (400 "no such agent"), or the
    // proxy's 502 when no controller answers.
    web.on("upgrade", (req, socket: net.Socket) => {
      const [status, body] =
        controller === "jenkins" && req.url === "/wsagents/"
          ? ["400 Bad Request", "<html><title>Error 400 no such agent</title></html>"]
          : ["502 Bad Gateway", "<html><center>nginx</center></html>"];
      socket.end(`HTTP/1.1 ${status}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(web.address() as net.AddressInfo).port}/`;
    local = {
      ...WEBSOCKET,
      agentUrl: url,
      privateName: "127.0.0.1",
      loginWaitSeconds: 0,
      loginRetrySeconds: 1,
      scriptDir: path.resolve(__dirname, "../../components/smoke"),
    };
  });

  after(() => web?.close());

  function runScript(inputs: SmokeInputs): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      const child = execFile("sh", ["-s"], { timeout: 30_000 }, (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout }),
      );
      child.stdin?.end(smokeScript(inputs));
    });
  }

  /** A TCP listener on a free port (something that answers on the agent port). */
  async function listener(): Promise<{ port: number; close: () => void }> {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
  }

  it("passes in websocket mode when /login answers, other paths are refused, the control answers and the agent port is closed", async () => {
    const control = await listener();
    const closed = await freePort();
    try {
      const { code, out } = await runScript({ ...local, controlPort: control.port, agentPort: closed });
      const lines = out.trim().split("\n");
      assert.match(
        lines[1],
        new RegExp(
          `^ok    GET ${url}wsagents/ for unknown agent agent-path-check-\\d+-\\d+: Jenkins refused it \\(400 no such agent\\)$`,
        ),
      );
      assert.deepStrictEqual(
        [lines[0], ...lines.slice(2)],
        [
          `ok    GET ${url}login answered 200`,
          `ok    GET ${url}script refused (403): the proxy passes agent paths only`,
          `ok    the gateway port 127.0.0.1:${control.port} answers (the control)`,
          `ok    nothing answers on 127.0.0.1:${closed}`,
          "smoke check passed",
        ],
      );
      assert.strictEqual(code, 0);
    } finally {
      control.close();
    }
  });

  it("fails in websocket mode when something answers on the agent port", async () => {
    const control = await listener();
    const open = await listener();
    try {
      const { code, out } = await runScript({ ...local, controlPort: control.port, agentPort: open.port });
      assert.ok(
        out.includes(`FAIL  127.0.0.1:${open.port} answers; expected nothing in websocket mode`),
        out,
      );
      assert.match(out, /smoke check failed: 1 problem\(s\)/);
      assert.strictEqual(code, 1);
    } finally {
      control.close();
      open.close();
    }
  });

  it("does not take a silent agent port for closed when the control port is silent too", async () => {
    const [control, closed] = [await freePort(), await freePort()];
    const { code, out } = await runScript({ ...local, controlPort: control, agentPort: closed });
    assert.ok(
      out.includes(
        `FAIL  127.0.0.1:${control} does not answer, so a silent ${closed} proves nothing; check the endpoint and the network policies`,
      ),
      out,
    );
    assert.doesNotMatch(out, /nothing answers on/);
    assert.strictEqual(code, 1);
  });

  it("asks /login again while the controller starts, and fails when the deadline passes", async () => {
    starting = 2; // the next two /login requests answer 503
    const control = await listener();
    try {
      const waited = await runScript({
        ...local,
        controlPort: control.port,
        agentPort: await freePort(),
        loginWaitSeconds: 20,
      });
      assert.deepStrictEqual(waited.out.split("\n").slice(0, 3), [
        `wait  GET ${url}login answered 503; asking again in 1 s`,
        `wait  GET ${url}login answered 503; asking again in 1 s`,
        `ok    GET ${url}login answered 200`,
      ]);
      assert.strictEqual(waited.code, 0);
    } finally {
      control.close();
    }
    const { code, out } = await runScript({
      ...WEBSOCKET,
      agentUrl: "http://127.0.0.1:1/",
      privateName: "jenkins.smoke.invalid",
      loginWaitSeconds: 0,
      scriptDir: local.scriptDir,
    });
    assert.ok(out.includes("FAIL  GET http://127.0.0.1:1/login answered 000; expected 200"), out);
    assert.ok(
      out.includes(
        "FAIL  GET http://127.0.0.1:1/wsagents/: no HTTP answer (curl exit 7): the proxy, the endpoint or the private name is unreachable",
      ),
      out,
    );
    assert.ok(out.includes("FAIL  jenkins.smoke.invalid does not resolve"), out);
    assert.match(out, /smoke check failed: 4 problem\(s\)/);
    assert.strictEqual(code, 1);
  });

  it("fails when the agent's upgrade is answered by the proxy, not refused by Jenkins", async () => {
    const control = await listener();
    controller = "gone";
    try {
      const { code, out } = await runScript({
        ...local,
        controlPort: control.port,
        agentPort: await freePort(),
      });
      assert.ok(
        out.includes(
          `FAIL  GET ${url}wsagents/: 502: the proxy or the load balancer has no healthy controller behind it`,
        ),
        out,
      );
      assert.match(out, /smoke check failed: 1 problem\(s\)/);
      assert.strictEqual(code, 1);
    } finally {
      controller = "jenkins";
      control.close();
    }
  });

  it("in tcp mode passes only when the agent port answers", async () => {
    const open = await listener();
    const tcp = { ...local, transport: "tcp" as const };
    try {
      const passed = await runScript({ ...tcp, agentPort: open.port });
      assert.ok(passed.out.includes(`ok    the agent port 127.0.0.1:${open.port} answers`), passed.out);
      assert.doesNotMatch(passed.out, /script/);
      assert.strictEqual(passed.code, 0);
    } finally {
      open.close();
    }
    const closed = await freePort();
    const failed = await runScript({ ...tcp, agentPort: closed });
    assert.ok(
      failed.out.includes(
        `FAIL  nothing answers on 127.0.0.1:${closed}; expected the agent port in tcp mode`,
      ),
    );
    assert.strictEqual(failed.code, 1);
  });
});
