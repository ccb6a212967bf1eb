/**
 * Mocks for Pulumi's in-process engine: plausible computed values (ids, ARNs, addresses, zone
 * lists) so the whole program runs without a cloud. Deterministic: the same program and config
 * give the same values, so plans can be compared. Invokes that are not mocked fail loudly.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { firstAssignableAddress } from "../components/network/subnet-plan";
import { zoneIdPrefix } from "../components/network/zones";
import { TYPES } from "../policy/lib/types";

/** The account every mock ARN belongs to (AWS's documentation example account). */
export const MOCK_ACCOUNT_ID = "123456789012";

type State = Record<string, unknown>;

function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** AWS partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** A physical name as the provider would choose it: the given name, or prefix or logical name plus a suffix. */
function physicalName(inputs: State, name: string, seed: string): string {
  if (typeof inputs.name === "string") return inputs.name;
  return typeof inputs.namePrefix === "string"
    ? `${inputs.namePrefix}${hex(seed, 26)}`
    : `${name}-${hex(seed, 7)}`;
}

/** A UUID-shaped identifier derived from a seed. */
function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ID prefixes AWS uses, by resource type. */
const ID_PREFIX: Record<string, string> = {
  [TYPES.vpc]: "vpc",
  [TYPES.subnet]: "subnet",
  [TYPES.igw]: "igw",
  [TYPES.eip]: "eipalloc",
  [TYPES.nat]: "nat",
  [TYPES.routeTable]: "rtb",
  [TYPES.route]: "r-rtb",
  [TYPES.association]: "rtbassoc",
  [TYPES.defaultSg]: "sg",
  [TYPES.securityGroup]: "sg",
  [TYPES.flowLog]: "fl",
  [TYPES.ingressRule]: "sgr",
  [TYPES.egressRule]: "sgr",
  [TYPES.fileSystem]: "fs",
  [TYPES.accessPoint]: "fsap",
  [TYPES.mountTarget]: "fsmt",
  [TYPES.endpointService]: "vpce-svc",
  [TYPES.endpoint]: "vpce",
  [TYPES.allowedPrincipal]: "vpce-svc-perm",
  [TYPES.launchTemplate]: "lt",
};

/** Records every resource the program declares and answers with plausible state. */
export class PlanMocks implements pulumi.runtime.Mocks {
  /** State returned for each resource, by `type::name`. */
  readonly states = new Map<string, { id: string; state: State }>();
  private readonly partition: string;
  private readonly eipAddresses = new Map<string, string>();
  /** Subnet blocks by subnet ID, and the subnet of each endpoint network interface. */
  private readonly subnetCidrs = new Map<string, string>();
  private readonly interfaceSubnets = new Map<string, string>();

  constructor(private readonly region: string) {
    this.partition = partitionOf(region);
  }

