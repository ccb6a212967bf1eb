import * as assert from "assert";
import { parse } from "yaml";
import { JcascInputs, renderJcasc } from "../../components/jenkins/jcasc";
import { golden } from "../harness/golden";

const base: JcascInputs = {
  transport: "websocket",
  adminUser: "admin",
  url: "https://jenkins.example.com",
  systemMessage: "Managed by Pulumi (stack dev). Changes made in the UI are replaced at the next restart.",
};

describe("JCasC", () => {
  it("renders the websocket controller as in its golden file", () => {
    golden("jcasc-websocket.golden.yaml", renderJcasc(base));
  });

  it("renders the tcp controller as in its golden file", () => {
    golden("jcasc-tcp.golden.yaml", renderJcasc({ ...base, transport: "tcp" }));
  });

  for (const [transport, port] of [
    ["websocket", -1],
    ["tcp", 50000],
  ] as const) {
    it(`sets the security-relevant keys exactly (${transport})`, () => {
      const doc = parse(renderJcasc({ ...base, transport }));
      assert.strictEqual(doc.jenkins.numExecutors, 0);
      assert.strictEqual(doc.jenkins.slaveAgentPort, port);
      assert.deepStrictEqual(doc.jenkins.securityRealm, {
        local: { allowsSignup: false, users: [{ id: "admin", password: "${JENKINS_ADMIN_PASSWORD}" }] },
      });
      assert.deepStrictEqual(doc.jenkins.authorizationStrategy, {
        loggedInUsersCanDoAnything: { allowAnonymousRead: false },
      });
      assert.strictEqual(doc.unclassified.location.url, "https://jenkins.example.com/");
    });
  }

  it("never emits agentProtocols (deprecated: JCasC would refuse it and Jenkins not start)", () => {
    for (const transport of ["websocket", "tcp"] as const) {
      assert.ok(!renderJcasc({ ...base, transport }).includes("agentProtocols"));
    }
  });

  it("keeps a trailing slash on the URL without doubling it", () => {
    assert.strictEqual(
      parse(renderJcasc({ ...base, url: "http://a/" })).unclassified.location.url,
      "http://a/",
    );
  });
});
