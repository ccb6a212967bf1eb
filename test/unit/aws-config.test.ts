/**
 * Stack settings that parse but that AWS would refuse or that would break the deployment: each
 * refused by the config parser with one line naming its key.
 */
import * as assert from "assert";
import { decodeConfig, parseStackConfig } from "../../config";
import { applyOverrides, readStack, STACKS_DIR } from "../../offline/stack-file";
import { fargateSizeProblem, regionPartition, shadowedAwsName } from "../../config/aws-facts";
import { EKS_VERSIONS, eksVersionProblem, KUBERNETES_VERSION } from "../../components/shared/versions";
import { checkStackName } from "../../config/checks";
import { Problems } from "../../config/schema";

const NS = "jenkins-agent-bridge";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0b6f3a2e-1c9d-4e8f-9a7b-2c3d4e5f6a7b";

/**
 * The problems of the committed dev stack with `overrides` applied (`--config` syntax), so every
 * other setting a stack needs is there and each case changes one thing.
 */
function problemsOf(...overrides: string[]): string[] {
  const values = applyOverrides(readStack(STACKS_DIR, "dev"), overrides);
  const result = parseStackConfig(decodeConfig(values.values), values.secretKeys);
  return result.ok ? [] : result.problems;
}

describe("config checked against what AWS offers", () => {
  const cases: [string, string[], string][] = [
    [
      "a region the SDK does not list",
      ["aws:region=us-east-7"],
      'aws:region: got "us-east-7"; expected an AWS region the AWS SDK lists, such as us-east-1',
    ],
    [
      "a CPU/memory pair Fargate does not offer",
      ["controller.cpu=1024", "controller.memoryMiB=16384"],
      `${NS}:controller.memoryMiB: got 16384 with controller.cpu 1024; expected a pair Fargate offers: with 1024 CPU units Fargate offers 2048 to 8192 in steps of 1024 MiB`,
    ],
    [
      "a memory size between Fargate's steps",
      ["controller.cpu=8192", "controller.memoryMiB=18432"],
      `${NS}:controller.memoryMiB: got 18432 with controller.cpu 8192; expected a pair Fargate offers: with 8192 CPU units Fargate offers 16384 to 61440 in steps of 4096 MiB`,
    ],
    [
      "a UI certificate of another region",
      [`controller.ui.certificateArn=${CERT.replace("us-east-1", "eu-west-1")}`],
      `${NS}:controller.ui.certificateArn: got "${CERT.replace("us-east-1", "eu-west-1")}"; expected a certificate in aws:region us-east-1 (a load balancer uses certificates of its own region only), not eu-west-1`,
    ],
    [
      "a UI certificate of another partition",
      [`controller.ui.certificateArn=${CERT.replace("arn:aws:", "arn:aws-us-gov:")}`],
      `${NS}:controller.ui.certificateArn: got "${CERT.replace("arn:aws:", "arn:aws-us-gov:")}"; expected a certificate of partition aws (the partition of aws:region us-east-1), not aws-us-gov`,
    ],
    [
      "a Kubernetes version EKS does not offer",
      ["agentCluster.kubernetesVersion=1.28"],
      `${NS}:agentCluster.kubernetesVersion: got "1.28"; expected a version EKS offers (${EKS_VERSIONS.filter(
        (v) => v.endOfExtendedSupport >= new Date().toISOString().slice(0, 10),
      )
        .map((v) => v.version)
        .join(", ")}; the dated table in components/shared/versions.ts)`,
    ],
    [
      "a private zone on the region's instance names",
      ["gateway.privateZoneName=us-east-1.compute.internal"],
      `${NS}:gateway.privateZoneName: got "us-east-1.compute.internal"; expected a name apart from us-east-1.compute.internal, which AWS answers in the agent VPC (a private zone on, under or above it hides instance and service names from the nodes), such as ci.internal`,
    ],
    [
      "a private zone under amazonaws.com",
      ["gateway.privateZoneName=ci.amazonaws.com"],
      `${NS}:gateway.privateZoneName: got "ci.amazonaws.com"; expected a name apart from amazonaws.com, which AWS answers in the agent VPC (a private zone on, under or above it hides instance and service names from the nodes), such as ci.internal`,
    ],
    [
      "a private zone above the instance names",
      ["gateway.privateZoneName=compute.internal"],
      `${NS}:gateway.privateZoneName: got "compute.internal"; expected a name apart from compute.internal, which AWS answers in the agent VPC (a private zone on, under or above it hides instance and service names from the nodes), such as ci.internal`,
    ],
    [
      "an agent network without NAT",
      ["agentNetwork.natStrategy=none"],
      `${NS}:agentNetwork.natStrategy: got "none"; expected single or perAz: agent nodes pull their images (ECR, Docker Hub) and call STS and EC2 to join the cluster through NAT, and the agent VPC has no ECR, S3, STS or EC2 endpoints instead`,
    ],
  ];
  for (const [what, overrides, line] of cases) {
    it(`refuses ${what}`, () => {
      assert.deepStrictEqual(problemsOf(...overrides), [line]);
    });
  }

  it("accepts the pairs, zones, certificates and versions AWS offers", () => {
    assert.deepStrictEqual(
      problemsOf(
        "controller.cpu=16384",
        "controller.memoryMiB=122880",
        `controller.ui.certificateArn=${CERT}`,
        "gateway.privateZoneName=internal.example.com",
      ),
      [],
    );
  });
});

