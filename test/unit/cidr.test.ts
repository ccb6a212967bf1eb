import * as assert from "assert";
import { contains, formatCidr, mustParseCidr, overlaps, parseCidr } from "../../components/network/cidr";

describe("cidr", () => {
  describe("parseCidr", () => {
    const valid: [string, number, number][] = [
      ["10.0.0.0/16", 10 * 2 ** 24, 16],
      ["0.0.0.0/0", 0, 0],
      ["255.255.255.255/32", 2 ** 32 - 1, 32],
      ["192.168.4.0/22", 192 * 2 ** 24 + 168 * 2 ** 16 + 4 * 2 ** 8, 22],
    ];
    for (const [text, network, prefixLength] of valid) {
      it(`accepts ${text}`, () => {
        assert.deepStrictEqual(parseCidr(text), { ok: true, cidr: { network, prefixLength } });
      });
    }

    const invalid: [string, string][] = [
      ["10.0.0.1/16", "host bits are set (the block is 10.0.0.0/16)"],
      ["10.0.0.0", "not in a.b.c.d/n form"],
      ["10.0.0.0/33", "the prefix length is above 32"],
      ["256.0.0.0/8", "the address is not four octets of 0-255"],
      ["10.0.0/8", "the address is not four octets of 0-255"],
      ["010.0.0.0/8", "the address is not four octets of 0-255"],
      ["ten.0.0.0/8", "not in a.b.c.d/n form"],
      ["", "not in a.b.c.d/n form"],
      [" 10.0.0.0/16", "not in a.b.c.d/n form"],
      ["10.0.0.0/16 ", "not in a.b.c.d/n form"],
      ["10.0.0.0/08", "not in a.b.c.d/n form"],
    ];
    for (const [text, reason] of invalid) {
      it(`refuses ${JSON.stringify(text)}: ${reason}`, () => {
        assert.deepStrictEqual(parseCidr(text), { ok: false, reason });
      });
    }
  });

  it("formats what it parses", () => {
    for (const text of ["10.10.0.0/16", "172.16.0.0/12", "10.20.255.0/24", "0.0.0.0/0"]) {
      assert.strictEqual(formatCidr(mustParseCidr(text)), text);
    }
  });

  it("tells containment and overlap", () => {
    const vpc = mustParseCidr("10.10.0.0/16");
    assert.strictEqual(contains(vpc, mustParseCidr("10.10.255.0/24")), true);
    assert.strictEqual(contains(vpc, mustParseCidr("10.11.0.0/24")), false);
    assert.strictEqual(contains(mustParseCidr("10.10.0.0/24"), vpc), false);
    assert.strictEqual(overlaps(vpc, mustParseCidr("10.10.128.0/17")), true);
    assert.strictEqual(overlaps(vpc, mustParseCidr("10.0.0.0/8")), true);
    assert.strictEqual(overlaps(vpc, mustParseCidr("10.11.0.0/16")), false);
    assert.strictEqual(overlaps(mustParseCidr("10.10.0.0/24"), mustParseCidr("10.10.1.0/24")), false);
  });

  it("refuses invalid text in mustParseCidr", () => {
    assert.throws(() => mustParseCidr("10.0.0.1/8"), /invalid CIDR "10.0.0.1\/8": host bits are set/);
  });
});
