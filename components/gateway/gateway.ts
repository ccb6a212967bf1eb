import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { accountScope } from "../shared/account";
import { accountRoot, principalKey } from "../shared/iam";
import { stepContext, StepContext } from "../shared/step-context";
import { Tags } from "../shared/tags";
import { LISTENER_TLS_POLICY } from "../shared/tls";
import { TOKENS } from "../shared/tokens";
import {
  agentEndpoints,
  CA_VALIDITY_HOURS,
  controllerPrivateName,
  EARLY_RENEWAL_HOURS,
  GatewayPlan,
} from "./plan";

/** Arguments of {@link AgentGateway}. */
export interface AgentGatewayArgs {
  /**
   * What the gateway exposes (`planGateway` in ./plan.ts): listeners, target groups and endpoint ports
   * for the transport. The caller plans it once, because the agent cluster's egress policy needs
   * the endpoint ports before the gateway exists (the gateway in turn admits the cluster's nodes).
   */
  readonly plan: GatewayPlan;
  /** Private hosted zone in the agent VPC, e.g. `ci.internal`. */
  readonly privateZoneName: string;
  /** Record in that zone naming the controller for agents, e.g. `jenkins`. */
  readonly hostName: string;
  /**
   * Principals allowed to connect endpoints to the endpoint service; none means the deploying
   * account (`arn:aws:iam::<account>:root`).
   */
  readonly allowedPrincipals: readonly string[];
  /** Deletion protection on the network load balancer. */
  readonly deletionProtection: boolean;
  /** Validity of the server certificate, days. */
  readonly certificateValidityDays: number;
  /**
   * A short-lived environment: the private hosted zone is deleted with the records left in it
   * (`forceDestroy`).
   */
  readonly throwaway: boolean;
  /** The master network, where the load balancer and endpoint service live. */
  readonly master: {
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  };
  /** The agent network, where the interface endpoint and the private zone live. */
  readonly agent: {
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  };
  /**
   * Security group of the endpoint's only clients (the proxy's system nodes in websocket mode, the
   * agent nodes in tcp mode): the endpoint admits the listener ports from that group only.
   */
  readonly clientSecurityGroupId: pulumi.Input<string>;
  readonly tags: Tags;
}

/** A target group the controller's service registers its task in. */
export interface GatewayTargetGroup {
  readonly targetGroupArn: pulumi.Output<string>;
  readonly port: number;
  /** ARN suffix of the target group (CloudWatch dimension). */
  readonly arnSuffix: pulumi.Output<string>;
}

/** What every step of {@link AgentGateway}'s constructor builds on. */
interface Context extends StepContext<AgentGatewayArgs> {
  /** The controller's private name for agents. */
  readonly privateName: string;
}

/** The load balancer with its group, target groups (by port), listeners and TLS certificate. */
interface LoadBalancer {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly nlb: aws.lb.LoadBalancer;
  readonly targetGroups: Map<number, aws.lb.TargetGroup>;
  readonly listeners: aws.lb.Listener[];
  readonly certificate?: { acm: aws.acm.Certificate; caPem: pulumi.Output<string> };
}

/** The endpoint service and the permissions of the principals allowed to connect to it. */
interface EndpointService {
  readonly service: aws.ec2.VpcEndpointService;
  readonly permissions: aws.ec2.VpcEndpointServiceAllowedPrinciple[];
}

/**
 * AgentGateway is a component that lets agents in the agent VPC reach the controller in the
 * master VPC privately (PrivateLink): an internal network load balancer with cross-zone load
 * balancing, a VPC endpoint service that requires acceptance and allows named principals only
 * (its connection accepted by the program itself), an interface endpoint in the agent VPC whose
 * security group admits the listener ports from its clients' group only, and a private hosted zone giving
 * the endpoint a stable name. In websocket mode TLS ends at the load balancer with a certificate
 * for that name, issued by a private CA whose certificate is exported for the agent side.
 */
