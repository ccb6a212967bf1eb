/**
 * no-agent-port-with-websocket: when the stack's transport is `websocket`, port 50000 (the
 * classic inbound agent port) appears nowhere: not on listeners, target groups, security groups
 * and their rules (port ranges and all-traffic rules that cover it included), ECS port mappings,
 * load balancer registrations, Kubernetes ports, environment values, command lines, or
 * configuration text such as the JCasC file (also inside base64-encoded environment values,
 * Kubernetes secret data and JSON-encoded inputs like `containerDefinitions`). Numbers count under
 * port-like keys; text counts as a token (`:50000`, `= 50000`, not `1.50000` or `x50000`) in values,
 * command lines and multi-line text, not in names, ARNs, descriptions or tags. With `tcp`, the
 * policy does not apply.
 *
 * Which transport: the policy config `transport` (`websocket` or `tcp`) when set, e.g.
 * `{"no-agent-port-with-websocket": {"transport": "websocket"}}` in the file given to
 * `--policy-pack-config`. Otherwise it is inferred from the stack, choosing `websocket` when
 * either sign of it is present: the stack output `transport` on the `pulumi:pulumi:Stack`
 * resource, or a `jenkins-agent-bridge:proxy:AgentProxy` component (the program creates the
 * agent proxy for websocket stacks only). Without either, `tcp`.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  asObject,
  label,
  mandatoryStackPolicy,
  num,
  Props,
  Resource,
  Violation,
  violation,
} from "../lib/resources";
import { COMPONENT_TYPES, SECURITY_GROUP_RULE_TYPES, SECURITY_GROUP_TYPES, TYPES } from "../lib/types";

/** The classic inbound agent port. */
export const AGENT_PORT = 50000;

export type Transport = "websocket" | "tcp";

/** The transport the check assumes, and where it comes from. */
export interface TransportDecision {
  readonly transport: Transport;
  readonly source: string;
}

/** Policy config of this policy. */
export interface AgentPortConfig {
  readonly transport?: Transport;
}

/** The transport: policy config first, otherwise inferred from the stack's resources. */
export function resolveTransport(configured: unknown, resources: readonly Resource[]): TransportDecision {
  if (configured === "websocket" || configured === "tcp") {
    return { transport: configured, source: "policy config" };
  }
  const stack = resources.find((r) => r.type === TYPES.stack);
  if (stack?.props.transport === "websocket") {
    return { transport: "websocket", source: `stack output transport of ${label(stack)}` };
  }
  const proxy = resources.find((r) => r.type === COMPONENT_TYPES.agentProxy);
  if (proxy) {
    return { transport: "websocket", source: `inferred from ${label(proxy)}` };
  }
  return { transport: "tcp", source: "inferred: no agent proxy and no websocket stack output" };
}

const TOKEN = /(?<![\w.])50000(?![\w.])/;
/**
 * Keys whose single-line text is configuration (values, command lines); other single-line text
 * (names, ARNs, descriptions, tags) is not. Multi-line text (configuration files) always counts.
 */
const TEXT_KEYS = new Set(["value", "args", "command", "entryPoint"]);
const isPortKey = (key: string) => /port/i.test(key);
const covers = (from: number | undefined, to: number | undefined) =>
  from !== undefined && to !== undefined && from <= AGENT_PORT && AGENT_PORT <= to;

/** Text from base64, if it decodes to readable UTF-8. */
function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  const text = Buffer.from(value, "base64").toString("utf8");
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes("\ufffd") ? text : undefined;
}

/** Each line of a text that names port 50000, shortened. */
function textFindings(text: string, path: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => TOKEN.test(line))
    .map((line) => {
      const trimmed = line.trim();
      return `${path}: ${JSON.stringify(trimmed.length > 100 ? `${trimmed.slice(0, 97)}...` : trimmed)}`;
    });
}

