/** Allow-lists are judged by the public address space they cover, not by how they are written. */
import * as assert from "assert";
import fc from "fast-check";
import { parseStackConfig } from "../../config";
import { decodeStated } from "../harness/config";
import {
  allowListProblem,
  blockSize,
  Cidr,
  mergeRanges,
  parseIpv4Cidr,
  NON_PUBLIC_BLOCKS,
  PUBLIC_ADDRESS_COUNT,
  publicAddressesCovered,
  publicShare,
} from "../../policy/lib/address-space";
import { formatCidr, mustParseCidr, parseCidr } from "../../components/network/cidr";

const cidrs = (...texts: string[]) => texts.map(mustParseCidr);
/** Any canonical IPv4 block. */
const block = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
  .map(([address, prefixLength]): Cidr => {
    const size = blockSize(prefixLength);
    return { network: address - (address % size), prefixLength };
  });
const blocks = fc.array(block, { maxLength: 12 });
/** The two halves of a block (a /32 has none). */
const halves = (c: Cidr): Cidr[] =>
  c.prefixLength === 32
    ? [c]
    : [
        { network: c.network, prefixLength: c.prefixLength + 1 },
        { network: c.network + blockSize(c.prefixLength + 1), prefixLength: c.prefixLength + 1 },
      ];
/** Counts public addresses one by one, over a sample: the reference for small blocks. */
const nonPublic = cidrs(...NON_PUBLIC_BLOCKS);
const isPublic = (a: number) =>
  !nonPublic.some((c) => a >= c.network && a < c.network + blockSize(c.prefixLength));

describe("public address space covered by CIDR blocks", () => {
  it("counts the public internet once: 2^32 minus the special-purpose, multicast and reserved blocks", () => {
    assert.strictEqual(PUBLIC_ADDRESS_COUNT, 3_702_258_688);
    assert.strictEqual(publicShare(cidrs("0.0.0.0/0")), 1);
    assert.strictEqual(publicShare(cidrs("0.0.0.0/1", "128.0.0.0/1")), 1);
    assert.strictEqual(
      publicShare(cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")),
      0,
    );
    assert.strictEqual(publicAddressesCovered(cidrs("198.51.100.7/32", "203.0.113.0/24")), 0);
    assert.strictEqual(publicAddressesCovered(cidrs("8.8.8.8/32")), 1);
    assert.strictEqual(publicAddressesCovered(cidrs("1.0.0.0/8", "1.2.0.0/16")), 2 ** 24);
  });

  it("merges overlapping and adjacent blocks", () => {
    assert.deepStrictEqual(mergeRanges(cidrs("10.0.1.0/24", "10.0.0.0/24", "10.0.0.0/16")), [
      [mustParseCidr("10.0.0.0/16").network, mustParseCidr("10.0.0.0/16").network + 2 ** 16 - 1],
    ]);
    assert.strictEqual(mergeRanges(cidrs("10.0.0.0/24", "10.0.1.0/24")).length, 1);
    assert.strictEqual(mergeRanges(cidrs("10.0.0.0/24", "10.0.2.0/24")).length, 2);
  });

  describe("properties", () => {
    it("parses blocks exactly as the program's CIDR parser does (the pack has its own)", () => {
      fc.assert(fc.property(block, (c) => assert.deepStrictEqual(parseIpv4Cidr(formatCidr(c)), c)));
      for (const text of ["10.0.0.1/16", "10.0.0.0/33", "256.0.0.0/8", "::/0", "10.0.0.0"]) {
        assert.strictEqual(parseIpv4Cidr(text), undefined, text);
        assert.strictEqual(parseCidr(text).ok, false, text);
      }
    });

    it("does not depend on order or repetition", () => {
      fc.assert(
        fc.property(blocks, (bs) => {
          const n = publicAddressesCovered(bs);
          assert.strictEqual(publicAddressesCovered([...bs].reverse()), n);
          assert.strictEqual(publicAddressesCovered([...bs, ...bs]), n);
        }),
      );
    });

    it("is the same for a block and its two halves, so no split hides a wide list", () => {
      fc.assert(
        fc.property(blocks, (bs) => {
          assert.strictEqual(publicAddressesCovered(bs.flatMap(halves)), publicAddressesCovered(bs));
        }),
      );
    });

    it("grows with every block added, and never exceeds the sum of the parts or the public space", () => {
      fc.assert(
        fc.property(blocks, block, (bs, extra) => {
          const before = publicAddressesCovered(bs);
          const after = publicAddressesCovered([...bs, extra]);
          assert.ok(after >= before);
          assert.ok(after <= before + publicAddressesCovered([extra]));
          assert.ok(after <= PUBLIC_ADDRESS_COUNT);
          const share = publicShare([...bs, extra]);
          assert.ok(share >= 0 && share <= 1);
        }),
      );
    });

    it("agrees with counting the addresses one by one for small blocks", () => {
      const small = fc
        .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 22, max: 32 }))
        .map(([address, prefixLength]): Cidr => {
          const size = blockSize(prefixLength);
          return { network: address - (address % size), prefixLength };
        });
      fc.assert(
        fc.property(fc.array(small, { maxLength: 3 }), (bs) => {
          const seen = new Set<number>();
          for (const c of bs)
            for (let a = c.network; a < c.network + blockSize(c.prefixLength); a++) seen.add(a);
          const expected = [...seen].filter(isPublic).length;
          assert.strictEqual(publicAddressesCovered(bs), expected, bs.map(formatCidr).join(" "));
        }),
        { numRuns: 50 },
      );
    });

    it("refuses every set covering more than the limit, whatever the limit, and accepts the rest", () => {
      fc.assert(
        fc.property(blocks, fc.integer({ min: 2, max: 32 }), (bs, max) => {
          const problem = allowListProblem(bs.map(formatCidr), max);
          assert.strictEqual(problem !== undefined, publicAddressesCovered(bs) > blockSize(max));
        }),
      );
    });
  });

  it("refuses each half of the internet and the whole, at the loosest limit", () => {
    for (const list of [["0.0.0.0/0"], ["0.0.0.0/1"], ["128.0.0.0/1"], ["0.0.0.0/1", "128.0.0.0/1"]]) {
      assert.ok(allowListProblem(list, 2), list.join(" "));
    }
    assert.strictEqual(
      allowListProblem(["0.0.0.0/1", "128.0.0.0/1"], 8),
      "these blocks cover 3702258688 public IPv4 addresses (100% of the public internet); expected at most 16777216, the size of one /8",
    );
    assert.strictEqual(allowListProblem(["198.51.100.7/32", "10.0.0.0/8", "1.0.0.0/8"], 8), undefined);
  });
});

