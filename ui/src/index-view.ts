// The blog index view: the library as the site's index page shows it — category, title, summary,
// date (YYYY-MM-DD), "N min read" under the reading-time profile chosen in the status bar, newest
// first. One click opens the draft.
import * as ipc from "./ipc";
import { $, coverPanes } from "./dom";
import { showTitle, statusBadge } from "./library-view";

/** What the index view needs from the window. */
export interface IndexHost {
  /** The writer picked a post. */
  open(id: number): void;
  showError(message: string): void;
  /** The chosen reading-time profile: its name and its label for the heading. */
  profile(): { name: string; label: string };
}

export class IndexView {
  constructor(private host: IndexHost) {
    $("index-close").addEventListener("click", () => this.close());
  }

  isOpen(): boolean {
    return !$("index-view").hidden;
  }

  close(): void {
    $("index-view").hidden = true;
    coverPanes(false);
  }

  async open(): Promise<void> {
    $("index-view").hidden = false;
    coverPanes(true);
    const profile = this.host.profile();
    $("index-profile").textContent = profile.label;
    try {
      const entries = await ipc.indexEntries({ limit: 500 });
      $("index-list").replaceChildren(
        ...entries.map((entry) => {
          const article = document.createElement("article");
          article.className = "index-entry";
          article.tabIndex = 0;
          article.dataset.id = String(entry.id);
          const category = document.createElement("div");
          category.className = "index-category";
          category.textContent = entry.category || "Uncategorized";
          const title = document.createElement("h2");
          showTitle(title, entry);
          const summary = document.createElement("p");
          summary.textContent = entry.summary;
          const meta = document.createElement("div");
          meta.className = "index-meta";
          const date = document.createElement("span");
          date.textContent = entry.date || "no date";
          if (entry.date && entry.date_inferred) {
            // No date key: the day the site's file name or URL says, marked as such.
            date.className = "index-date-inferred";
            date.textContent = `${entry.date} (inferred)`;
            date.title = `No date in the front matter; inferred from ${entry.date_inferred}`;
          }
          const minutes = document.createElement("span");
          minutes.textContent = `${entry.minutes_by_profile[profile.name] ?? entry.reading_minutes} min read`;
          const status = statusBadge(entry);
          meta.append(date, minutes, status);
          article.append(category, title, summary, meta);
          const open = () => {
            this.close();
            this.host.open(entry.id);
          };
          article.addEventListener("click", open);
          article.addEventListener("keydown", (event) => event.key === "Enter" && open());
          return article;
        }),
      );
    } catch (error) {
      this.host.showError(`Could not build the index: ${ipc.errorMessage(error)}`);
    }
  }
}
