// Draws a line diff (hunks from the library's diff) as text lines marked by kind; used by the
// history panel and the conflict banner.
import type { RevisionDiff } from "./ipc";

export interface DiffMarks {
  insert: string;
  delete: string;
  equal: string;
  /** Optional heading line per hunk. */
  hunk?: (hunk: RevisionDiff["hunks"][number]) => string;
}

export function diffLines(hunks: RevisionDiff["hunks"], marks: DiffMarks): HTMLElement[] {
  const lines: HTMLElement[] = [];
  for (const hunk of hunks) {
    if (marks.hunk) {
      const head = document.createElement("span");
      head.className = "hunk";
      head.textContent = marks.hunk(hunk);
      lines.push(head);
    }
    for (const line of hunk.lines) {
      const span = document.createElement("span");
      span.className = line.kind;
      span.textContent = `${marks[line.kind]}${line.text.replace(/\n$/, "")}\n`;
      lines.push(span);
    }
  }
  return lines;
}
