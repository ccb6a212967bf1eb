/**
 * The controller's security group rules, as a pure plan: clients reach the UI load balancer, the
 * load balancer reaches Jenkins on 8080, Jenkins reaches JENKINS_HOME on 2049 and HTTPS anywhere,
 * and the agent gateway reaches each of its target ports. Nothing else is inbound.
 */
import { JENKINS_HTTP_PORT } from "../shared/jenkins";
import { ANYWHERE, UiIngress } from "./ui";

/** The security groups the rules join: three of the controller's own and the agent gateway's. */
export type ControllerGroup = "alb" | "controller" | "efs" | "gateway";

/** NFS, the port of EFS mount targets. */
export const NFS_PORT = 2049;
export const HTTPS_PORT = 443;

/** One rule of one security group, on one TCP port. */
export interface ControllerRule {
  /** The resource's name after the component's: `<component>-<name>`. */
  readonly name: string;
  /** Its Name tag after the component's (the load balancer's ingress rules share one per port). */
  readonly tag: string;
  /** The group the rule belongs to. */
  readonly group: ControllerGroup;
  readonly direction: "ingress" | "egress";
  readonly protocol: "tcp";
  readonly port: number;
  /** The other end: a group, or an address block. */
  readonly peer: { readonly group: ControllerGroup } | { readonly cidr: string };
  readonly description: string;
}

/** Inputs of {@link controllerRules}. */
export interface ControllerRuleInputs {
  /** Who may reach the UI load balancer (see {@link planUi}). */
  readonly uiIngress: readonly UiIngress[];
  /** The controller ports the agent gateway forwards to. */
  readonly gatewayPorts: readonly number[];
}

const rule = (
  name: string,
  group: ControllerGroup,
  direction: ControllerRule["direction"],
  port: number,
  peer: ControllerRule["peer"],
  description: string,
  tag = name,
): ControllerRule => ({ name, tag, group, direction, protocol: "tcp", port, peer, description });

/** Every rule, in the order the component creates them. */
export function controllerRules(inputs: ControllerRuleInputs): ControllerRule[] {
  return [
    ...inputs.uiIngress.map((i) =>
      rule(
        `alb-in-${i.port}-${i.cidr.replace(/[./]/g, "-")}`,
        "alb",
        "ingress",
        i.port,
        { cidr: i.cidr },
        i.description,
        `alb-in-${i.port}`,
      ),
    ),
    rule(
      "alb-out-controller",
      "alb",
      "egress",
      JENKINS_HTTP_PORT,
      { group: "controller" },
      "To the Jenkins controller",
    ),
    rule(
      "controller-in-alb",
      "controller",
      "ingress",
      JENKINS_HTTP_PORT,
      { group: "alb" },
      "Jenkins UI from its load balancer",
    ),
    rule(
      "controller-out-https",
      "controller",
      "egress",
      HTTPS_PORT,
      { cidr: ANYWHERE },
      "HTTPS out: image registry, update center and plugins, AWS and Kubernetes APIs",
    ),
    rule("controller-out-efs", "controller", "egress", NFS_PORT, { group: "efs" }, "NFS to JENKINS_HOME"),
    rule(
      "efs-in-controller",
      "efs",
      "ingress",
      NFS_PORT,
      { group: "controller" },
      "NFS from the Jenkins controller only",
    ),
    ...inputs.gatewayPorts.flatMap((port) => [
      rule(
        `controller-in-gateway-${port}`,
        "controller",
        "ingress",
        port,
        { group: "gateway" },
        `Agents through the PrivateLink gateway on ${port}`,
      ),
      rule(
        `gateway-out-${port}`,
        "gateway",
        "egress",
        port,
        { group: "controller" },
        `Gateway to the Jenkins controller on ${port}`,
      ),
    ]),
  ];
}
