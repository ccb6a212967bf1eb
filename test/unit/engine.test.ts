import * as assert from "assert";
import {
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "@pulumi/pulumi/runtime/rpc";
import { plainInputs } from "../../offline/engine";

describe("plan engine", () => {
  it("masks secret inputs wherever they are nested, and keeps everything else", () => {
    const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
    assert.deepStrictEqual(
      plainInputs({
        name: "controller",
        password: secret("hunter2"),
        environment: [{ name: "A", value: "1" }, secret({ name: "B", value: "2" })],
        nested: { key: secret("pem") },
        count: 2,
        enabled: false,
      }),
      {
        name: "controller",
        password: "[secret]",
        environment: [{ name: "A", value: "1" }, "[secret]"],
        nested: { key: "[secret]" },
        count: 2,
        enabled: false,
      },
    );
  });

  it("shows resource references by URN and unknowns as such", () => {
    const urn = "urn:pulumi:dev::jenkins-agent-bridge::aws:ec2/vpc:Vpc::master";
    assert.deepStrictEqual(
      plainInputs({ ref: { [specialSigKey]: specialResourceSig, urn, id: "vpc-1" }, later: unknownValue }),
      {
        ref: urn,
        later: "[unknown]",
      },
    );
  });
});