/** Walks a value and collects where port 50000 appears. */
function walk(value: unknown, path: string, key: string, securityGroupLike: boolean, out: string[]): void {
  const at = (suffix: string) => (path === "" ? suffix.replace(/^\./, "") : `${path}${suffix}`);
  if (typeof value === "number") {
    if (isPortKey(key) && value === AGENT_PORT) out.push(`${path} = ${value}`);
    return;
  }
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (isPortKey(key) && num(trimmed) === AGENT_PORT) {
      out.push(`${path} = ${JSON.stringify(value)}`);
      return;
    }
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(trimmed);
    if (isPortKey(key) && range && covers(Number(range[1]), Number(range[2]))) {
      out.push(`${path} = ${JSON.stringify(value)}`);
      return;
    }
    if (/^[[{]/.test(trimmed)) {
      try {
        walk(JSON.parse(trimmed), path, key, securityGroupLike, out);
        return;
      } catch {
        // not JSON: scanned as text below
      }
    }
    if (TEXT_KEYS.has(key) || value.includes("\n")) out.push(...textFindings(value, path));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, key, securityGroupLike, out));
    return;
  }
  const object = asObject(value);
  if (!object) return;
  const skip = new Set<string>();
  const protocolKey = "ipProtocol" in object ? "ipProtocol" : "protocol";
  const protocol = String(object[protocolKey] ?? "").toLowerCase();
  if (securityGroupLike && (protocol === "-1" || protocol === "all")) {
    out.push(`${at(`.${protocolKey}`)} = ${JSON.stringify(object[protocolKey])} (all traffic, every port)`);
    skip.add("fromPort").add("toPort");
  } else if ("fromPort" in object || "toPort" in object) {
    const from = num(object.fromPort);
    const to = num(object.toPort);
    if (covers(from, to)) out.push(`${at(".fromPort")}..toPort = ${from}-${to}`);
    skip.add("fromPort").add("toPort");
  } else if ("endPort" in object && num(object.endPort) !== undefined) {
    const from = num(object.port);
    if (covers(from, num(object.endPort))) out.push(`${at(".port")}..endPort = ${from}-${object.endPort}`);
    skip.add("port").add("endPort");
  }
  // Environment entries (`{name, value}`): findings name the variable, and a base64-encoded value
  // is read decoded.
  if (typeof object.name === "string" && typeof object.value === "string") {
    const decoded = /base64|b64/i.test(object.name) ? decodeBase64(object.value) : undefined;
    out.push(
      ...(decoded !== undefined
        ? textFindings(decoded, `${at(".value")} (base64 of ${object.name})`)
        : textFindings(object.value, `${at(".value")} (${object.name})`)),
    );
    skip.add("value");
  }
  for (const [k, v] of Object.entries(object)) {
    if (!skip.has(k)) walk(v, at(`.${k}`), k, securityGroupLike, out);
  }
}

/** Where port 50000 appears in one resource. */
export function agentPortFindings(resource: Resource): string[] {
  const out: string[] = [];
  const securityGroupLike =
    SECURITY_GROUP_TYPES.includes(resource.type) || SECURITY_GROUP_RULE_TYPES.includes(resource.type);
  const props: Props = { ...resource.props };
  // Kubernetes secret data is base64-encoded.
  if (resource.type === TYPES.k8sSecret && asObject(props.data)) {
    props.data = Object.fromEntries(
      Object.entries(asObject(props.data)!).map(([k, v]) => [
        k,
        typeof v === "string" ? (decodeBase64(v) ?? v) : v,
      ]),
    );
  }
  walk(props, "", "", securityGroupLike, out);
  return [...new Set(out)];
}

/** Every place port 50000 appears, if the transport is websocket. */
export function checkAgentPort(resources: readonly Resource[], decision: TransportDecision): Violation[] {
  if (decision.transport !== "websocket") return [];
  return resources.flatMap((resource) =>
    agentPortFindings(resource).map((finding) =>
      violation(
        resource,
        `port ${AGENT_PORT} at ${finding}; with transport websocket (${decision.source}) port ${AGENT_PORT} stays closed`,
      ),
    ),
  );
}

export const noAgentPortWithWebsocket = transportStackPolicy(
  "no-agent-port-with-websocket",
  "With transport websocket, port 50000 appears nowhere (listeners, target groups, security group " +
    "rules and ranges, ECS ports and environment, Kubernetes ports, JCasC). The transport comes from " +
    "this policy's config `transport`, else from the stack output `transport` or the presence of the " +
    "AgentProxy component.",
  checkAgentPort,
);

/**
 * A mandatory stack policy that applies with one transport: its `transport` config, and a
 * validation that resolves the transport and reports what `check` finds.
 */
export function transportStackPolicy(
  name: string,
  description: string,
  check: (resources: readonly Resource[], decision: TransportDecision) => Violation[],
): StackValidationPolicy {
  return mandatoryStackPolicy<AgentPortConfig>(
    name,
    description,
    (resources, config) => check(resources, resolveTransport(config.transport, resources)),
    {
      properties: {
        transport: {
          type: "string",
          enum: ["websocket", "tcp"],
          description: "The stack's transport; inferred from the stack's resources when unset.",
        },
      },
    },
  );
}
