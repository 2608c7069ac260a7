// How the command line writes: results to stdout, messages to stderr, tables aligned in columns.

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** Rows under a header, each column as wide as its widest cell, separated by two spaces. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `first_name` -> `--first-name`: zod paths named as the options the user typed. */
export function optionName(path: PropertyKey[], positional: string[] = []): string {
  const field = String(path[0] ?? "");
  if (positional.includes(field)) return field;
  return `--${field.replaceAll("_", "-")}${path.length > 1 ? `.${path.slice(1).map(String).join(".")}` : ""}`;
}
