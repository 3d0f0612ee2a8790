// The site folder panel and its dialogs: choose the folder, import its posts after a look at the
// plan, and export with a preset after a dry run that lists every file (create / update /
// unchanged / conflict). Paths and titles are shown as text.
import * as ipc from "./ipc";
import { $ } from "./dom";
import type { PlanAction, PostChange } from "./ipc";

/** A preset's change to a post, in words (the same as the CLI's dry run). */
export function describeChange(change: PostChange): string {
  switch (change.kind) {
    case "key_renamed":
      return `key ${change.from} written as ${change.to}`;
    case "key_added":
      return change.from ? `key ${change.key} added (from ${change.from})` : `key ${change.key} added`;
    case "key_dropped":
      return `key ${change.key} left out`;
    case "date_inferred":
      return `date ${change.date} inferred from ${change.from}`;
    case "date_today":
      return `no date: today's date ${change.date} written, as asked`;
    case "template_protected":
      return `template syntax protected for ${change.generator} (${change.how}; ${change.in_code} in code, ${change.in_prose} in prose)`;
    case "images_moved":
      return `${change.count} image(s) moved next to the post`;
  }
}

type Row = { action: PlanAction | "skipped" | "error"; path: string; detail: string };

/** What the site dialogs need from the window. */
export interface SiteDialogsHost {
  /** An import ran: reload the list and its tags. */
  imported(): Promise<void>;
  showError(message: string): void;
  /** Before an export plan: store pending edits, so the plan sees the newest text. */
  flush(): Promise<void>;
}

export class SiteDialogs {
  private mode: "import" | "export" = "export";
  private busy = false;
  /** The import or export ran: the confirm button now just closes. */
  private finished = false;

  constructor(private host: SiteDialogsHost) {
    $("site-choose").addEventListener("click", () => void this.choose());
    $("site-import").addEventListener("click", () => void this.openImport());
    $("site-export").addEventListener("click", () => void this.openExport());
    $("site-cancel").addEventListener("click", () => this.close());
    $("site-confirm").addEventListener("click", () => void this.confirm());
    $("export-preset").addEventListener("change", () => void this.refreshExportPlan());
    $("export-status").addEventListener("change", () => void this.refreshExportPlan());
    $("export-undated-today").addEventListener("change", () => void this.refreshExportPlan());
    $("site-dialog").addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
  }

  isOpen(): boolean {
    return !$("site-dialog").hidden;
  }

  async refreshFolder(): Promise<string | null> {
    try {
      const { folder } = await ipc.siteInfo();
      this.showFolder(folder);
      return folder;
    } catch (error) {
      this.host.showError(ipc.errorMessage(error));
      return null;
    }
  }

  private showFolder(folder: string | null): void {
    $("site-folder").textContent = folder ? `\u200E${folder}\u200E` : "none linked";
    $("site-folder").title = folder ?? "No site folder linked yet";
  }

  async choose(): Promise<string | null> {
    try {
      const { folder } = await ipc.chooseSiteFolder();
      this.showFolder(folder);
      return folder;
    } catch (error) {
      this.host.showError(`Could not use that folder: ${ipc.errorMessage(error)}`);
      return null;
    }
  }

  private async ensureFolder(): Promise<boolean> {
    return (await this.refreshFolder()) !== null || (await this.choose()) !== null;
  }

  private show(title: string, confirm: string): void {
    $("site-dialog-title").textContent = title;
    $("site-confirm").textContent = confirm;
    this.finished = false;
    $<HTMLInputElement>("site-force").checked = false;
    $("site-force-row").hidden = true;
    $("site-summary").textContent = "Working…";
    this.fill([]);
    $("site-dialog").hidden = false;
  }

  close(): void {
    $("site-dialog").hidden = true;
  }