export class AgentGateway extends pulumi.ComponentResource {
  /** Service name of the endpoint service (`com.amazonaws.vpce.<region>.vpce-svc-...`). */
  public readonly endpointServiceName: pulumi.Output<string>;
  /** ID of the interface endpoint in the agent VPC. */
  public readonly endpointId: pulumi.Output<string>;
  /**
   * Private IPv4 addresses of the interface endpoint's network interfaces, sorted. They change only
   * with the interfaces: EC2 replaces an endpoint's network interface to change its address
   * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SubnetConfiguration.html), and
   * `networkInterfaceIds` then changes too.
   */
  public readonly endpointAddresses: pulumi.Output<string[]>;
  /** The controller's private name for agents, `<hostName>.<privateZoneName>`. */
  public readonly privateName: string;
  /** PEM of the CA that issued the gateway's certificate ("" when no TLS listener exists). */
  public readonly caCertificatePem: pulumi.Output<string>;
  /** Security group of the load balancer (the source the controller admits). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Target groups the controller's service registers in, with their ports and ARN suffixes. */
  public readonly targetGroups: readonly GatewayTargetGroup[];
  /** URL agents use through the endpoint (websocket: until the proxy takes over). */
  public readonly agentUrl: string;
  /** The JNLP tunnel in tcp mode, `<private name>:50000`. */
  public readonly agentTunnel?: string;
  /** ARN suffix of the network load balancer (CloudWatch dimension). */
  public readonly loadBalancerArnSuffix: pulumi.Output<string>;
  /** ARN of the TLS listener's ACM certificate (absent without a TLS listener). */
  public readonly certificateArn?: pulumi.Output<string>;
  /** VPC of the interface endpoint (the agent VPC). */
  public readonly endpointVpcId: pulumi.Output<string>;

  /**
   * @param name The _unique_ name of this component; every child's name starts with it.
   * @param args The gateway's settings and both networks.
   * @param opts Options; providers given here reach every child.
   */
  constructor(name: string, args: AgentGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TOKENS.agentGateway, name, {}, opts);
    const { plan } = args;
    const privateName = controllerPrivateName(args.hostName, args.privateZoneName);
    const ctx: Context = { ...stepContext(name, args), privateName };

    const lb = this.loadBalancer(ctx);
    const { nlb, targetGroups, listeners, certificate } = lb;
    const published = this.endpointService(ctx, lb);
    const endpoint = this.endpoint(ctx, published);

