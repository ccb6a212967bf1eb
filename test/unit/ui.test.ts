import * as assert from "assert";
import { completeOidc, listenerActions, planUi, UiOidc } from "../../components/jenkins/ui";

const VPC = "10.10.0.0/16";

describe("UI load balancer plan", () => {
  it("HTTPS on a public load balancer behind OIDC: 443 from anywhere, authenticated; 80 redirects but is not opened to the world", () => {
    assert.deepStrictEqual(
      planUi({
        internetFacing: true,
        certificateArn: "arn:cert",
        authenticate: true,
        allowedCidrs: [],
        vpcCidrBlock: VPC,
      }),
      {
        scheme: "https",
        listeners: [
          { port: 443, protocol: "HTTPS", action: "authenticate-then-forward" },
          { port: 80, protocol: "HTTP", action: "redirect-to-https" },
        ],
        ingress: [{ port: 443, cidr: "0.0.0.0/0", description: "Jenkins UI over HTTPS from 0.0.0.0/0" }],
      },
    );
  });

  it("never opens a public load balancer to the internet without the identity provider in front", () => {
    const plan = planUi({
      internetFacing: true,
      certificateArn: "arn:cert",
      allowedCidrs: [],
      vpcCidrBlock: VPC,
    });
    assert.deepStrictEqual(plan.listeners[0], { port: 443, protocol: "HTTPS", action: "forward" });
    assert.deepStrictEqual(
      plan.ingress.map((r) => r.cidr),
      [VPC, VPC],
    );
    assert.throws(
      () => planUi({ internetFacing: true, authenticate: true, allowedCidrs: [], vpcCidrBlock: VPC }),
      /authenticates only on an HTTPS listener/,
    );
  });

  it("takes OIDC settings only when all of them are given", () => {
    const all = {
      issuer: "https://idp.example.com",
      authorizationEndpoint: "https://idp.example.com/authorize",
      tokenEndpoint: "https://idp.example.com/token",
      userInfoEndpoint: "https://idp.example.com/userinfo",
      clientId: "jenkins",
      clientSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:jenkins-oidc-AbCdEf",
    };
    assert.deepStrictEqual(completeOidc(all), all);
    assert.strictEqual(completeOidc({ ...all, clientSecretArn: undefined }), undefined);
    assert.strictEqual(completeOidc(undefined), undefined);
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

  describe("listener actions", () => {
    const oidc: UiOidc = {
      issuer: "https://login.example.com",
      authorizationEndpoint: "https://login.example.com/authorize",
      tokenEndpoint: "https://login.example.com/token",
      userInfoEndpoint: "https://login.example.com/userinfo",
      clientId: "jenkins",
      clientSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:oidc-AbCdEf",
    };
    const signIn = { oidc, clientSecret: "s3cret" };

    it("redirects HTTP to HTTPS permanently, forwarding nothing", () => {
      assert.deepStrictEqual(listenerActions("redirect-to-https", "arn:tg", signIn), [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
    });

    it("signs users in through the identity provider first, then forwards", () => {
      assert.deepStrictEqual(listenerActions("authenticate-then-forward", "arn:tg", signIn), [
        {
          type: "authenticate-oidc",
          order: 1,
          authenticateOidc: {
            issuer: "https://login.example.com",
            authorizationEndpoint: "https://login.example.com/authorize",
            tokenEndpoint: "https://login.example.com/token",
            userInfoEndpoint: "https://login.example.com/userinfo",
            clientId: "jenkins",
            clientSecret: "s3cret",
            onUnauthenticatedRequest: "authenticate",
            scope: "openid",
          },
        },
        { type: "forward", targetGroupArn: "arn:tg", order: 2 },
      ]);
    });

    it("forwards straight to the target group otherwise", () => {
      assert.deepStrictEqual(listenerActions("forward", "arn:tg", signIn), [
        { type: "forward", targetGroupArn: "arn:tg" },
      ]);
      assert.deepStrictEqual(listenerActions("forward", "arn:tg"), [
        { type: "forward", targetGroupArn: "arn:tg" },
      ]);
    });
  });
});
