/** Stack config values AWS or the state would mishandle: secrets, loose CIDRs, tags, no NAT. */
import * as assert from "assert";
import { parseStackConfig } from "../../config";
import { decodeStated } from "../harness/config";

describe("stack config: values AWS or state would mishandle", () => {
  const NSK = "jenkins-agent-bridge";
  const parseLines = (values: Record<string, unknown>, secretKeys: string[] = []) => {
    const text = Object.fromEntries(
      Object.entries({ "aws:region": "us-east-1", ...values }).map(([k, v]) => [
        k,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    );
    const result = parseStackConfig(decodeStated(text), secretKeys);
    return result.ok ? [] : result.problems;
  };

  it("refuses a secret in a project key, reporting only that", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:tags`]: { Owner: "[secret]" } }, [`${NSK}:tags`]), [
      `${NSK}:tags: holds a secret; expected a plain value: no setting of this project is secret (the admin password is generated)`,
    ]);
  });

  it("leaves secrets of other namespaces alone", () => {
    assert.deepStrictEqual(parseLines({ "aws:secretKey": "x" }, ["aws:secretKey"]), []);
  });

  it("refuses CIDRs with spaces or leading zeros, which AWS would refuse later", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:masterNetwork`]: { cidrBlock: "10.10.0.0/16 " } }), [
      `${NSK}:masterNetwork.cidrBlock: got "10.10.0.0/16 "; expected an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16 (not in a.b.c.d/n form)`,
    ]);
    assert.deepStrictEqual(parseLines({ [`${NSK}:agentNetwork`]: { cidrBlock: "10.20.0.0/016" } }), [
      `${NSK}:agentNetwork.cidrBlock: got "10.20.0.0/016"; expected an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16 (not in a.b.c.d/n form)`,
    ]);
  });

  it("refuses tags AWS would refuse part-way through an update, and tags the blueprint owns", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:tags`]: { Team: "R&D", Stack: "other" } }), [
      `${NSK}:tags.Team: got "R&D"; expected a string value under a valid key (tags allow letters, digits, spaces and _ . : / = + - @)`,
      `${NSK}:tags.Stack: got "other"; expected a string value under a valid key (the blueprint sets Stack itself)`,
    ]);
    // 50 a resource, less 10 kept for the tags EKS and Karpenter add to instances, less the blueprint's 5.
    const many = Object.fromEntries(Array.from({ length: 36 }, (_, i) => [`t${i}`, "x"]));
    assert.deepStrictEqual(
      parseLines({ [`${NSK}:tags`]: many }).map((l) => l.replace(/got .*; expected/, "got ...; expected")),
      [`${NSK}:tags: got ...; expected at most 35 entries`],
    );
  });

  it("refuses a master network without NAT, saying why", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:masterNetwork`]: { natStrategy: "none" } }), [
      `${NSK}:masterNetwork.natStrategy: got "none"; expected single or perAz: the controller pulls its image and plugins and reaches the agent cluster's API through NAT`,
    ]);
  });
});
