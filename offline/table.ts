/**
 * One table renderer for the plan's reports (the cost estimate, its change, the plan diff): plain
 * text with aligned columns, or a Markdown table, both from a header and rows of cells.
 */

export type TableFormat = "text" | "markdown";

export interface TableOptions {
  readonly format: TableFormat;
  /** Indexes of the columns aligned right (figures); the others align left. */
  readonly right?: readonly number[];
}

/**
 * The table's lines. Text: the header then the rows, each column as wide as its widest cell and two
 * spaces apart; the last column is not padded and no line ends in spaces. Markdown: the header, the
 * separator (`---`, or `---:` for a column aligned right), then the rows, with `|` in a cell escaped;
 * a header cell left empty reads as one space (`| | type |`).
 */
export function renderTable(
  header: readonly string[],
  rows: readonly string[][],
  options: TableOptions,
): string[] {
  const right = new Set(options.right ?? []);
  if (options.format === "markdown") {
    const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    return [
      `|${header.map((h) => (h === "" ? " " : ` ${h} `)).join("|")}|`,
      line(header.map((_, i) => (right.has(i) ? "---:" : "---"))),
      ...rows.map((r) => line(r.map((cell) => cell.replace(/\|/g, "\\|")))),
    ];
  }
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) =>
    r
      .map((cell, i) =>
        right.has(i) ? cell.padStart(widths[i]) : i === r.length - 1 ? cell : cell.padEnd(widths[i]),
      )
      .join("  ")
      .trimEnd(),
  );
}
