/**
 * The UI's application load balancer, made from its plan (see {@link planUi}): the load balancer
 * in the public or the private subnets, a target group on Jenkins' HTTP port, and one listener per
 * planned listener, signing users in through the identity provider where the plan says so.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ControllerParts } from "./controller-args";
import { JENKINS_HTTP_PORT } from "../shared/jenkins";
import { LISTENER_TLS_POLICY } from "../shared/tls";
import { listenerActions, UI_HEALTH_CHECK, UiOidc, UiPlan } from "./ui";

/** The load balancer, its target group and listeners, and the UI's URL (with a trailing slash). */
export function uiLoadBalancer(
  { name, args, tagged }: ControllerParts,
  plan: UiPlan,
  oidc: UiOidc | undefined,
  securityGroupId: pulumi.Input<string>,
  parent: pulumi.Resource,
) {
  const { ui, network } = args;
  const opts = { parent };
  const alb = new aws.lb.LoadBalancer(
    `${name}-ui`,
    {
      loadBalancerType: "application",
      internal: !ui.internetFacing,
      subnets: ui.internetFacing ? network.publicSubnetIds : network.privateSubnetIds,
      securityGroups: [securityGroupId],
      dropInvalidHeaderFields: true,
      idleTimeout: ui.idleTimeoutSec,
      enableDeletionProtection: ui.deletionProtection,
      accessLogs: ui.accessLogsBucket
        ? { bucket: ui.accessLogsBucket, prefix: `${name}-${args.stack}`, enabled: true }
        : undefined,
      tags: tagged("ui"),
    },
    opts,
  );
  const targetGroup = new aws.lb.TargetGroup(
    `${name}-ui`,
    {
      vpcId: network.vpcId,
      targetType: "ip",
      protocol: "HTTP",
      port: JENKINS_HTTP_PORT,
      deregistrationDelay: 30,
      healthCheck: UI_HEALTH_CHECK,
      tags: tagged("ui"),
    },
    opts,
  );
  // The client secret is read from Secrets Manager at deploy time and kept secret in state.
  const signIn = oidc && {
    oidc,
    clientSecret: pulumi.secret(
      aws.secretsmanager.getSecretVersionOutput({ secretId: oidc.clientSecretArn }, opts).secretString,
    ),
  };
  const listeners = plan.listeners.map(
    (listener) =>
      new aws.lb.Listener(
        `${name}-ui-${listener.port}`,
        {
          loadBalancerArn: alb.arn,
          port: listener.port,
          protocol: listener.protocol,
          sslPolicy: listener.protocol === "HTTPS" ? LISTENER_TLS_POLICY : undefined,
          certificateArn: listener.protocol === "HTTPS" ? ui.certificateArn : undefined,
          defaultActions: listenerActions(listener.action, targetGroup.arn, signIn),
          tags: tagged(`ui-${listener.port}`),
        },
        opts,
      ),
  );
  const url = pulumi.interpolate`${plan.scheme}://${ui.domainName ?? alb.dnsName}/`;
  return { alb, targetGroup, listeners, url };
}
