// The shell commands a doc tells the admin to type, read from its ```sh blocks, so that the install
// tests run exactly what docs/install.md says (continuation lines and multi-line quoted strings joined).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./install-compose.ts";

/** The lines of the section whose heading contains `heading`, up to the next heading of its level or above. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split("\n");
  let fenced = false;
  // A `# comment` inside a code block is no heading.
  const levels = lines.map((l) => {
    if (l.startsWith("```")) fenced = !fenced;
    return !fenced && /^#+ /.test(l) ? /^#+/.exec(l)![0].length : 0;
  });
  const start = lines.findIndex((l, i) => levels[i]! > 0 && l.includes(heading));
  if (start < 0) throw new Error(`no heading containing ${JSON.stringify(heading)}`);
  const end = levels.findIndex((level, i) => i > start && level > 0 && level <= levels[start]!);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const quotesOpen = (text: string) => (text.match(/'/g)?.length ?? 0) % 2 === 1;

/** Commands of the ```sh blocks in the section under `heading` of `doc` (a path from the repository root). */
export function shellCommands(doc: string, heading: string): string[] {
  const commands: string[] = [];
  let inBlock = false;
  let pending: string | null = null;
  for (const line of section(readFileSync(join(ROOT, doc), "utf8"), heading)) {
    if (line.startsWith("```")) {
      inBlock = !inBlock && line.trim() === "```sh";
      continue;
    }
    if (!inBlock) continue;
    if (pending === null && (line.trim() === "" || line.trim().startsWith("#"))) continue;
    // A continued line joins with a space; a line inside an open quote keeps its newline.
    const text: string = pending === null ? line : `${pending}${quotesOpen(pending) ? "\n" : " "}${line.trim()}`;
    if (text.endsWith("\\")) pending = text.slice(0, -1).trimEnd();
    else if (quotesOpen(text)) pending = text;
    else {
      commands.push(text.trim());
      pending = null;
    }
  }
  return commands;
}
