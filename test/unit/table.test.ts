import * as assert from "assert";
import { renderTable } from "../../offline/table";

describe("table", () => {
  const header = ["item", "quantity", "price", "note"];
  const rows = [
    ["NAT gateway", "1,460", "$65.70", "2 × 730 h"],
    ["key", "5", "$5.00", ""],
  ];

  it("aligns text columns: left by default, right for figures, two spaces apart, no trailing spaces", () => {
    assert.deepStrictEqual(renderTable(header, rows, { format: "text", right: [1, 2] }), [
      "item         quantity   price  note",
      "NAT gateway     1,460  $65.70  2 × 730 h",
      "key                 5   $5.00",
    ]);
  });

  it("pads no column to the right of a right-aligned last column", () => {
    assert.deepStrictEqual(
      renderTable(
        ["a", "n"],
        [
          ["x", "10"],
          ["yy", "2"],
        ],
        { format: "text", right: [1] },
      ),
      ["a    n", "x   10", "yy   2"],
    );
  });

  it("renders Markdown with a separator marking right-aligned columns, pipes escaped", () => {
    assert.deepStrictEqual(
      renderTable(header, [...rows, ["a|b", "1", "$1.00", "x | y"]], { format: "markdown", right: [1, 2] }),
      [
        "| item | quantity | price | note |",
        "| --- | ---: | ---: | --- |",
        "| NAT gateway | 1,460 | $65.70 | 2 × 730 h |",
        "| key | 5 | $5.00 |  |",
        "| a\\|b | 1 | $1.00 | x \\| y |",
      ],
    );
  });

  it("writes an untitled Markdown column's header as one space", () => {
    assert.deepStrictEqual(renderTable(["", "type"], [["+", "`t`"]], { format: "markdown" }), [
      "| | type |",
      "| --- | --- |",
      "| + | `t` |",
    ]);
  });
});
