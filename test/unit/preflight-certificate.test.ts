/** The preflight's checks of the UI certificate in ACM, against a mocked AWS SDK. */
import * as assert from "assert";
import { DescribeCertificateCommand } from "@aws-sdk/client-acm";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { certificateCovers } from "../../preflight/checks";
import { CERT, healthy, mockAws, NS, run } from "../harness/preflight";

describe("preflight", function () {
  this.timeout(30_000);
  const aws = mockAws();

  describe("one line per problem", () => {
    beforeEach(() => healthy(aws));

    describe("the UI certificate", () => {
      beforeEach(() => healthy(aws, "eu-west-1", "euw1"));
      const prodOk = () =>
        aws.quotas
          .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-0263D0A3" })
          .resolves({ Quota: { Value: 6 } });

      it("one that does not exist", async () => {
        prodOk();
        aws.acm
          .on(DescribeCertificateCommand)
          .rejects(Object.assign(new Error("no"), { name: "ResourceNotFoundException" }));
        assert.deepStrictEqual(await run("prod"), [
          `${NS}controller.ui.certificateArn: ${CERT} cannot be read in eu-west-1 (ResourceNotFoundException); expected an issued certificate there`,
        ]);
      });

      it("one not issued yet", async () => {
        prodOk();
        aws.acm
          .on(DescribeCertificateCommand)
          .resolves({ Certificate: { Status: "PENDING_VALIDATION", DomainName: "x" } });
        assert.deepStrictEqual(await run("prod"), [
          `${NS}controller.ui.certificateArn: the certificate is PENDING_VALIDATION; expected ISSUED (validate it in ACM first)`,
        ]);
      });

      it("one expired", async () => {
        prodOk();
        aws.acm.on(DescribeCertificateCommand).resolves({
          Certificate: { Status: "ISSUED", DomainName: "x", NotAfter: new Date("2026-11-30T00:00:00Z") },
        });
        assert.deepStrictEqual(await run("prod"), [
          `${NS}controller.ui.certificateArn: the certificate expired on 2026-11-30T00:00:00.000Z; expected a valid one`,
        ]);
      });

      it("one that does not cover the UI host name", async () => {
        prodOk();
        assert.deepStrictEqual(await run("prod", { uiHostName: "ci.example.org" }), [
          `${NS}controller.ui.certificateArn: the certificate covers jenkins.example.com; expected one that covers the UI host name ci.example.org`,
        ]);
        assert.deepStrictEqual(await run("prod", { uiHostName: "jenkins.example.com" }), []);
      });

      it("matches names as TLS does: a wildcard stands for one label", () => {
        const table: [string, string, boolean][] = [
          ["jenkins.example.com", "jenkins.example.com", true],
          ["JENKINS.example.com", "jenkins.EXAMPLE.com", true],
          ["*.example.com", "jenkins.example.com", true],
          ["*.example.com", "a.b.example.com", false],
          ["*.example.com", "example.com", false],
          ["example.com", "jenkins.example.com", false],
        ];
        for (const [name, host, covers] of table)
          assert.strictEqual(certificateCovers(name, host), covers, `${name} ${host}`);
      });
    });
  });
});
