/**
 * Value checks used by the stack schema. Each returns why a value is refused, or `undefined`.
 */
import { parseCidr } from "../components/network/cidr";
import { MAX_PREFIX_LENGTH, MIN_PREFIX_LENGTH } from "../components/network/subnet-plan";
import { Problems } from "./schema";

/** Any canonical IPv4 CIDR (used for allow-lists). */
export function cidrProblem(value: string): string | undefined {
  const parsed = parseCidr(value);
  return parsed.ok ? undefined : parsed.reason;
}

/** A VPC block: canonical, and /16 to /28 as AWS requires. */
export function vpcCidrProblem(value: string): string | undefined {
  const parsed = parseCidr(value);
  if (!parsed.ok) {
    return parsed.reason;
  }
  const { prefixLength } = parsed.cidr;
  return prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH
    ? `AWS VPCs are /${MIN_PREFIX_LENGTH} to /${MAX_PREFIX_LENGTH}`
    : undefined;
}

/** AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-5`, ... */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** IAM principals an endpoint service may allow: account roots, roles, users; never `*`. */
export function principalProblem(value: string): string | undefined {
  if (value.includes("*")) {
    return "a wildcard would let any AWS account connect to the controller";
  }
  return /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/.test(value)
    ? undefined
    : "not an IAM account root, role or user ARN";
}

/** IAM principal ARNs for cluster admins (roles or users). */
export function iamArnProblem(value: string): string | undefined {
  return /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@/-]+$/.test(value)
    ? undefined
    : "not an IAM role or user ARN";
}

/** ACM certificate ARNs. */
export function acmArnProblem(value: string): string | undefined {
  return /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/.test(value)
    ? undefined
    : "not an ACM certificate ARN";
}

/** DNS names for the private hosted zone: lowercase labels, at least two of them. */
export function zoneNameProblem(value: string): string | undefined {
  const labels = value.split(".");
  if (labels.length < 2) {
    return "needs at least two labels";
  }
  return labels.every((l) => DNS_LABEL.test(l)) && value.length <= 253
    ? undefined
    : "not a lowercase DNS name";
}

/** One DNS label (also a Kubernetes namespace name). */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** One DNS label in any case: letters, digits and inner hyphens, 1 to 63 characters (RFC 1123). */
export const HOST_LABEL = new RegExp(DNS_LABEL.source, "i");

/** Container image references that pin a tag or a digest (never implicit `latest`). */
export const IMAGE_PATTERN = /^[a-z0-9][a-z0-9._/-]*(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;

/** An image reference must carry an explicit tag other than `latest`, or a digest. */
export function imageProblem(value: string): string | undefined {
  if (!IMAGE_PATTERN.test(value)) {
    return "not an image reference";
  }
  const lastSegment = value.split("/").pop() ?? "";
  if (!value.includes("@sha256:") && (!lastSegment.includes(":") || lastSegment.endsWith(":latest"))) {
    return "pin a version tag or a digest, not latest";
  }
  return undefined;
}

/** Characters every taggable AWS service accepts (IAM and CloudWatch Logs are the strictest). */
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag keys the blueprint sets itself on every resource. */
export const RESERVED_TAG_KEYS = ["Project", "Stack", "ManagedBy", "Name", "Tier"] as const;

/**
 * User-created tags a resource may carry; tags whose key begins with `aws:` do not count
 * (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html, "Tag naming limits and
 * requirements").
 */
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Room kept on EC2 instances (and their volumes) for tags others add after launch: an EKS managed
 * node group adds `eks:cluster-name`, `eks:nodegroup-name`, `kubernetes.io/cluster/<name>` and the
 * two `k8s.io/cluster-autoscaler/...` tags; Karpenter adds `karpenter.sh/nodepool`,
 * `karpenter.sh/nodeclaim`, `karpenter.k8s.aws/ec2nodeclass`, `eks:eks-cluster-name`,
 * `kubernetes.io/cluster/<name>` and `Name`; auto scaling's `aws:autoscaling:groupName` does not
 * count. Ten covers either with room to spare.
 */
export const INSTANCE_TAG_RESERVE = 10;

/** User tags a stack may add: what instances have room for, less the blueprint's own keys. */
export const MAX_USER_TAGS = MAX_TAGS_PER_RESOURCE - INSTANCE_TAG_RESERVE - RESERVED_TAG_KEYS.length;

/** Tag keys: 1-128 characters AWS accepts everywhere, not `aws:`, not one the blueprint sets. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > 128) return "tag keys are 1 to 128 characters";
  if (key.toLowerCase().startsWith("aws:")) return "the aws: prefix is reserved";
  if ((RESERVED_TAG_KEYS as readonly string[]).includes(key)) return `the blueprint sets ${key} itself`;
  if (!TAG_CHARACTERS.test(key)) return "tags allow letters, digits, spaces and _ . : / = + - @";
  return undefined;
}

/** Tag values: at most 256 characters AWS accepts everywhere. */
export function tagValueProblem(value: string): string | undefined {
  if (value.length > 256) return "tag values are at most 256 characters";
  if (!TAG_CHARACTERS.test(value)) return "tags allow letters, digits, spaces and _ . : / = + - @";
  return undefined;
}

/**
 * The stack's name goes into EKS cluster, ECS cluster, service and task family names and KMS
 * aliases, which take letters, digits, `-` and `_` only; Pulumi also allows `.` in stack names.
 * The offline acceptance check (`service-name`) refuses the names it would make; this refuses
 * the stack before anything is planned.
 */
export function checkStackName(stack: string, problems: Problems): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(stack)) {
    problems.invalid(
      "stack",
      stack,
      "letters, digits, - and _, starting with a letter or digit (the stack name is part of EKS, ECS and KMS alias names, which take nothing else)",
    );
  }
}
