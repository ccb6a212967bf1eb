/** What a Jenkins controller is made from: its arguments, and what each of its parts is built with. */
import * as pulumi from "@pulumi/pulumi";
import { AccountScope } from "../shared/iam";
import { StepContext } from "../shared/step-context";
import { Tags } from "../shared/tags";
import { KubernetesCloud } from "./jcasc";
import { UiOidc } from "./ui";
import { Transport } from "../shared/jenkins";

/** Arguments of {@link JenkinsController}. */
export interface JenkinsControllerArgs {
  /** How agents connect; decides the agent port (-1 or 50000) and the container's ports. */
  readonly transport: Transport;
  /** Jenkins image, pinned. */
  readonly image: string;
  /** Plugins, `name:version`, installed by the init container. */
  readonly plugins: readonly string[];
  /** Fargate CPU units of the task. */
  readonly cpu: number;
  /** Task memory, MiB. */
  readonly memoryMiB: number;
  /**
   * `ON_DEMAND` runs the task on Fargate; `SPOT` on Fargate Spot (X86_64 only), where a reclaimed
   * task gets two minutes' notice (the container's stop timeout) and ECS starts a new one.
   */
  readonly capacityType: "ON_DEMAND" | "SPOT";
  /** Seconds ECS ignores failing health checks after a start. */
  readonly healthCheckGracePeriodSec: number;
  readonly logRetentionDays: number;
  /** ID of the local admin user; the password is generated into Secrets Manager. */
  readonly adminUser: string;
  /** Daily AWS Backup of JENKINS_HOME. */
  readonly backups: boolean;
  readonly backupRetentionDays: number;
  /** Protect JENKINS_HOME (file system and key) from deletion by Pulumi. */
  readonly homeDeletionProtection: boolean;
  /**
   * A short-lived environment, so `pulumi destroy` leaves nothing behind: the secrets are deleted
   * without a recovery window (else 30 days), the key with a 7-day deletion window (else 30), and
   * the backup vault with its recovery points (`forceDestroy`).
   */
  readonly throwaway: boolean;
  readonly ui: {
    readonly internetFacing: boolean;
    readonly domainName?: string;
    readonly certificateArn?: string;
    readonly allowedCidrs: readonly string[];
    readonly idleTimeoutSec: number;
    readonly deletionProtection: boolean;
    readonly accessLogsBucket?: string;
    /** Sign-in at the load balancer; all settings or none. */
    readonly oidc?: Partial<Record<keyof UiOidc, string | undefined>>;
  };
  /** The master network: the UI load balancer and the task live in it. */
  readonly network: {
    readonly vpcId: pulumi.Input<string>;
    readonly cidrBlock: string;
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly privateSubnetIds: pulumi.Input<string>[];
  };
  /**
   * The agent gateway: its load balancer's security group and the target groups the service
   * registers the task in. The controller admits each target port from that group only.
   */
  readonly gateway: {
    readonly securityGroupId: pulumi.Input<string>;
    readonly targetGroups: readonly {
      readonly targetGroupArn: pulumi.Input<string>;
      readonly port: number;
    }[];
  };
  /**
   * The Kubernetes cloud of agents: where the cluster's API is, the token of the controller's
   * service account (stored in Secrets Manager and handed over as a task secret), and how agents
   * reach the controller.
   */
  readonly agentCloud: Omit<KubernetesCloud, "serverUrl" | "serverCertificate"> & {
    readonly serverUrl: pulumi.Input<string>;
    readonly serverCertificate: pulumi.Input<string>;
    readonly token: pulumi.Input<string>;
  };
  /**
   * Name of the stack: part of the key's alias and of the secrets' and the task family's names,
   * and shown in Jenkins' system message.
   */
  readonly stack: string;
  readonly tags: Tags;
}

/** What every part of one controller is made with: its name, its arguments, where it runs and its tags. */
export interface ControllerParts extends StepContext<JenkinsControllerArgs> {
  readonly scope: pulumi.Output<AccountScope>;
}
