/**
 * The heads of what Jenkins 2.555 answers on `/wsagents/`, rebuilt from its sources (jenkinsci/
 * jenkins), with plausible values at their usual lengths:
 * - every answer: `X-Content-Type-Options` (hudson/security/HudsonFilter.java), and the
 *   report-only Content Security Policy with its reporting endpoint (jenkins/security/csp/impl/
 *   CspFilter.java, CspDecorator.java: the root URL, then a signed context of HMAC, user, class
 *   and path in base64), a session cookie, `Date`;
 * - 101: `X-Remoting-Capability`, `X-Remoting-Minimum-Version`, `Connection-Cookie` (64 hex
 *   digits; jenkins/agents/WebSocketAgents.java), then the WebSocket headers;
 * - 403 (wrong secret): `HttpResponses.forbidden()`, the status alone;
 * - 400 (missing headers, unknown agent): `HttpResponses.errorWithoutStack` sends an error, which
 *   Jenkins renders as a page: lib/layout/layout.jelly's headers, `advertiseHeaders`
 *   (`X-Hudson`, `X-Jenkins`, `X-Jenkins-Session`), page decorators' (`X-Frame-Options`, and the
 *   instance-identity plugin's `X-Instance-Identity`, a base64 RSA 2048 public key).
 */

const ROOT_URL = "https://jenkins-controller-ui.build.example.com/";
const CSP =
  "base-uri 'none'; default-src 'self'; form-action 'self'; frame-ancestors 'self'; img-src 'self' data: usage.jenkins.io; " +
  "script-src 'report-sample' 'self' usage.jenkins.io; style-src 'report-sample' 'self' 'unsafe-inline';";

const b64 = (text: string) => Buffer.from(text).toString("base64url");

function reportingEndpoint(contextClass: string, restOfPath: string): string {
  const mac = "q".repeat(43); // base64url of an HMAC-SHA256
  return `${ROOT_URL}content-security-policy-reporting-endpoint/${mac}:${b64("anonymous")}:${b64(contextClass)}:${b64(restOfPath)}`;
}

function common(contextClass: string, restOfPath: string): string[] {
  const endpoint = reportingEndpoint(contextClass, restOfPath);
  return [
    "Date: Mon, 30 Nov 2026 22:00:00 GMT",
    "X-Content-Type-Options: nosniff",
    `Content-Security-Policy-Report-Only: ${CSP} report-to content-security-policy; report-uri ${endpoint}`,
    `Reporting-Endpoints: content-security-policy: ${endpoint}`,
    "Set-Cookie: JSESSIONID.1a2b3c4d=node01abcdefghijklmnopqrstuv0123.node0; Path=/; Secure; HttpOnly",
    "Expires: Thu, 01 Jan 1970 00:00:00 GMT",
  ];
}

/** Header lines of Jenkins' answer (no status line; for 101, none of the WebSocket headers). */
export function jenkinsAnswerHeaders(status: 101 | 400 | 403): string[] {
  if (status === 101) {
    return [
      ...common("", "/wsagents/"),
      `X-Remoting-Capability: ${"rO0ABXNyABpodWRzb24ucmVtb3RpbmcuQ2FwYWJpbGl0eQ".padEnd(96, "A")}`,
      "X-Remoting-Minimum-Version: 3107.v665000b_51092",
      `Connection-Cookie: ${"0123456789abcdef".repeat(4)}`,
    ];
  }
  if (status === 403) {
    return [...common("jenkins.agents.WebSocketAgents", ""), "Content-Length: 0"];
  }
  return [
    ...common("hudson.model.Hudson", "/oops"),
    "Cache-Control: no-cache,no-store,must-revalidate",
    "X-Hudson-Theme: default",
    "Referrer-Policy: same-origin",
    "Cross-Origin-Opener-Policy: same-origin",
    "X-Hudson: 1.395",
    "X-Jenkins: 2.555.1",
    "X-Jenkins-Session: 1a2b3c4d",
    "X-Frame-Options: sameorigin",
    `X-Instance-Identity: ${"M".repeat(392)}`,
    "Content-Type: text/html;charset=utf-8",
    "Content-Length: 0",
  ];
}

const STATUS_LINES = {
  101: "HTTP/1.1 101 Switching Protocols",
  400: "HTTP/1.1 400 Bad Request",
  403: "HTTP/1.1 403 Forbidden",
} as const;

/** The whole head of Jenkins' answer, as sent (for 101 with the WebSocket headers). */
export function jenkinsAnswerHead(status: 101 | 400 | 403): string {
  const upgrade =
    status === 101
      ? ["Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Accept: ${"s".repeat(27)}=`]
      : [];
  return [STATUS_LINES[status], ...upgrade, ...jenkinsAnswerHeaders(status)].join("\r\n") + "\r\n\r\n";
}

/**
 * One header line that makes the `ws` package's 101 answer exactly `bytes` long: its own head is
 * the status line, `Upgrade`, `Connection` and `Sec-WebSocket-Accept` (129 bytes with the blank
 * line), and each added line costs its length and a CRLF.
 */
export function padHead(bytes: number): string[] {
  const base =
    [
      "HTTP/1.1 101 Switching Protocols",
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Accept: ${"x".repeat(28)}`,
    ]
      .map((l) => l.length + 2)
      .reduce((a, b) => a + b) + 2;
  return [`X-Filler: ${"p".repeat(bytes - base - 2 - "X-Filler: ".length)}`];
}
