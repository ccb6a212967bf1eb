import * as assert from "assert";
import {
  agentZoneIds,
  chooseZoneIds,
  EKS_UNSUPPORTED_ZONE_IDS,
  RegionZones,
  sortZoneIds,
  zoneIdPrefix,
  zoneUnusable,
} from "../../components/network/zones";

/** us-east-1 as an account might see it: six zones, use1-az3 without EKS, m7i not in use1-az6. */
const US_EAST_1: RegionZones = {
  zoneIds: ["use1-az6", "use1-az1", "use1-az2", "use1-az4", "use1-az3", "use1-az5"],
  offerings: {
    "t3.large": ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"],
    "m7i.large": ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5"],
  },
};

describe("zones by zone ID", () => {
  it("derives each region's zone-ID prefix from its name", () => {
    const table: [string, string | undefined][] = [
      ["us-east-1", "use1"],
      ["us-west-2", "usw2"],
      ["eu-west-1", "euw1"],
      ["eu-central-2", "euc2"],
      ["ap-northeast-1", "apne1"],
      ["ap-southeast-5", "apse5"],
      ["ca-central-1", "cac1"],
      ["us-gov-west-1", "usgw1"],
      ["cn-northwest-1", "cnnw1"],
      ["il-central-1", "ilc1"],
      ["us-iso-east-1", undefined],
      ["nowhere", undefined],
    ];
    for (const [region, prefix] of table) assert.strictEqual(zoneIdPrefix(region), prefix, region);
  });

  it("orders zone IDs by number, not as text", () => {
    assert.deepStrictEqual(sortZoneIds(["use1-az10", "use1-az2", "use1-az1"]), [
      "use1-az1",
      "use1-az2",
      "use1-az10",
    ]);
  });

  it("knows the zones where EKS cannot place a control plane", () => {
    assert.deepStrictEqual(EKS_UNSUPPORTED_ZONE_IDS, ["use1-az3", "usw1-az2", "cac1-az3"]);
  });

  const cases: [
    string,
    RegionZones,
    Parameters<typeof chooseZoneIds>[1],
    ReturnType<typeof chooseZoneIds>,
  ][] = [
    [
      "takes the lowest zone IDs, whatever order the region lists them in",
      US_EAST_1,
      { instanceTypes: ["t3.large"], count: 2 },
      {
        ok: true,
        zoneIds: ["use1-az1", "use1-az2"],
        skipped: ["use1-az3 (EKS cannot place a control plane there)"],
      },
    ],
    [
      "skips the zone EKS refuses",
      US_EAST_1,
      { instanceTypes: ["t3.large"], count: 3 },
      {
        ok: true,
        zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
        skipped: ["use1-az3 (EKS cannot place a control plane there)"],
      },
    ],
    [
      "skips zones that do not offer every node instance type",
      US_EAST_1,
      { instanceTypes: ["t3.large", "m7i.large"], count: 4 },
      {
        ok: true,
        zoneIds: ["use1-az1", "use1-az2", "use1-az4", "use1-az5"],
        skipped: [
          "use1-az3 (EKS cannot place a control plane there)",
          "use1-az6 (m7i.large not offered there)",
        ],
      },
    ],
    [
      "refuses a count the usable zones cannot meet, listing what was skipped",
      US_EAST_1,
      { instanceTypes: ["t3.large", "m7i.large"], count: 5 },
      {
        ok: false,
        problem:
          "5 zones wanted but only 4 usable (use1-az1, use1-az2, use1-az4, use1-az5); skipped use1-az3 (EKS cannot place a control plane there), use1-az6 (m7i.large not offered there)",
      },
    ],
    [
      "keeps explicit zone IDs in their given order",
      US_EAST_1,
      { instanceTypes: ["t3.large"], count: 2, zoneIds: ["use1-az5", "use1-az1"] },
      { ok: true, zoneIds: ["use1-az5", "use1-az1"], skipped: [] },
    ],
    [
      "refuses explicit zone IDs that are not the region's, lack a type, or EKS refuses",
      US_EAST_1,
      { instanceTypes: ["m7i.large"], count: 3, zoneIds: ["use1-az9", "use1-az6", "use1-az3"] },
      {
        ok: false,
        problem:
          "zone IDs the stack cannot use: use1-az9 (not a zone of the region), use1-az6 (m7i.large not offered there), use1-az3 (EKS cannot place a control plane there)",
      },
    ],
    [
      "treats a type with no offerings at all as offered nowhere",
      US_EAST_1,
      { instanceTypes: ["x9.huge"], count: 2 },
      {
        ok: false,
        problem:
          "2 zones wanted but only 0 usable (none); skipped use1-az1 (x9.huge not offered there), use1-az2 (x9.huge not offered there), use1-az3 (EKS cannot place a control plane there), use1-az4 (x9.huge not offered there), use1-az5 (x9.huge not offered there), use1-az6 (x9.huge not offered there)",
      },
    ],
  ];
  for (const [what, region, request, expected] of cases) {
    it(what, () => assert.deepStrictEqual(chooseZoneIds(region, request), expected));
  }

  it("gives the same layout to two accounts whose zone names differ", () => {
    // Zone names are shuffled per account; the choice never sees them.
    const accountA = chooseZoneIds(US_EAST_1, { instanceTypes: ["t3.large"], count: 3 });
    const accountB = chooseZoneIds(
      { ...US_EAST_1, zoneIds: [...US_EAST_1.zoneIds].reverse() },
      { instanceTypes: ["t3.large"], count: 3 },
    );
    assert.deepStrictEqual(accountA, accountB);
  });

  it("gives the agent network the master network's first zones, or its explicit ones", () => {
    assert.deepStrictEqual(agentZoneIds(["use1-az1", "use1-az2", "use1-az4"], 2), ["use1-az1", "use1-az2"]);
    assert.deepStrictEqual(agentZoneIds(["use1-az1", "use1-az2", "use1-az4"], 2, ["use1-az4", "use1-az2"]), [
      "use1-az4",
      "use1-az2",
    ]);
  });

  it("says why a single zone is unusable", () => {
    assert.strictEqual(zoneUnusable("use1-az1", US_EAST_1, ["t3.large"]), undefined);
    assert.strictEqual(
      zoneUnusable("use1-az6", US_EAST_1, ["m7i.large", "x9.huge"]),
      "m7i.large, x9.huge not offered there",
    );
  });
});
