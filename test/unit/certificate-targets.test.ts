/**
 * The scheduled refresh targets exactly the stack's TLS certificates and the controller's cluster
 * token.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { certificateTargets, ROTATED_TOKEN } from "../../scripts/certificate-targets";
import { planStack, ROOT, T } from "../harness/plan";

const urn = (type: string, name: string) => `urn:pulumi:dev::jenkins-agent-bridge::${type}::${name}`;
const exported = {
  version: 3,
  deployment: {
    resources: [
      { urn: urn("pulumi:pulumi:Stack", "jenkins-agent-bridge-dev"), type: "pulumi:pulumi:Stack" },
      { urn: urn("tls:index/privateKey:PrivateKey", "gw-ca-key"), type: "tls:index/privateKey:PrivateKey" },
      {
        urn: urn("tls:index/selfSignedCert:SelfSignedCert", "gw-ca"),
        type: "tls:index/selfSignedCert:SelfSignedCert",
      },
      {
        urn: urn("tls:index/locallySignedCert:LocallySignedCert", "gw-server"),
        type: "tls:index/locallySignedCert:LocallySignedCert",
      },
      { urn: urn("aws:acm/certificate:Certificate", "gw-acm"), type: "aws:acm/certificate:Certificate" },
      {
        urn: urn(
          "jenkins-agent-bridge:cluster:AgentCluster$kubernetes:core/v1:Secret",
          "agents-controller-token",
        ),
        type: "kubernetes:core/v1:Secret",
      },
      {
        urn: urn("jenkins-agent-bridge:cluster:AgentCluster$kubernetes:core/v1:Secret", "agents-other"),
        type: "kubernetes:core/v1:Secret",
      },
    ],
  },
};

describe("certificate refresh targets", () => {
  it("are the CA, the server certificate and the controller's token, not keys, other secrets or what uses them", () => {
    assert.deepStrictEqual(certificateTargets(exported), [
      urn("tls:index/selfSignedCert:SelfSignedCert", "gw-ca"),
      urn("tls:index/locallySignedCert:LocallySignedCert", "gw-server"),
      urn("jenkins-agent-bridge:cluster:AgentCluster$kubernetes:core/v1:Secret", "agents-controller-token"),
    ]);
  });

  it("name the one Secret of the plan that holds the controller's token", async () => {
    const view = await planStack("dev");
    const secrets = view.byType(T.k8sSecret).filter((r) => r.name.endsWith(ROTATED_TOKEN.nameSuffix));
    assert.deepStrictEqual(
      secrets.map((r) => [r.name, (r.inputs.metadata as { namespace?: string }).namespace]),
      [["agents-controller-token", "jenkins-controller"]],
    );
  });

  it("are none for a stack never deployed, and refuse what is not a stack export", () => {
    assert.deepStrictEqual(certificateTargets({ version: 3, deployment: {} }), []);
    assert.throws(() => certificateTargets({ deployment: { resources: "x" } }), /not a list/);
  });

  it("print one URN a line, and exit 2 with one line on input that is not JSON", () => {
    const script = path.join(ROOT, "scripts", "certificate-targets.ts");
    const run = (input: string) =>
      execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", script], {
        cwd: ROOT,
        input,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
      });
    assert.strictEqual(run(JSON.stringify(exported)).split("\n").filter(Boolean).length, 3);
    assert.throws(
      () => run("not json"),
      (err: { status: number; stderr: string }) =>
        err.status === 2 &&
        /^certificate-targets: not a stack export/.test(err.stderr) &&
        err.stderr.split("\n").length === 2,
    );
  });
});