describe("AWS facts", () => {
  it("knows regions from the SDK's partition data, with their partitions", () => {
    assert.deepStrictEqual(
      ["us-east-1", "cn-north-1", "us-gov-west-1", "ap-southeast-5", "us-east-7", "aws-global"].map(
        regionPartition,
      ),
      ["aws", "aws-cn", "aws-us-gov", "aws", undefined, undefined],
    );
  });

  it("offers exactly the Fargate pairs of the ECS table", () => {
    const offered = (cpu: number, memory: number) => fargateSizeProblem(cpu, memory) === undefined;
    assert.ok(offered(256, 512) && offered(256, 2048) && !offered(256, 3072));
    assert.ok(offered(512, 4096) && !offered(512, 512));
    assert.ok(offered(4096, 30720) && !offered(4096, 31744));
    assert.ok(offered(16384, 40960) && !offered(16384, 36864));
    assert.strictEqual(
      fargateSizeProblem(3072, 8192),
      "Fargate offers task CPU 256, 512, 1024, 2048, 4096, 8192, 16384",
    );
  });

  it("finds zone names on, under and above AWS names only", () => {
    assert.strictEqual(shadowedAwsName("ec2.internal", "us-east-1"), "ec2.internal");
    assert.strictEqual(shadowedAwsName("jenkins.ec2.internal", "us-east-1"), "ec2.internal");
    assert.strictEqual(
      shadowedAwsName("eu-west-1.compute.internal", "eu-west-1"),
      "eu-west-1.compute.internal",
    );
    assert.strictEqual(
      shadowedAwsName("ip-10-0-0-1.eu-west-1.compute.internal", "us-east-1"),
      "compute.internal",
    );
    assert.strictEqual(shadowedAwsName("internal.compute.internal", "us-east-1"), "compute.internal");
    assert.strictEqual(shadowedAwsName("ci.internal", "us-east-1"), undefined);
    assert.strictEqual(shadowedAwsName("compute.internal.example", "us-east-1"), undefined);
  });

  it("dates Kubernetes versions: past extended support is refused, the pinned one is offered", () => {
    assert.strictEqual(eksVersionProblem(KUBERNETES_VERSION, "2026-11-30"), undefined);
    assert.strictEqual(
      eksVersionProblem("1.31", "2026-11-30"),
      "a version EKS still offers (1.32, 1.33, 1.34, 1.35): 1.31 left extended support on 2026-11-26",
    );
    assert.strictEqual(eksVersionProblem("1.31", "2026-11-26"), undefined);
  });
});

describe("stack names", () => {
  const linesFor = (stack: string) => {
    const problems = new Problems();
    checkStackName(stack, problems);
    return problems.lines();
  };

  it("takes letters, digits, - and _ and refuses what EKS, ECS and KMS alias names refuse", () => {
    for (const ok of ["dev", "eph-pr-12", "team_dev", "Prod2"]) assert.deepStrictEqual(linesFor(ok), [], ok);
    assert.deepStrictEqual(
      ["team.dev", "-dev", "dev space"].flatMap(linesFor),
      ["team.dev", "-dev", "dev space"].map(
        (s) =>
          `stack: got ${JSON.stringify(s)}; expected letters, digits, - and _, starting with a letter or digit (the stack name is part of EKS, ECS and KMS alias names, which take nothing else)`,
      ),
    );
  });

  it("is checked first when the stack's name is given to the parse", () => {
    const result = parseStackConfig(decodeConfig(readStack(STACKS_DIR, "dev").values), [], "team.dev");
    assert.ok(!result.ok);
    assert.match(result.problems[0], /^stack: got "team\.dev"; expected letters, digits/);
    assert.strictEqual(result.problems.length, 1);
  });
});
