/** Pricing of stored data: EFS file systems (storage and elastic throughput) and backup vaults. */
import { T } from "../resource-types";
import { addAssumed, Pricing, str } from "./context";

/** EFS: storage, and data read and written in elastic throughput mode. */
export function priceFileSystems(c: Pricing): void {
  const { p, refuse, ofType } = c;
  for (const fs of ofType(T.fileSystem)) {
    const mode = str(fs.inputs.throughputMode) ?? "bursting";
    if (fs.inputs.availabilityZoneName !== undefined) {
      refuse(fs, "One Zone storage is not in the price table");
      continue;
    }
    const each = { count: 1, of: `${fs.name}: `, unit: "GB", resourceType: T.fileSystem } as const;
    addAssumed(c, {
      item: "EFS Standard storage",
      price: p.efsStandardGbMonth,
      key: "efsStoredGbPerFileSystem",
      ...each,
    });
    if (mode === "elastic") {
      addAssumed(c, {
        item: "EFS elastic throughput reads",
        price: p.efsElasticReadGb,
        key: "efsReadGbPerFileSystem",
        ...each,
      });
      addAssumed(c, {
        item: "EFS elastic throughput writes",
        price: p.efsElasticWriteGb,
        key: "efsWriteGbPerFileSystem",
        ...each,
      });
    } else if (mode !== "bursting") {
      refuse(fs, `${mode} throughput is not in the price table`);
    }
  }
}

/** Backup vaults (this blueprint backs up EFS only): the warm storage each holds. */
export function priceBackupVaults(c: Pricing): void {
  const vaults = c.ofType(T.backupVault);
  if (vaults.length > 0) {
    addAssumed(c, {
      item: "AWS Backup EFS warm storage",
      price: c.p.backupEfsWarmGbMonth,
      count: vaults.length,
      key: "backupStoredGbPerVault",
      of: `${vaults.length} × ${T.backupVault} × `,
      unit: "GB",
      resourceType: T.backupVault,
    });
  }
}
