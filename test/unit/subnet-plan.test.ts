import * as assert from "assert";
import * as fc from "fast-check";
import { blockSize, contains, mustParseCidr, overlaps } from "../../components/network/cidr";
import {
  planSubnets,
  SubnetLayoutError,
  SubnetPlanInput,
  subnetLayoutProblem,
} from "../../components/network/subnet-plan";

const layout = (input: SubnetPlanInput) => planSubnets(input).map((s) => `${s.key} ${s.cidrBlock}`);

describe("subnet plan", () => {
  describe("tables", () => {
    it("lays out two zones of a /16: public from the top, private from the bottom", () => {
      assert.deepStrictEqual(
        layout({ cidrBlock: "10.10.0.0/16", azCount: 2, publicPrefixLength: 24, privatePrefixLength: 20 }),
        [
          "public-0 10.10.255.0/24",
          "public-1 10.10.254.0/24",
          "private-0 10.10.0.0/20",
          "private-1 10.10.16.0/20",
        ],
      );
    });

    it("lays out three zones with /19 private subnets", () => {
      assert.deepStrictEqual(
        layout({ cidrBlock: "10.40.0.0/16", azCount: 3, publicPrefixLength: 24, privatePrefixLength: 19 }),
        [
          "public-0 10.40.255.0/24",
          "public-1 10.40.254.0/24",
          "public-2 10.40.253.0/24",
          "private-0 10.40.0.0/19",
          "private-1 10.40.32.0/19",
          "private-2 10.40.64.0/19",
        ],
      );
    });

    it("fills a block exactly when the sizes add up", () => {
      assert.deepStrictEqual(
        layout({ cidrBlock: "192.168.0.0/24", azCount: 2, publicPrefixLength: 26, privatePrefixLength: 26 }),
        [
          "public-0 192.168.0.192/26",
          "public-1 192.168.0.128/26",
          "private-0 192.168.0.0/26",
          "private-1 192.168.0.64/26",
        ],
      );
    });

    it("gives every spec its tier, zone index and stable key", () => {
      const specs = planSubnets({
        cidrBlock: "10.0.0.0/16",
        azCount: 2,
        publicPrefixLength: 24,
        privatePrefixLength: 20,
      });
      assert.deepStrictEqual(
        specs.map((s) => [s.tier, s.azIndex, s.key]),
        [
          ["public", 0, "public-0"],
          ["public", 1, "public-1"],
          ["private", 0, "private-0"],
          ["private", 1, "private-1"],
        ],
      );
    });

    const refused: [SubnetPlanInput, string][] = [
      [
        { cidrBlock: "10.0.0.0/22", azCount: 2, publicPrefixLength: 24, privatePrefixLength: 20 },
        "private subnets must be longer than the VPC's /22 and at most /28, got /20",
      ],
      [
        { cidrBlock: "10.0.0.0/22", azCount: 3, publicPrefixLength: 24, privatePrefixLength: 24 },
        "3 public /24 and 3 private /24 subnets need 1536 addresses; 10.0.0.0/22 holds 1024",
      ],
      [
        { cidrBlock: "10.0.0.0/15", azCount: 2, publicPrefixLength: 24, privatePrefixLength: 20 },
        "a VPC block must be /16 to /28, got /15",
      ],
      [
        { cidrBlock: "10.0.0.0/16", azCount: 2, publicPrefixLength: 29, privatePrefixLength: 20 },
        "public subnets must be longer than the VPC's /16 and at most /28, got /29",
      ],
      [
        { cidrBlock: "10.0.0.0/16", azCount: 0, publicPrefixLength: 24, privatePrefixLength: 20 },
        "the zone count must be a positive integer, got 0",
      ],
    ];
    for (const [input, reason] of refused) {
      it(`refuses ${input.cidrBlock} x${input.azCount} /${input.publicPrefixLength} /${input.privatePrefixLength}`, () => {
        assert.strictEqual(subnetLayoutProblem(input), reason);
        assert.throws(
          () => planSubnets(input),
          (err: Error) => err instanceof SubnetLayoutError && err.message === reason,
        );
      });
    }
  });

  describe("generated cases", () => {
    const inputs = fc
      .record({
        octets: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
        vpcPrefix: fc.integer({ min: 16, max: 28 }),
        azCount: fc.integer({ min: 1, max: 6 }),
        publicPrefixLength: fc.integer({ min: 16, max: 28 }),
        privatePrefixLength: fc.integer({ min: 16, max: 28 }),
      })
      .map(({ octets, vpcPrefix, azCount, publicPrefixLength, privatePrefixLength }) => {
        // Align a random address down to the prefix to get a canonical block.
        const size = blockSize(vpcPrefix);
        const address = 10 * 2 ** 24 + octets[0] * 2 ** 16 + octets[1] * 2 ** 8;
        const network = address - (address % size);
        const cidrBlock = `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".")}/${vpcPrefix}`;
        return { cidrBlock, azCount, publicPrefixLength, privatePrefixLength };
      });

    /**
     * An independent answer to "do these subnets fit?": first-fit of aligned blocks, largest
     * first, over a bitmap of the VPC (optimal for power-of-two aligned blocks).
     */
    function packs(input: SubnetPlanInput): boolean {
      const vpc = mustParseCidr(input.cidrBlock);
      const sizes = [
        ...Array(input.azCount).fill(blockSize(input.publicPrefixLength)),
        ...Array(input.azCount).fill(blockSize(input.privatePrefixLength)),
      ].sort((x, y) => y - x);
      const total = blockSize(vpc.prefixLength);
      if (sizes.some((size) => size >= total)) return false;
      const unit = Math.min(...sizes);
      const used = new Array(total / unit).fill(false);
      return sizes.every((size) => {
        const span = size / unit;
        for (let start = 0; start + span <= used.length; start += span) {
          if (used.slice(start, start + span).every((u) => !u)) {
            used.fill(true, start, start + span);
            return true;
          }
        }
        return false;
      });
    }

    it("plans exactly the layouts that can be packed, and refuses the others", () => {
      fc.assert(
        fc.property(inputs, (input) => {
          assert.strictEqual(subnetLayoutProblem(input) === undefined, packs(input), JSON.stringify(input));
        }),
        { numRuns: 1000 },
      );
    });

    it("keeps every subnet inside the VPC, with the planned size, and none overlapping", () => {
      fc.assert(
        fc.property(inputs, (input) => {
          fc.pre(subnetLayoutProblem(input) === undefined);
          const vpc = mustParseCidr(input.cidrBlock);
          const specs = planSubnets(input);
          assert.strictEqual(specs.length, 2 * input.azCount);
          const blocks = specs.map((s) => ({ spec: s, cidr: mustParseCidr(s.cidrBlock) }));
          for (const { spec, cidr } of blocks) {
            assert.ok(contains(vpc, cidr), `${spec.cidrBlock} outside ${input.cidrBlock}`);
            const expected = spec.tier === "public" ? input.publicPrefixLength : input.privatePrefixLength;
            assert.strictEqual(cidr.prefixLength, expected);
          }
          for (let i = 0; i < blocks.length; i++) {
            for (let j = i + 1; j < blocks.length; j++) {
              assert.ok(
                !overlaps(blocks[i].cidr, blocks[j].cidr),
                `${blocks[i].spec.key} overlaps ${blocks[j].spec.key}`,
              );
            }
          }
        }),
        { numRuns: 2000 },
      );
    });

    it("orders public then private by zone, and gives the same result every time", () => {
      fc.assert(
        fc.property(inputs, (input) => {
          fc.pre(subnetLayoutProblem(input) === undefined);
          const specs = planSubnets(input);
          const expectedKeys = ["public", "private"].flatMap((t) =>
            Array.from({ length: input.azCount }, (_, i) => `${t}-${i}`),
          );
          assert.deepStrictEqual(
            specs.map((s) => s.key),
            expectedKeys,
          );
          assert.deepStrictEqual(planSubnets(input), specs);
        }),
        { numRuns: 1000 },
      );
    });

    it("keeps existing subnets where they are when a zone is added", () => {
      fc.assert(
        fc.property(inputs, (input) => {
          const grown = { ...input, azCount: input.azCount + 1 };
          fc.pre(subnetLayoutProblem(grown) === undefined);
          const before = new Map(planSubnets(input).map((s) => [s.key, s.cidrBlock]));
          for (const spec of planSubnets(grown)) {
            if (before.has(spec.key)) {
              assert.strictEqual(spec.cidrBlock, before.get(spec.key));
            }
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