  private arn(service: string, resource: string, regional = true): string {
    return `arn:${this.partition}:${service}:${regional ? this.region : ""}:${MOCK_ACCOUNT_ID}:${resource}`;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const { type, name, inputs } = args;
    const seed = `${type}::${name}`;
    const prefix = ID_PREFIX[type];
    let id = prefix ? `${prefix}-${hex(seed, 17)}` : `${name}-${hex(seed, 8)}`;
    const state: State = { ...inputs };

    switch (type) {
      case TYPES.awsProvider:
      case TYPES.k8sProvider:
        id = hex(seed, 8) + "-" + hex(seed + "p", 4);
        break;
      case TYPES.vpc:
        Object.assign(state, {
          arn: this.arn("ec2", `vpc/${id}`),
          defaultSecurityGroupId: `sg-${hex(seed + "sg", 17)}`,
          defaultNetworkAclId: `acl-${hex(seed + "acl", 17)}`,
          defaultRouteTableId: `rtb-${hex(seed + "rtb", 17)}`,
          mainRouteTableId: `rtb-${hex(seed + "rtb", 17)}`,
          ownerId: MOCK_ACCOUNT_ID,
        });
        break;
      case TYPES.eip: {
        // Addresses from TEST-NET-2 and TEST-NET-3 (RFC 5737), never routable; derived from the
        // name so that runs are repeatable whatever order registrations arrive in.
        const n = parseInt(hex(seed, 4), 16) % 508;
        const address = n < 254 ? `198.51.100.${n + 1}` : `203.0.113.${n - 253}`;
        this.eipAddresses.set(id, address);
        Object.assign(state, {
          allocationId: id,
          publicIp: address,
          publicDns: `ec2-${address.replace(/\./g, "-")}.compute.amazonaws.com`,
        });
        break;
      }
      case TYPES.nat:
        Object.assign(state, {
          publicIp: this.eipAddresses.get(String(inputs.allocationId)) ?? "203.0.113.254",
        });
        break;
      case TYPES.logGroup: {
        const groupName = physicalName(inputs, name, seed);
        id = groupName;
        Object.assign(state, { name: groupName, arn: this.arn("logs", `log-group:${groupName}`) });
        break;
      }
      case TYPES.kmsKey: {
        id = uuid(seed);
        Object.assign(state, { keyId: id, arn: this.arn("kms", `key/${id}`) });
        break;
      }
      case TYPES.secret: {
        const secretName = physicalName(inputs, name, seed);
        id = this.arn("secretsmanager", `secret:${secretName}-${hex(seed, 6)}`);
        Object.assign(state, { name: secretName, arn: id });
        break;
      }
      case TYPES.secretVersion:
        Object.assign(state, { versionId: uuid(seed), arn: inputs.secretId });
        break;
      case TYPES.password:
        // Never a real secret; the SDK marks `result` secret for every consumer.
        Object.assign(state, { result: `mock-${hex(seed, 24)}`, bcryptHash: `$2a$10$${hex(seed, 53)}` });
        break;
      case TYPES.fileSystem:
        Object.assign(state, {
          arn: this.arn("elasticfilesystem", `file-system/${id}`),
          dnsName: `${id}.efs.${this.region}.amazonaws.com`,
        });
        break;
      case TYPES.accessPoint:
        Object.assign(state, { arn: this.arn("elasticfilesystem", `access-point/${id}`) });
        break;
      case TYPES.loadBalancer: {
        const lbName = physicalName(inputs, name, seed).slice(0, 32);
        const kind = inputs.loadBalancerType === "network" ? "net" : "app";
        id = this.arn("elasticloadbalancing", `loadbalancer/${kind}/${lbName}/${hex(seed, 16)}`);
        const internal = inputs.internal === true ? "internal-" : "";
        Object.assign(state, {
          arn: id,
          arnSuffix: id.split(":loadbalancer/")[1],
          name: lbName,
          dnsName: `${internal}${lbName}-${parseInt(hex(seed, 8), 16)}.${this.region}.elb.amazonaws.com`,
          zoneId: "Z35SXDOTRQ7X7K",
        });
        break;
      }
      case TYPES.targetGroup: {
        const tgName = physicalName(inputs, name, seed).slice(0, 32);
        id = this.arn("elasticloadbalancing", `targetgroup/${tgName}/${hex(seed, 16)}`);
        Object.assign(state, { arn: id, arnSuffix: id.split(":").pop(), name: tgName });
        break;
      }
      case TYPES.endpointService:
        Object.assign(state, {
          serviceName: `com.amazonaws.vpce.${this.region}.${id}`,
          arn: this.arn("ec2", `vpc-endpoint-service/${id}`),
          state: "Available",
        });
        break;
      case TYPES.endpoint:
        Object.assign(state, {
          arn: this.arn("ec2", `vpc-endpoint/${id}`),
          dnsEntries: [
            {
              dnsName: `${id}-${hex(seed, 8)}.${String(inputs.serviceName).split(".").pop()}.${this.region}.vpce.amazonaws.com`,
              hostedZoneId: "Z7HUB22UULQXV",
            },
          ],
          networkInterfaceIds: ((inputs.subnetIds as string[] | undefined) ?? []).map((s) => {
            const eni = `eni-${hex(seed + s, 17)}`;
            this.interfaceSubnets.set(eni, s);
            return eni;
          }),
          state: "available",
        });
        break;
      case TYPES.zone:
        id = `Z${hex(seed, 20).toUpperCase()}`;
        Object.assign(state, {
          zoneId: id,
          arn: `arn:${this.partition}:route53:::hostedzone/${id}`,
          nameServers: [],
        });
        break;
      case TYPES.certificate:
        id = this.arn("acm", `certificate/${uuid(seed)}`);
        Object.assign(state, { arn: id, status: "ISSUED" });
        break;
      case TYPES.privateKey:
        // Not a key: a marked placeholder. The SDK keeps `privateKeyPem` secret for consumers.
        Object.assign(state, {
          privateKeyPem: `-----BEGIN PRIVATE KEY-----\nMOCK${hex(seed, 32)}\n-----END PRIVATE KEY-----\n`,
          publicKeyPem: `-----BEGIN PUBLIC KEY-----\nMOCK${hex(seed, 32)}\n-----END PUBLIC KEY-----\n`,
        });
        break;
      case TYPES.certRequest:
        Object.assign(state, {
          certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\nMOCK${hex(seed, 32)}\n-----END CERTIFICATE REQUEST-----\n`,
        });
        break;
      case TYPES.selfSignedCert:
      case TYPES.locallySignedCert:
        Object.assign(state, {
          certPem: `-----BEGIN CERTIFICATE-----\nMOCK${hex(seed, 32)}\n-----END CERTIFICATE-----\n`,
        });
        break;
      case TYPES.eksCluster: {
        const clusterName = physicalName(inputs, name, seed);
        id = clusterName;
        const vpcConfig = (inputs.vpcConfig ?? {}) as State;
        Object.assign(state, {
          name: clusterName,
          arn: this.arn("eks", `cluster/${clusterName}`),
          endpoint: `https://${hex(seed, 32).toUpperCase()}.gr7.${this.region}.eks.amazonaws.com`,
          certificateAuthority: {
            data: Buffer.from(
              `-----BEGIN CERTIFICATE-----\nMOCK${hex(seed + "ca", 32)}\n-----END CERTIFICATE-----\n`,
            ).toString("base64"),
          },
          vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${hex(seed + "cluster-sg", 17)}` },
          status: "ACTIVE",
        });
        break;
      }
      case TYPES.launchTemplate:
        Object.assign(state, { latestVersion: 1, defaultVersion: 1 });
        break;
      case TYPES.k8sSecret:
        if (inputs.type === "kubernetes.io/service-account-token") {
          // Never a real token: a marked placeholder, as the token controller would fill in.
          Object.assign(state, {
            data: { token: Buffer.from(`mock-token-${hex(seed, 16)}`).toString("base64") },
          });
        }
        break;
      case TYPES.ecsCluster: {
        const clusterName = physicalName(inputs, name, seed);
        id = this.arn("ecs", `cluster/${clusterName}`);
        Object.assign(state, { arn: id, name: clusterName });
        break;
      }
      case TYPES.taskDefinition:
        id = String(inputs.family);
        Object.assign(state, { arn: this.arn("ecs", `task-definition/${inputs.family}:1`), revision: 1 });
        break;
      case TYPES.ecsService: {
        const serviceName = physicalName(inputs, name, seed);
        id = this.arn("ecs", `service/${serviceName}`);
        Object.assign(state, { name: serviceName });
        break;
      }
      case TYPES.role: {
        const roleName = physicalName(inputs, name, seed);
        id = roleName;
        Object.assign(state, {
          name: roleName,
          arn: `arn:${this.partition}:iam::${MOCK_ACCOUNT_ID}:role/${roleName}`,
          uniqueId: `AROA${hex(seed, 17).toUpperCase()}`,
        });
        break;
      }
      case TYPES.rolePolicy:
        id = `${inputs.role}:${name}`;
        break;
      default:
        if (args.custom !== false && type.startsWith("aws:")) {
          const service = type.split(":")[1].split("/")[0];
          state.arn = state.arn ?? this.arn(service, `${type.split(":")[2].toLowerCase()}/${id}`);
        }
    }
    if (type === TYPES.subnet && typeof inputs.cidrBlock === "string") {
      this.subnetCidrs.set(id, inputs.cidrBlock);
    }
    this.states.set(seed, { id, state });
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          id: MOCK_ACCOUNT_ID,
          accountId: MOCK_ACCOUNT_ID,
          arn: `arn:${this.partition}:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
          userId: "AIDAOFFLINEPLAN",
        };
      case "aws:iam/getSessionContext:getSessionContext":
        // The offline caller is an IAM user, whose session context is itself.
        return {
          id: String(args.inputs.arn),
          arn: args.inputs.arn,
          issuerArn: args.inputs.arn,
          issuerName: "offline-plan",
        };
      case "aws:index/getPartition:getPartition":
        return {
          id: this.partition,
          partition: this.partition,
          dnsSuffix: this.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
        };
      case "aws:index/getRegion:getRegion":
        return {
          id: this.region,
          name: this.region,
          region: this.region,
          endpoint: `ec2.${this.region}.amazonaws.com`,
        };
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        // Six standard zones with the region's real zone-ID prefix (use1-az1, ...). Names map to
        // IDs in a shuffled order, as they do per account, so nothing can lean on the names.
        const letters = ["a", "b", "c", "d", "e", "f"];
        const prefix = zoneIdPrefix(this.region) ?? "zone1";
        const order = [3, 1, 6, 2, 5, 4];
        return {
          id: this.region,
          region: this.region,
          names: letters.map((l) => `${this.region}${l}`),
          zoneIds: order.map((n) => `${prefix}-az${n}`),
          groupNames: letters.map(() => this.region),
        };
      }
      case "aws:secretsmanager/getSecretVersion:getSecretVersion":
        // The value is never known offline; the plan shows it as a secret.
        return {
          id: String(args.inputs.secretId),
          arn: args.inputs.secretId,
          secretId: args.inputs.secretId,
          secretString: "offline-placeholder",
          versionId: "offline",
          versionStages: ["AWSCURRENT"],
        };
      case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
        // Every asked-for type in every zone except the sixth, which offers none (a newer zone
        // without older families), so the choice by offering is exercised.
        const prefix = zoneIdPrefix(this.region) ?? "zone1";
        const filters = (args.inputs.filters ?? []) as { name: string; values: string[] }[];
        const types = filters.find((f) => f.name === "instance-type")?.values ?? [];
        const zones = [1, 2, 3, 4, 5].map((n) => `${prefix}-az${n}`);
        const pairs = types.flatMap((t) => zones.map((z) => [t, z] as const));
        return {
          id: this.region,
          locationType: args.inputs.locationType,
          instanceTypes: pairs.map(([t]) => t),
          locations: pairs.map(([, z]) => z),
          locationTypes: pairs.map(() => "availability-zone-id"),
        };
      }
      case "aws:ec2/getNetworkInterface:getNetworkInterface": {
        const id = String(args.inputs.id);
        const subnetId = this.interfaceSubnets.get(id);
        const cidr = subnetId === undefined ? undefined : this.subnetCidrs.get(subnetId);
        if (cidr === undefined) throw new Error(`getNetworkInterface: no endpoint interface ${id}`);
        const address = firstAssignableAddress(cidr);
        return { id, subnetId, privateIp: address, privateIps: [address] };
      }
      default:
        throw new Error(`Mock not implemented: ${args.token}`);
    }
  }
}
