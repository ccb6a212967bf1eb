/** A public UI needs an allow-list or sign-in at the load balancer, and keeps access logs. */
import * as assert from "assert";
import { parseStackConfig } from "../../config";
import { decodeStated } from "../harness/config";
import { httpsUrlProblem, requiredWhile, secretArnProblem } from "../../config/public-ui";
import { Problems } from "../../config/schema";
import { OIDC } from "../harness/oidc";

const NS = "jenkins-agent-bridge";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const lines = (ui: Record<string, unknown>) => {
  const result = parseStackConfig(
    decodeStated({ "aws:region": "us-east-1", [`${NS}:controller`]: JSON.stringify({ ui }) }),
  );
  return result.ok ? [] : result.problems;
};

describe("stack config: the public UI", () => {
  it("refuses a public UI open to everyone with only Jenkins' password, and one without access logs", () => {
    assert.deepStrictEqual(lines({ internetFacing: true, certificateArn: CERT }), [
      `${NS}:controller.ui.allowedCidrs: got [] with controller.ui.internetFacing true; expected the client networks allowed to reach the UI, or controller.ui.oidc to sign users in at the load balancer`,
      `${NS}:controller.ui.accessLogsBucket: got nothing with controller.ui.internetFacing true; expected an S3 bucket for the public load balancer's access logs`,
    ]);
  });

  it("accepts a public UI behind OIDC, or limited to named networks, with access logs", () => {
    assert.deepStrictEqual(
      lines({ internetFacing: true, certificateArn: CERT, oidc: OIDC, accessLogsBucket: "ci-logs" }),
      [],
    );
    assert.deepStrictEqual(
      lines({
        internetFacing: true,
        certificateArn: CERT,
        allowedCidrs: ["198.51.100.0/24"],
        accessLogsBucket: "ci-logs",
      }),
      [],
    );
  });

  it("refuses part of the OIDC settings, naming each missing key", () => {
    const { clientId, clientSecretArn, ...rest } = OIDC;
    void clientId;
    void clientSecretArn;
    assert.deepStrictEqual(lines({ certificateArn: CERT, oidc: rest }), [
      `${NS}:controller.ui.oidc.clientId: missing while controller.ui.oidc.issuer is set; expected every one of issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, clientId, clientSecretArn`,
      `${NS}:controller.ui.oidc.clientSecretArn: missing while controller.ui.oidc.issuer is set; expected every one of issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, clientId, clientSecretArn`,
    ]);
  });

  it("refuses OIDC without a certificate, http endpoints, and a client secret in place of its ARN", () => {
    assert.deepStrictEqual(lines({ oidc: OIDC }), [
      `${NS}:controller.ui.certificateArn: got nothing with controller.ui.oidc set; expected a certificate: the load balancer signs users in on HTTPS listeners only`,
    ]);
    // A public UI with sign-in and no certificate: one line for the key, not one per rule.
    assert.deepStrictEqual(lines({ internetFacing: true, oidc: OIDC, accessLogsBucket: "ci-logs" }), [
      `${NS}:controller.ui.certificateArn: got nothing with controller.ui.oidc set; expected a certificate: the load balancer signs users in on HTTPS listeners only`,
    ]);
    assert.deepStrictEqual(
      lines({
        certificateArn: CERT,
        oidc: { ...OIDC, tokenEndpoint: "http://idp.example.com/token", clientSecretArn: "s3cr3t" },
      }),
      [
        `${NS}:controller.ui.oidc.tokenEndpoint: got "http://idp.example.com/token"; expected a full https URL (the load balancer requires https)`,
        `${NS}:controller.ui.oidc.clientSecretArn: got "s3cr3t"; expected a Secrets Manager secret ARN (not a Secrets Manager secret ARN)`,
      ],
    );
    assert.strictEqual(httpsUrlProblem("https://login.example.com/a b"), "not a host name");
    assert.strictEqual(
      secretArnProblem("arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/oidc"),
      undefined,
    );
  });
});

describe("a setting required while a condition holds", () => {
  const NS = "jenkins-agent-bridge:";
  const holds = { holds: true, text: "a.b true" };

  it("is reported, once, when the condition holds and the setting is unset", () => {
    const problems = new Problems();
    requiredWhile(problems, "a.c", undefined, holds, "a bucket");
    requiredWhile(problems, "a.c", undefined, holds, "a bucket");
    assert.deepStrictEqual(problems.lines(), [`${NS}a.c: got nothing with a.b true; expected a bucket`]);
  });

  it("is not reported when set, when the condition does not hold, or when already reported", () => {
    const problems = new Problems();
    requiredWhile(problems, "a.c", "bucket", holds, "a bucket");
    requiredWhile(problems, "a.c", undefined, { holds: false, text: "a.b true" }, "a bucket");
    assert.strictEqual(problems.count, 0);
    problems.add(`${NS}a.c.d`, "not a bucket");
    requiredWhile(problems, "a.c", undefined, holds, "a bucket");
    assert.deepStrictEqual(problems.lines(), [`${NS}a.c.d: not a bucket`]);
  });
});
