import * as assert from "assert";
import { agentEndpoints, planGateway } from "../../components/gateway/plan";

describe("gateway plan", () => {
  it("websocket: one TLS 443 listener to Jenkins 8080, health on /login, nothing on 50000", () => {
    const plan = planGateway("websocket");
    assert.deepStrictEqual(plan, {
      transport: "websocket",
      listeners: [{ port: 443, protocol: "TLS", targetPort: 8080 }],
      targets: [{ port: 8080, healthCheck: { protocol: "HTTP", port: 8080, path: "/login" } }],
      endpointPorts: [443],
      tls: true,
    });
    assert.ok(!JSON.stringify(plan).includes("50000"));
  });

  it("websocket ignores the tcp-only TLS switch", () => {
    assert.deepStrictEqual(planGateway("websocket", true), planGateway("websocket"));
  });

  it("tcp: TCP 8080 and 50000 to the controller, no TLS", () => {
    assert.deepStrictEqual(planGateway("tcp"), {
      transport: "tcp",
      listeners: [
        { port: 8080, protocol: "TCP", targetPort: 8080 },
        { port: 50000, protocol: "TCP", targetPort: 50000 },
      ],
      targets: [
        { port: 8080, healthCheck: { protocol: "HTTP", port: 8080, path: "/login" } },
        { port: 50000, healthCheck: { protocol: "HTTP", port: 8080, path: "/login" } },
      ],
      endpointPorts: [8080, 50000],
      tls: false,
    });
  });

  it("tcp with the TLS switch adds TLS 443 to 8080", () => {
    const plan = planGateway("tcp", true);
    assert.deepStrictEqual(plan.endpointPorts, [8080, 50000, 443]);
    assert.deepStrictEqual(plan.listeners[2], { port: 443, protocol: "TLS", targetPort: 8080 });
    assert.strictEqual(plan.tls, true);
  });

  it("names the agent URL and tunnel by the private name", () => {
    assert.deepStrictEqual(agentEndpoints("websocket", "jenkins.ci.internal"), {
      url: "https://jenkins.ci.internal/",
    });
    assert.deepStrictEqual(agentEndpoints("tcp", "jenkins.ci.internal"), {
      url: "http://jenkins.ci.internal:8080/",
      tunnel: "jenkins.ci.internal:50000",
    });
  });
});