  private fill(rows: Row[]): void {
    const body = $("site-plan").querySelector("tbody") as HTMLTableSectionElement;
    body.replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement("tr");
        const action = document.createElement("td");
        const badge = document.createElement("span");
        badge.className = `action ${row.action}`;
        badge.textContent = row.action;
        action.append(badge);
        const path = document.createElement("td");
        path.className = "path";
        path.textContent = row.path;
        const detail = document.createElement("td");
        detail.textContent = row.detail;
        tr.append(action, path, detail);
        return tr;
      }),
    );
  }

  private counts(rows: Row[]): string {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.action, (counts.get(row.action) ?? 0) + 1);
    return Array.from(counts, ([action, n]) => `${n} ${action}`).join(", ") || "nothing to do";
  }

  // ---- import ---------------------------------------------------------------------------
  async openImport(): Promise<void> {
    if (!(await this.ensureFolder())) return;
    this.mode = "import";
    $("export-options").hidden = true;
    this.show("Import from the site folder", "Import");
    try {
      const plan = await ipc.importSitePlan();
      const rows: Row[] = [
        ...plan.items.map((item) => ({ action: item.action, path: item.path, detail: item.reason ?? item.title })),
        ...plan.skipped.map((skip) => ({ action: "skipped" as const, path: skip.path, detail: skip.reason })),
      ];
      this.fill(rows);
      $("site-summary").textContent = `${plan.site} (${plan.layout}): ${this.counts(rows)}.`;
      $("site-force-row").hidden = !plan.items.some((item) => item.action === "conflict");
    } catch (error) {
      $("site-summary").textContent = `Could not read the site: ${ipc.errorMessage(error)}`;
    }
  }

  // ---- export ---------------------------------------------------------------------------
  async openExport(): Promise<void> {
    if (!(await this.ensureFolder())) return;
    await this.host.flush();
    this.mode = "export";
    $("export-options").hidden = false;
    this.show("Export to the site folder", "Export");
    await this.refreshExportPlan();
  }

  private exportChoice(): { preset: string; status: string | null; undatedToday: boolean } {
    return {
      preset: ($("export-preset") as HTMLSelectElement).value,
      status: ($("export-status") as HTMLSelectElement).value || null,
      undatedToday: $<HTMLInputElement>("export-undated-today").checked,
    };
  }

  private async refreshExportPlan(): Promise<void> {
    if (this.mode !== "export") return;
    const { preset, status, undatedToday } = this.exportChoice();
    try {
      const plan = await ipc.exportSitePlan(preset, status, undatedToday);
      const rows: Row[] = [
        ...plan.items.map((item) => ({
          action: item.action,
          path: item.path,
          detail: [item.reason ?? item.title, ...item.changes.map(describeChange)].join("; "),
        })),
        ...plan.errors.map((e) => ({ action: "error" as const, path: e.path ?? "", detail: `${e.title}: ${e.message}` })),
      ];
      this.fill(rows);
      $("site-summary").textContent = `Dry run into ${plan.site}: ${this.counts(rows)}.`;
      $("site-force-row").hidden = !plan.items.some((item) => item.action === "conflict");
    } catch (error) {
      $("site-summary").textContent = `Could not plan the export: ${ipc.errorMessage(error)}`;
    }
  }

  private async confirm(): Promise<void> {
    if (this.finished) return this.close();
    if (this.busy) return;
    this.busy = true;
    const force = ($("site-force") as HTMLInputElement).checked;
    try {
      if (this.mode === "import") {
        const report = await ipc.importSite(force);
        await this.host.imported();
        $("site-summary").textContent =
          `Imported ${report.imported.length}, updated ${report.updated.length}, unchanged ${report.unchanged.length}` +
          (report.conflicts.length ? `, ${report.conflicts.length} conflicts left alone` : "") + ".";
      } else {
        const { preset, status, undatedToday } = this.exportChoice();
        const report = await ipc.exportSite(preset, status, force, undatedToday);
        $("site-summary").textContent =
          `Wrote ${report.created.length} new and ${report.updated.length} updated files; ${report.unchanged.length} unchanged` +
          (report.conflicts.length ? `; ${report.conflicts.length} refused (changed outside Galley)` : "") +
          (report.errors.length ? `; ${report.errors.length} errors` : "") + ".";
        const rows: Row[] = [
          ...report.created.map((path) => ({ action: "create" as const, path, detail: "written" })),
          ...report.updated.map((path) => ({ action: "update" as const, path, detail: "written" })),
          ...report.conflicts.map((c) => ({ action: "conflict" as const, path: c.path, detail: c.reason })),
          ...report.errors.map((e) => ({ action: "error" as const, path: e.path ?? "", detail: `${e.title}: ${e.message}` })),
        ];
        this.fill(rows);
      }
      $("site-confirm").textContent = "Done";
      this.finished = true;
    } catch (error) {
      $("site-summary").textContent = `${this.mode === "import" ? "Import" : "Export"} failed: ${ipc.errorMessage(error)}`;
    } finally {
      this.busy = false;
    }
  }
}
