/**
 * The pack as the Pulumi CLI starts it for `pulumi preview --policy-pack policy`: node runs
 * `@pulumi/pulumi/cmd/run-policy-pack` in the pack's directory, which compiles `policy/index.ts`
 * with ts-node (type-checked, with `policy/tsconfig.json`) and serves the analyzer over gRPC on
 * the port it prints. The test then speaks to it as the engine does: pack information, one
 * resource, a stack with values unknown during a preview, and policy config.
 *
 * What this does not prove: that a given Pulumi CLI version starts it exactly this way.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { ROOT } from "../harness/plan";
import { PACK_NAME, policies } from "../../policy/pack";

// The engine's side of the protocol, taken from the SDKs' own dependencies: gRPC as the policy SDK
// uses it, protobuf messages as the Pulumi SDK defines them.
const policySdk = path.dirname(require.resolve("@pulumi/policy/package.json"));
const pulumiSdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromSdk = (sdk: string, id: string) => require.resolve(id, { paths: [sdk] });
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const grpc = require(fromSdk(policySdk, "@grpc/grpc-js")) as { credentials: { createInsecure(): unknown } };
const pb = require("@pulumi/pulumi/proto/analyzer_pb") as any;
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as any;
const { Struct } = require(fromSdk(pulumiSdk, "google-protobuf/google/protobuf/struct_pb")) as any;
const { Empty } = require(fromSdk(pulumiSdk, "google-protobuf/google/protobuf/empty_pb")) as any;
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

const POLICY_DIR = path.join(ROOT, "policy");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const urn = (type: string, name: string) => `urn:pulumi:dev::jenkins-agent-bridge::${type}::${name}`;

interface Diagnostic {
  policy: string;
  level: number;
  urn: string;
  message: string;
}

describe("policy pack served as the Pulumi CLI runs it", function () {
  let server: ChildProcess | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let client: any;

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      client[method](request, (error: Error | null, response: T) =>
        error ? reject(error) : resolve(response),
      ),
    );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const diagnostics = (response: any): Diagnostic[] =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    response.getDiagnosticsList().map((d: any) => ({
      policy: d.getPolicyname(),
      level: d.getEnforcementlevel(),
      urn: d.getUrn(),
      // The SDK puts the policy's description first, then the violation's message.
      message: String(d.getMessage()).split("\n").slice(1).join("\n"),
    }));
  const options = () => new pb.AnalyzerResourceOptions();
  function stackResource(type: string, name: string, props: object, deps: Record<string, string[]> = {}) {
    const resource = new pb.AnalyzerResource();
    resource.setType(type);
    resource.setName(name);
    resource.setUrn(urn(type, name));
    resource.setProperties(Struct.fromJavaScript(props));
    resource.setOptions(options());
    for (const [prop, urns] of Object.entries(deps)) {
      const dependencies = new pb.AnalyzerPropertyDependencies();
      dependencies.setUrnsList(urns);
      resource.getPropertydependenciesMap().set(prop, dependencies);
    }
    return resource;
  }

  before(async function () {
    this.timeout(180000);
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith("TS_NODE_")),
    );
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: POLICY_DIR, env });
    server = child;
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = /^(\d+)\s*$/m.exec(out);
        if (line) resolve(line[1]);
      });
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("exit", (code) => reject(new Error(`the pack exited with ${code}:\n${out}\n${err}`)));
    });
    client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    server?.kill();
  });

  it("describes the pack and its mandatory policies", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const info: any = await call("getAnalyzerInfo", new Empty());
    assert.strictEqual(info.getName(), PACK_NAME);
    assert.strictEqual(info.getVersion(), "0.1.0");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const levels = info.getPoliciesList().map((p: any) => [p.getName(), p.getEnforcementlevel()]);
    assert.strictEqual(levels.length, policies.length);
    assert.strictEqual(levels.length, 13);
    assert.ok(levels.every(([, level]: [string, number]) => level === pb.EnforcementLevel.MANDATORY));
  });

  it("validates one resource's inputs", async () => {
    const request = new pb.AnalyzeRequest();
    request.setType("aws:kms/key:Key");
    request.setName("jenkins-key");
    request.setUrn(urn("aws:kms/key:Key", "jenkins-key"));
    request.setProperties(Struct.fromJavaScript({ enableKeyRotation: false }));
    request.setOptions(options());
    assert.deepStrictEqual(diagnostics(await call("analyze", request)), [
      {
        policy: "kms-encryption",
        level: pb.EnforcementLevel.MANDATORY,
        urn: "",
        message: 'aws:kms/key:Key "jenkins-key": enableKeyRotation is false; the key must rotate',
      },
    ]);
  });

  it("validates a stack previewed for the first time, unknown IDs and all, then with policy config", async () => {
    const vpc = urn("aws:ec2/vpc:Vpc", "master");
    const request = new pb.AnalyzeStackRequest();
    request.setResourcesList([
      stackResource("jenkins-agent-bridge:proxy:AgentProxy", "proxy", {}),
      stackResource("aws:ec2/vpc:Vpc", "master", { id: UNKNOWN, cidrBlock: "10.10.0.0/16" }),
      stackResource("aws:ec2/flowLog:FlowLog", "master-flow-logs", { vpcId: UNKNOWN }, { vpcId: [vpc] }),
      stackResource("aws:lb/listener:Listener", "gateway-50000", { port: 50000, loadBalancerArn: UNKNOWN }),
    ]);
    const listener = {
      policy: "no-agent-port-with-websocket",
      level: pb.EnforcementLevel.MANDATORY,
      urn: urn("aws:lb/listener:Listener", "gateway-50000"),
      message:
        'aws:lb/listener:Listener "gateway-50000": port 50000 at port = 50000; with transport websocket ' +
        '(inferred from jenkins-agent-bridge:proxy:AgentProxy "proxy") port 50000 stays closed',
    };
    assert.deepStrictEqual(diagnostics(await call("analyzeStack", request)), [listener]);

    const configure = new pb.ConfigureAnalyzerRequest();
    const config = new pb.PolicyConfig();
    config.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
    config.setProperties(Struct.fromJavaScript({ transport: "tcp" }));
    configure.getPolicyconfigMap().set("no-agent-port-with-websocket", config);
    await call("configure", configure);
    assert.deepStrictEqual(diagnostics(await call("analyzeStack", request)), []);
  });
});