describe("stack config: allow-lists judged by address space", () => {
  const NS = "jenkins-agent-bridge";
  const lines = (values: Record<string, unknown>) => {
    const text = Object.fromEntries(
      Object.entries({ "aws:region": "us-east-1", ...values }).map(([k, v]) => [
        k,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    );
    const result = parseStackConfig(decodeStated(text));
    return result.ok ? [] : result.problems;
  };
  const whole = "these blocks cover 3702258688 public IPv4 addresses (100% of the public internet)";

  it("refuses the UI's 0.0.0.0/0 with a message instead of dropping it", () => {
    assert.deepStrictEqual(lines({ [`${NS}:controller`]: { ui: { allowedCidrs: ["0.0.0.0/0"] } } }), [
      `${NS}:controller.ui.allowedCidrs: got ["0.0.0.0/0"]; expected a narrower allow-list: ${whole}; expected at most 16777216, the size of one /8 (jenkins-agent-bridge:allowListMaxPrefix)`,
    ]);
  });

  it("refuses both halves of the internet for the UI and for the cluster API", () => {
    const halves = ["0.0.0.0/1", "128.0.0.0/1"];
    assert.deepStrictEqual(
      lines({
        [`${NS}:controller`]: { ui: { allowedCidrs: halves } },
        [`${NS}:agentCluster`]: { apiAccess: { from: "cidrs", cidrs: halves } },
      }),
      [
        `${NS}:controller.ui.allowedCidrs: got ["0.0.0.0/1","128.0.0.0/1"]; expected a narrower allow-list: ${whole}; expected at most 16777216, the size of one /8 (jenkins-agent-bridge:allowListMaxPrefix)`,
        `${NS}:agentCluster.apiAccess.cidrs: got ["0.0.0.0/1","128.0.0.0/1"]; expected a narrower allow-list: ${whole}; expected at most 16777216, the size of one /8 (jenkins-agent-bridge:allowListMaxPrefix)`,
      ],
    );
  });

  it("follows the configured limit, never looser than a /2", () => {
    const api = {
      [`${NS}:agentCluster`]: { apiAccess: { from: "cidrs", cidrs: ["1.0.0.0/8", "2.0.0.0/8"] } },
    };
    assert.strictEqual(lines(api).length, 1);
    assert.deepStrictEqual(lines({ ...api, [`${NS}:allowListMaxPrefix`]: "7" }), []);
    assert.deepStrictEqual(lines({ [`${NS}:allowListMaxPrefix`]: 1 }), [
      `${NS}:allowListMaxPrefix: got "1"; expected an integer from 2 to 32`,
    ]);
  });

  it("counts no private or reserved range against the limit", () => {
    assert.deepStrictEqual(
      lines({
        [`${NS}:controller`]: { ui: { allowedCidrs: ["10.0.0.0/8", "172.16.0.0/12", "198.51.100.7/32"] } },
      }),
      [],
    );
  });
});
