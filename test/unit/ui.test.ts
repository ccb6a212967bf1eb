import * as assert from "assert";
import { planUi } from "../../components/jenkins/ui";

const VPC = "10.10.0.0/16";

describe("UI load balancer plan", () => {
  it("HTTPS on a public load balancer: 443 from anywhere, 80 redirects but is not opened to the world", () => {
    assert.deepStrictEqual(
      planUi({ internetFacing: true, certificateArn: "arn:cert", allowedCidrs: [], vpcCidrBlock: VPC }),
      {
        scheme: "https",
        listeners: [
          { port: 443, protocol: "HTTPS", action: "forward" },
          { port: 80, protocol: "HTTP", action: "redirect-to-https" },
        ],
        ingress: [{ port: 443, cidr: "0.0.0.0/0", description: "Jenkins UI over HTTPS from 0.0.0.0/0" }],
      },
    );
  });

  it("HTTPS with allowed CIDRs: 443 and the redirect from those only", () => {
    assert.deepStrictEqual(
      planUi({
        internetFacing: false,
        certificateArn: "arn:cert",
        allowedCidrs: ["10.0.0.0/8"],
        vpcCidrBlock: VPC,
      }).ingress,
      [
        { port: 443, cidr: "10.0.0.0/8", description: "Jenkins UI over HTTPS from 10.0.0.0/8" },
        { port: 80, cidr: "10.0.0.0/8", description: "Redirect to HTTPS for 10.0.0.0/8" },
      ],
    );
  });

  it("HTTP without a certificate: 80 forwards, from the allowed CIDRs", () => {
    assert.deepStrictEqual(
      planUi({ internetFacing: false, allowedCidrs: ["192.168.0.0/16"], vpcCidrBlock: VPC }),
      {
        scheme: "http",
        listeners: [{ port: 80, protocol: "HTTP", action: "forward" }],
        ingress: [
          { port: 80, cidr: "192.168.0.0/16", description: "Jenkins UI over HTTP from 192.168.0.0/16" },
        ],
      },
    );
  });

  it("an internal load balancer with no allowed CIDRs admits its own VPC only", () => {
    assert.deepStrictEqual(planUi({ internetFacing: false, allowedCidrs: [], vpcCidrBlock: VPC }).ingress, [
      { port: 80, cidr: VPC, description: `Jenkins UI over HTTP from ${VPC}` },
    ]);
  });

  it("refuses an allow-list holding the whole internet instead of dropping it", () => {
    for (const certificateArn of [undefined, "arn:cert"]) {
      for (const internetFacing of [true, false]) {
        assert.throws(
          () =>
            planUi({
              internetFacing,
              certificateArn,
              allowedCidrs: ["10.0.0.0/8", "0.0.0.0/0"],
              vpcCidrBlock: VPC,
            }),
          /^Error: allowedCidrs holds 0\.0\.0\.0\/0: an allow-list must name networks, not the whole internet$/,
        );
      }
    }
  });
});
