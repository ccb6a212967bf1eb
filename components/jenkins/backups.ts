/**
 * Daily AWS Backup of JENKINS_HOME: a vault encrypted with the controller's key, a plan with one
 * daily rule, and the role AWS Backup assumes to back the file system up and restore it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { attachManagedPolicies } from "../shared/account";
import { serviceTrustPolicy } from "../shared/iam";
import { ControllerParts } from "./controller-args";

/** Daily backup at 03:00 UTC. */
export const BACKUP_SCHEDULE = "cron(0 3 * * ? *)";

/** The AWS managed policies of the backup role, by the suffix of their attachment's name. */
const SERVICE_ROLE_POLICIES = {
  backup: "AWSBackupServiceRolePolicyForBackup",
  restore: "AWSBackupServiceRolePolicyForRestores",
} as const;

/** Backs JENKINS_HOME up daily into a vault encrypted with the controller's key. */
export function homeBackups(
  { name, args, scope, tagged }: ControllerParts,
  fileSystem: aws.efs.FileSystem,
  key: aws.kms.Key,
  parent: pulumi.Resource,
): void {
  const opts = { parent };
  const vault = new aws.backup.Vault(
    `${name}-backup`,
    { kmsKeyArn: key.arn, forceDestroy: args.throwaway, tags: tagged("backup") },
    opts,
  );
  const plan = new aws.backup.Plan(
    `${name}-backup`,
    {
      rules: [
        {
          ruleName: "daily",
          targetVaultName: vault.name,
          schedule: BACKUP_SCHEDULE,
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: args.backupRetentionDays },
        },
      ],
      tags: tagged("backup"),
    },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-backup`,
    {
      description: `AWS Backup of JENKINS_HOME of ${name}`,
      assumeRolePolicy: scope.apply((s) => JSON.stringify(serviceTrustPolicy("backup.amazonaws.com", s))),
      tags: tagged("backup"),
    },
    opts,
  );
  const attachments = attachManagedPolicies(
    `${name}-backup`,
    role,
    scope,
    Object.fromEntries(Object.entries(SERVICE_ROLE_POLICIES).map(([key, p]) => [key, `service-role/${p}`])),
    opts,
  );
  new aws.backup.Selection(
    `${name}-backup`,
    { name: `${name}-jenkins-home`, planId: plan.id, iamRoleArn: role.arn, resources: [fileSystem.arn] },
    { parent, dependsOn: attachments },
  );
}