    const agents = agentEndpoints(plan.transport, privateName);
    this.endpointServiceName = published.service.serviceName;
    this.endpointId = endpoint.id;
    this.endpointAddresses = endpoint.networkInterfaceIds.apply((ids) =>
      Promise.all(ids.map((id) => aws.ec2.getNetworkInterface({ id }, { parent: this }))).then((interfaces) =>
        interfaces.map((i) => i.privateIp).sort(),
      ),
    );
    this.privateName = privateName;
    this.caCertificatePem = certificate ? certificate.caPem : pulumi.output("");
    this.securityGroupId = lb.securityGroup.id;
    // Registered targets need their group attached to the load balancer: hand out each ARN only
    // once every listener exists.
    const listenersReady = pulumi.all(listeners.map((l) => l.arn));
    this.targetGroups = plan.targets.map((t) => ({
      targetGroupArn: pulumi.all([targetGroups.get(t.port)!.arn, listenersReady]).apply(([arn]) => arn),
      port: t.port,
      arnSuffix: targetGroups.get(t.port)!.arnSuffix,
    }));
    this.agentUrl = agents.url;
    this.agentTunnel = agents.tunnel;
    this.loadBalancerArnSuffix = nlb.arnSuffix;
    this.certificateArn = certificate?.acm.arn;
    this.endpointVpcId = endpoint.vpcId;
    this.registerOutputs({
      endpointServiceName: this.endpointServiceName,
      endpointId: this.endpointId,
      endpointAddresses: this.endpointAddresses,
      privateName: this.privateName,
      caCertificatePem: this.caCertificatePem,
      securityGroupId: this.securityGroupId,
      targetGroups: this.targetGroups,
      agentUrl: this.agentUrl,
      agentTunnel: this.agentTunnel,
      loadBalancerArnSuffix: this.loadBalancerArnSuffix,
      certificateArn: this.certificateArn,
      endpointVpcId: this.endpointVpcId,
    });
  }

  /**
   * The internal network load balancer with its security group, a target group per controller
   * port and the listeners (TLS ones with the gateway's certificate).
   */
  private loadBalancer(ctx: Context): LoadBalancer {
    const { name, args, tagged } = ctx;
    const { plan } = args;
    const parent = { parent: this };
    // The load balancer's group: no ingress rule at all. PrivateLink traffic is not subject to
    // inbound rules (below), so nothing but accepted endpoints can reach the listeners.
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-nlb`,
      {
        vpcId: args.master.vpcId,
        description: `Agent gateway load balancer of ${name}`,
        tags: tagged("nlb"),
      },
      parent,
    );
    const nlb = new aws.lb.LoadBalancer(
      `${name}-nlb`,
      {
        loadBalancerType: "network",
        internal: true,
        subnets: args.master.privateSubnetIds,
        securityGroups: [securityGroup.id],
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
        // One controller task in one zone must be reachable from endpoint interfaces in all zones.
        enableCrossZoneLoadBalancing: true,
        enableDeletionProtection: args.deletionProtection,
        tags: tagged("nlb"),
      },
      parent,
    );

    const targetGroups = new Map(
      plan.targets.map((target) => [
        target.port,
        new aws.lb.TargetGroup(
          `${name}-${target.port}`,
          {
            vpcId: args.master.vpcId,
            targetType: "ip",
            protocol: "TCP",
            port: target.port,
            deregistrationDelay: 30,
            healthCheck: {
              protocol: target.healthCheck.protocol,
              port: String(target.healthCheck.port),
              path: target.healthCheck.path,
              matcher: "200",
              interval: 30,
              healthyThreshold: 2,
              unhealthyThreshold: 3,
            },
            tags: tagged(String(target.port)),
          },
          parent,
        ),
      ]),
    );

    const certificate = plan.tls ? this.certificate(ctx) : undefined;
    const listeners = plan.listeners.map(
      (listener) =>
        new aws.lb.Listener(
          `${name}-${listener.port}`,
          {
            loadBalancerArn: nlb.arn,
            port: listener.port,
            protocol: listener.protocol,
            sslPolicy: listener.protocol === "TLS" ? LISTENER_TLS_POLICY : undefined,
            certificateArn: listener.protocol === "TLS" ? certificate?.acm.arn : undefined,
            defaultActions: [{ type: "forward", targetGroupArn: targetGroups.get(listener.targetPort)!.arn }],
            tags: tagged(String(listener.port)),
          },
          parent,
        ),
    );
    return { securityGroup, nlb, targetGroups, listeners, certificate };
  }

  /**
   * The endpoint service: acceptance required (the program accepts its own endpoint's connection),
   * named principals only (none given: the deploying account).
   */
  private endpointService(
    { name, args, tagged }: Context,
    { nlb, listeners }: LoadBalancer,
  ): EndpointService {
    const parent = { parent: this };
    const service = new aws.ec2.VpcEndpointService(
      `${name}-service`,
      { acceptanceRequired: true, networkLoadBalancerArns: [nlb.arn], tags: tagged("service") },
      { parent: this, dependsOn: listeners },
    );
    const scope = accountScope(this);
    const principals: { key: string; arn: pulumi.Input<string> }[] =
      args.allowedPrincipals.length > 0
        ? args.allowedPrincipals.map((arn) => ({ key: principalKey(arn), arn }))
        : [{ key: "self", arn: scope.apply(accountRoot) }];
    const permissions = principals.map(
      (p) =>
        new aws.ec2.VpcEndpointServiceAllowedPrinciple(
          `${name}-principal-${p.key}`,
          { vpcEndpointServiceId: service.id, principalArn: p.arn },
          parent,
        ),
    );
    return { service, permissions };
  }

  /**
   * The agent side: the interface endpoint, its security group (the listener ports from the
   * clients' group only), the accepted connection and the private name in a private hosted zone.
   */
  private endpoint(
    { name, args, privateName, tagged }: Context,
    { service, permissions }: EndpointService,
  ): aws.ec2.VpcEndpoint {
    const { plan } = args;
    const parent = { parent: this };
    const endpointSg = new aws.ec2.SecurityGroup(
      `${name}-endpoint`,
      {
        vpcId: args.agent.vpcId,
        description: `Endpoint of the agents to the Jenkins controller (${name})`,
        tags: tagged("endpoint"),
      },
      parent,
    );
    for (const port of plan.endpointPorts) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoint-in-${port}`,
        {
          securityGroupId: endpointSg.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: args.clientSecurityGroupId,
          description:
            plan.transport === "websocket"
              ? `Agent proxy to the controller on ${port}, from the system nodes only`
              : `Agents to the controller on ${port}, from the agent nodes`,
          tags: tagged(`endpoint-in-${port}`),
        },
        parent,
      );
    }
    const endpoint = new aws.ec2.VpcEndpoint(
      `${name}-endpoint`,
      {
        vpcId: args.agent.vpcId,
        serviceName: service.serviceName,
        vpcEndpointType: "Interface",
        subnetIds: args.agent.privateSubnetIds,
        securityGroupIds: [endpointSg.id],
        privateDnsEnabled: false,
        tags: tagged("endpoint"),
      },
      { parent: this, dependsOn: permissions },
    );
    const accepter = new aws.ec2.VpcEndpointConnectionAccepter(
      `${name}-accept`,
      { vpcEndpointServiceId: service.id, vpcEndpointId: endpoint.id },
      parent,
    );
    const zone = new aws.route53.Zone(
      `${name}-zone`,
      {
        name: args.privateZoneName,
        comment: `Private names of the Jenkins controller for agents (${name})`,
        vpcs: [{ vpcId: args.agent.vpcId }],
        forceDestroy: args.throwaway,
        tags: tagged("zone"),
      },
      parent,
    );
    const firstEntry = endpoint.dnsEntries.apply((entries) => entries[0]);
    new aws.route53.Record(
      `${name}-record`,
      {
        zoneId: zone.zoneId,
        name: privateName,
        type: "A",
        aliases: [{ name: firstEntry.dnsName, zoneId: firstEntry.hostedZoneId, evaluateTargetHealth: false }],
      },
      { parent: this, dependsOn: [accepter] },
    );
    return endpoint;
  }

  /**
   * A private CA and a server certificate for the private name, imported into ACM. Keys are
   * ECDSA P-256 (accepted by ACM and NLB TLS listeners) and stay secret in state.
   */
  private certificate({
    name,
    args,
    privateName,
    tagged,
  }: Context): NonNullable<LoadBalancer["certificate"]> {
    const parent = { parent: this };
    const caKey = new tls.PrivateKey(`${name}-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, parent);
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: `${privateName} agent gateway CA`, organization: "jenkins-agent-bridge" },
        validityPeriodHours: CA_VALIDITY_HOURS,
        earlyRenewalHours: EARLY_RENEWAL_HOURS,
        allowedUses: ["cert_signing", "crl_signing"],
      },
      parent,
    );
    const serverKey = new tls.PrivateKey(
      `${name}-server`,
      { algorithm: "ECDSA", ecdsaCurve: "P256" },
      parent,
    );
    const request = new tls.CertRequest(
      `${name}-server`,
      {
        privateKeyPem: serverKey.privateKeyPem,
        subject: { commonName: privateName },
        dnsNames: [privateName],
      },
      parent,
    );
    const server = new tls.LocallySignedCert(
      `${name}-server`,
      {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        caCertPem: ca.certPem,
        validityPeriodHours: args.certificateValidityDays * 24,
        earlyRenewalHours: EARLY_RENEWAL_HOURS,
        allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
      },
      parent,
    );
    const acm = new aws.acm.Certificate(
      `${name}-server`,
      {
        privateKey: serverKey.privateKeyPem,
        certificateBody: server.certPem,
        certificateChain: ca.certPem,
        tags: tagged("server"),
      },
      parent,
    );
    return { acm, caPem: ca.certPem };
  }
}
