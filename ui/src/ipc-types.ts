// Generated from the Rust types by `make ipc-types` (src-tauri/src/ipc_types.rs); do not edit.
// The test `ipc_types` fails when this file and the Rust types disagree.

export type Status = "draft" | "ready" | "published";

export type PostSummary = { 
/**
 * Library id.
 */
id: number, 
/**
 * Title from the front matter ("Untitled" shown by the UI when empty).
 */
title: string, 
/**
 * Publishing state (`draft` when the library holds a value Galley does not know: see
 * `unknown_status`).
 */
status: Status, 
/**
 * The status exactly as stored when it is not one Galley knows (a library edited by another
 * tool): the post is shown with an "unknown status" marker and export reports it.
 */
unknown_status: string | null, 
/**
 * One of Galley's sample posts (seeded on the app's first start): never exported until the
 * writer has edited it and changed its status.
 */
sample: boolean, 
/**
 * The name of the file it was imported from (e.g. `README.md`), shown when it has no title.
 */
file_name: string | null, 
/**
 * Date as written in the front matter.
 */
date: string, 
/**
 * The date as `YYYY-MM-DD` (in the offset it was written in); "" when missing or not a date.
 * For a post without a date key, the day inferred from its file name, URL or folders.
 */
day: string, 
/**
 * Where `day` was inferred from, in words, when the post has no date key of its own.
 */
date_inferred: string | null, 
/**
 * Last update as written in the front matter (`updated`, `lastmod`, `updatedDate`).
 */
updated: string, 
/**
 * Summary paragraph from the front matter.
 */
summary: string, 
/**
 * What the index page shows: the summary, else the body's first paragraph (plain text).
 */
excerpt: string, 
/**
 * Category.
 */
category: string, 
/**
 * Tags.
 */
tags: Array<string>, 
/**
 * Prose words.
 */
words: number, 
/**
 * "N min read" under Galley's own profile.
 */
reading_minutes: number, 
/**
 * Minutes to read under every profile, by name (`galley`, `hugo`, `zola`, `medium`).
 */
minutes_by_profile: { [key in string]: number }, 
/**
 * Last modification, RFC 3339.
 */
modified_at: string, 
/**
 * When the post was moved to the trash (RFC 3339); `None` when it is not in the trash.
 */
deleted_at: string | null, 
/**
 * Its file in a site folder was deleted or moved outside Galley (and it has no other file
 * there): the post is safe in the library, the site no longer has it.
 */
missing_on_site: boolean, };

export type Post = { 
/**
 * The front matter block exactly as written, delimiters included ("" when none).
 */
front_matter: string, 
/**
 * The Markdown body after the front matter.
 */
body: string, 
/**
 * Creation time, RFC 3339.
 */
created_at: string, 
/**
 * Library id.
 */
id: number, 
/**
 * Title from the front matter ("Untitled" shown by the UI when empty).
 */
title: string, 
/**
 * Publishing state (`draft` when the library holds a value Galley does not know: see
 * `unknown_status`).
 */
status: Status, 
/**
 * The status exactly as stored when it is not one Galley knows (a library edited by another
 * tool): the post is shown with an "unknown status" marker and export reports it.
 */
unknown_status: string | null, 
/**
 * One of Galley's sample posts (seeded on the app's first start): never exported until the
 * writer has edited it and changed its status.
 */
sample: boolean, 
/**
 * The name of the file it was imported from (e.g. `README.md`), shown when it has no title.
 */
file_name: string | null, 
/**
 * Date as written in the front matter.
 */
date: string, 
/**
 * The date as `YYYY-MM-DD` (in the offset it was written in); "" when missing or not a date.
 * For a post without a date key, the day inferred from its file name, URL or folders.
 */
day: string, 
/**
 * Where `day` was inferred from, in words, when the post has no date key of its own.
 */
date_inferred: string | null, 
/**
 * Last update as written in the front matter (`updated`, `lastmod`, `updatedDate`).
 */
updated: string, 
/**
 * Summary paragraph from the front matter.
 */
summary: string, 
/**
 * What the index page shows: the summary, else the body's first paragraph (plain text).
 */
excerpt: string, 
/**
 * Category.
 */
category: string, 
/**
 * Tags.
 */
tags: Array<string>, 
/**
 * Prose words.
 */
words: number, 
/**
 * "N min read" under Galley's own profile.
 */
reading_minutes: number, 
/**
 * Minutes to read under every profile, by name (`galley`, `hugo`, `zola`, `medium`).
 */
minutes_by_profile: { [key in string]: number }, 
/**
 * Last modification, RFC 3339.
 */
modified_at: string, 
/**
 * When the post was moved to the trash (RFC 3339); `None` when it is not in the trash.
 */
deleted_at: string | null, 
/**
 * Its file in a site folder was deleted or moved outside Galley (and it has no other file
 * there): the post is safe in the library, the site no longer has it.
 */
missing_on_site: boolean, };

export type Stats = { 
/**
 * Prose words (code excluded).
 */
words: number, 
/**
 * Non-blank lines inside code blocks.
 */
code_lines: number, 
/**
 * Images in the post.
 */
images: number, 
/**
 * Minutes to read under `profile`, at least 1.
 */
reading_minutes: number, 
/**
 * The reading-time profile used.
 */
profile: string, 
/**
 * The words the chosen profile counted (its own definition of a word).
 */
profile_words: number, 
/**
 * Minutes to read under every profile, by name.
 */
minutes_by_profile: { [key in string]: number }, };

export type RenderedBlock = { 
/**
 * Key of this block, unique within the document. From a [`Renderer`]: kept across renders
 * while the block is unchanged (its `data-line` numbers may shift and its code may get
 * highlighted). From [`render_blocks`]: its content hash, `-N` for the N-th repeat.
 */
key: string, 
/**
 * 1-based source line where the block starts.
 */
line: number, 
/**
 * Sanitized HTML of the block; every block element in it carries `data-line`.
 */
html: string, };

export type RenderOutput = { 
/**
 * Increases with every `render`; highlight updates carry the revision they belong to.
 */
revision: number, 
/**
 * Number of blocks in the document now.
 */
total: number, 
/**
 * Leading blocks unchanged (same key, same line).
 */
keep_head: number, 
/**
 * Trailing blocks unchanged except for their line, which moved by `line_shift`.
 */
keep_tail: number, 
/**
 * Lines the trailing blocks moved by.
 */
line_shift: number, 
/**
 * The new blocks between head and tail, with their HTML (code plain until highlighted).
 */
blocks: Array<RenderedBlock>, 
/**
 * Code blocks still waiting for highlighting (see [`Renderer::take_highlight_jobs`]).
 */
pending_highlights: number, };

export type PreviewLink = { "kind": "anchor", 
/**
 * The fragment, percent-decoded.
 */
id: string, } | { "kind": "external", 
/**
 * The URL to open.
 */
url: string, } | { "kind": "inside-site", 
/**
 * The link's path (with query and fragment).
 */
path: string, } | { "kind": "refused", 
/**
 * The URL as clicked.
 */
url: string, };

export type Skipped = { 
/**
 * Site-relative path (folders end with `/`).
 */
path: string, 
/**
 * Why (in words).
 */
reason: string, };

export type Layout = "hugo" | "zola" | "jekyll" | "astro" | "folder";

export type FrontMatterError = { 
/**
 * Line in the post file (the opening delimiter is line 1).
 */
line: number, 
/**
 * Column (1-based, in characters).
 */
column: number, 
/**
 * What is wrong.
 */
message: string, };

export type AssetKind = "png" | "jpeg" | "gif" | "webp" | "avif" | "svg" | "other";

export type ImportAction = "create" | "update" | "unchanged" | "conflict";

export type AssetItem = { 
/**
 * Its site-relative path.
 */
path: string, 
/**
 * The post file it belongs to.
 */
post_path: string, 
/**
 * Its library name for that post.
 */
name: string, 
/**
 * What it is, by content (an `.png` that is really something else is `other`).
 */
kind: AssetKind, 
/**
 * Its size in bytes.
 */
size: number, 
/**
 * What will happen.
 */
action: ImportAction, 
/**
 * Why (for conflicts), or a note (a file that is not an image).
 */
reason: string | null, };

export type ImportedAsset = { 
/**
 * Its site-relative path.
 */
path: string, 
/**
 * The post it belongs to.
 */
post_id: number, 
/**
 * Its library name for that post.
 */
name: string, };

export type ImportItem = { 
/**
 * Site-relative path.
 */
path: string, 
/**
 * What will happen.
 */
action: ImportAction, 
/**
 * Why (for conflicts).
 */
reason: string | null, 
/**
 * The post it updates (None for new posts).
 */
post_id: number | null, 
/**
 * Title from the front matter.
 */
title: string, 
/**
 * Whether it is imported as a draft.
 */
draft: boolean, 
/**
 * Malformed front matter (the post is still imported with its raw text).
 */
front_matter_error: FrontMatterError | null, };

export type ImportPlan = { 
/**
 * The site folder, canonical.
 */
site: string, 
/**
 * Its detected layout.
 */
layout: Layout, 
/**
 * One entry per Markdown file, in path order.
 */
items: Array<ImportItem>, 
/**
 * The posts' files, by post then name.
 */
assets: Array<AssetItem>, 
/**
 * Files not imported, with reasons.
 */
skipped: Array<Skipped>, };

export type ImportedFile = { 
/**
 * Site-relative path.
 */
path: string, 
/**
 * The post holding it.
 */
post_id: number, };

export type ImportWarning = { 
/**
 * Site-relative path.
 */
path: string, 
/**
 * What is malformed, where.
 */
error: FrontMatterError, };

export type ImportReport = { 
/**
 * The site folder.
 */
site: string, 
/**
 * New posts.
 */
imported: Array<ImportedFile>, 
/**
 * Posts updated from changed files.
 */
updated: Array<ImportedFile>, 
/**
 * Files identical to the last import.
 */
unchanged: Array<string>, 
/**
 * Files left alone because the post changed in Galley too (use force).
 */
conflicts: Array<Skipped>, 
/**
 * Files not imported, with reasons.
 */
skipped: Array<Skipped>, 
/**
 * Posts imported with malformed front matter.
 */
warnings: Array<ImportWarning>, 
/**
 * Files of posts stored (new or changed).
 */
assets: Array<ImportedAsset>, 
/**
 * Files of posts identical to the last import.
 */
assets_unchanged: Array<string>, };

export type Preset = "keep" | "hugo" | "zola" | "jekyll" | "astro";

export type ExportAction = "create" | "update" | "unchanged" | "conflict";

export type Generator = "hugo" | "zola" | "jekyll" | "astro";

export type DialectSource = "chosen" | "site" | "default";

export type Flavor = "galley" | "hugo" | "zola" | "jekyll" | "astro";

export type HeadingIds = "galley" | "git-hub" | "git-hub-ascii" | "zola" | "kramdown" | "none";

export type Autolinks = "gfm" | "goldmark";

export type Dialect = { 
/**
 * Where the settings come from.
 */
flavor: Flavor, 
/**
 * Curly quotes, en and em dashes, ellipses.
 */
smart_punctuation: boolean, 
/**
 * Bare `www.…`, `https://…` and e-mail addresses become links.
 */
linkify: boolean, 
/**
 * Whose rules find them.
 */
autolinks: Autolinks, 
/**
 * `www.` links get `https://` (Hugo's `linkifyProtocol = "https"`), else `http://`.
 */
linkify_https: boolean, 
/**
 * Raw HTML is published; when false the preview shows a "raw HTML omitted" marker instead.
 */
raw_html: boolean, 
/**
 * The heading id algorithm.
 */
heading_ids: HeadingIds, 
/**
 * Pipe tables.
 */
tables: boolean, 
/**
 * Footnotes.
 */
footnotes: boolean, 
/**
 * `~~strikethrough~~`.
 */
strikethrough: boolean, 
/**
 * `- [ ]` task lists.
 */
task_lists: boolean, 
/**
 * Definition lists (`term` / `: definition`).
 */
definition_lists: boolean, 
/**
 * `{#id .class}` after a heading.
 */
heading_attributes: boolean, 
/**
 * GitHub's `> [!NOTE]` alerts.
 */
alerts: boolean, };

export type DialectInfo = { 
/**
 * `site` (follow the linked site) or a dialect's name.
 */
choice: string, 
/**
 * The dialect the preview renders in now.
 */
dialect: Dialect, 
/**
 * Where it comes from.
 */
source: DialectSource, };

export type Protection = { 
/**
 * The generator protected against.
 */
generator: Generator, 
/**
 * What was done, in words (`render_with_liquid: false`, `{% raw %} around 2 code blocks`, …).
 */
how: string, 
/**
 * Pieces of template syntax protected inside code.
 */
in_code: number, 
/**
 * Pieces of template syntax protected in prose.
 */
in_prose: number, };

export type PostChange = { "kind": "key_renamed", 
/**
 * The post's key.
 */
from: string, 
/**
 * The key written.
 */
to: string, } | { "kind": "key_added", 
/**
 * The key written.
 */
key: string, 
/**
 * The post's key its value comes from.
 */
from: string | null, } | { "kind": "key_dropped", 
/**
 * The post's key.
 */
key: string, } | { "kind": "date_inferred", 
/**
 * `YYYY-MM-DD`.
 */
date: string, 
/**
 * Where it was read, in words.
 */
from: string, } | { "kind": "date_today", 
/**
 * `YYYY-MM-DD`.
 */
date: string, } | { "kind": "template_protected" } & Protection | { "kind": "images_moved", 
/**
 * How many.
 */
count: number, };

export type AssetExportItem = { 
/**
 * The post.
 */
post_id: number, 
/**
 * Site-relative path.
 */
path: string, 
/**
 * Its library name for that post.
 */
name: string, 
/**
 * What will happen.
 */
action: ExportAction, 
/**
 * Why (for conflicts).
 */
reason: string | null, };

export type ExportItem = { 
/**
 * The post.
 */
post_id: number, 
/**
 * Its title.
 */
title: string, 
/**
 * Site-relative path, `/`-separated.
 */
path: string, 
/**
 * What will happen.
 */
action: ExportAction, 
/**
 * Why (for conflicts).
 */
reason: string | null, 
/**
 * What the preset changed in the post (keys, date, template syntax, images).
 */
changes: Array<PostChange>, };

export type ExportError = { 
/**
 * The post.
 */
post_id: number, 
/**
 * Its title.
 */
title: string, 
/**
 * The path, when one was computed.
 */
path: string | null, 
/**
 * What is wrong.
 */
message: string, };

export type ExportPlan = { 
/**
 * The site folder (absolute; canonical when it exists).
 */
site: string, 
/**
 * The preset.
 */
preset: Preset, 
/**
 * One entry per post, in post order.
 */
items: Array<ExportItem>, 
/**
 * Posts that cannot be exported.
 */
errors: Array<ExportError>, 
/**
 * The posts' files (images, bundle resources), written before the posts.
 */
assets: Array<AssetExportItem>, };

export type Refused = { 
/**
 * Site-relative path.
 */
path: string, 
/**
 * Why.
 */
reason: string, };

export type ExportReport = { 
/**
 * The site folder.
 */
site: string, 
/**
 * Files created.
 */
created: Array<string>, 
/**
 * Files replaced.
 */
updated: Array<string>, 
/**
 * Files that already held the right bytes.
 */
unchanged: Array<string>, 
/**
 * Files left alone because they changed outside Galley.
 */
conflicts: Array<Refused>, 
/**
 * Posts that could not be exported (including write failures).
 */
errors: Array<ExportError>, 
/**
 * The posts' files written (created or replaced).
 */
assets_written: Array<string>, 
/**
 * The posts' files that already held the right bytes.
 */
assets_unchanged: Array<string>, };

export type Sort = "relevance" | "date_desc" | "date_asc" | "modified_desc" | "modified_asc" | "title_asc" | "title_desc";

export type ListQuery = { 
/**
 * Only posts with this status.
 */
status: Status | null, 
/**
 * Only posts with this tag (exact).
 */
tag: string | null, 
/**
 * Full-text search over title, summary, body and tags. Any input is accepted (see
 * [`fts_query`]); blank means no text filter.
 */
text: string | null, 
/**
 * Order.
 */
sort: Sort, 
/**
 * Rows to skip.
 */
offset: number, 
/**
 * Rows to return at most; `None` for all.
 */
limit: number | null, };

export type IndexEntry = { 
/**
 * Library id (one click opens the draft).
 */
id: number, 
/**
 * Title.
 */
title: string, 
/**
 * Category label ("Blog").
 */
category: string, 
/**
 * The summary paragraph (front matter summary, else the first paragraph), plain text.
 */
summary: string, 
/**
 * `YYYY-MM-DD`; "" when the post has no valid date.
 */
date: string, 
/**
 * The date as written in the front matter (to point at an invalid one).
 */
written_date: string, 
/**
 * Where `date` was inferred from when the post has no date key (shown as inferred).
 */
date_inferred: string | null, 
/**
 * Minutes to read under Galley's own profile.
 */
reading_minutes: number, 
/**
 * Minutes to read under every profile, by name.
 */
minutes_by_profile: { [key in string]: number }, 
/**
 * "N min read".
 */
reading_time: string, 
/**
 * Publishing state.
 */
status: Status, 
/**
 * The status as stored when Galley does not know it (shown as "unknown status").
 */
unknown_status: string | null, 
/**
 * The file it was imported from, shown when it has no title.
 */
file_name: string | null, 
/**
 * Tags.
 */
tags: Array<string>, };

export type TagCount = { 
/**
 * The tag.
 */
tag: string, 
/**
 * Posts with it.
 */
posts: number, };

export type RevisionSummary = { 
/**
 * Revision id.
 */
id: number, 
/**
 * The post it belongs to.
 */
post_id: number, 
/**
 * Why it was recorded: `created`, `edit`, `status: ready`, `import`, `export: <path>`,
 * `before restore`, `restored from <time>`, …
 */
reason: string, 
/**
 * When its first save happened (RFC 3339); for a coalesced "edit", the start of the window.
 */
started_at: string, 
/**
 * When its text was last written (RFC 3339).
 */
created_at: string, 
/**
 * Prose words of its body.
 */
words: number, };

export type DiffKind = "equal" | "insert" | "delete";

export type DiffLine = { 
/**
 * Unchanged, inserted or deleted.
 */
kind: DiffKind, 
/**
 * 1-based line number in the older text (none for insertions).
 */
old_line: number | null, 
/**
 * 1-based line number in the newer text (none for deletions).
 */
new_line: number | null, 
/**
 * The line without its line break.
 */
text: string, };

export type DiffHunk = { 
/**
 * First line of the hunk in the older text (1-based).
 */
old_start: number, 
/**
 * Lines of the older text in the hunk.
 */
old_lines: number, 
/**
 * First line of the hunk in the newer text (1-based).
 */
new_start: number, 
/**
 * Lines of the newer text in the hunk.
 */
new_lines: number, 
/**
 * The lines.
 */
lines: Array<DiffLine>, };

export type RevisionDiff = { 
/**
 * The older side's revision id.
 */
revision_id: number, 
/**
 * The newer side's revision id; `None` when it is the post's current text.
 */
against_revision_id: number | null, 
/**
 * The post.
 */
post_id: number, 
/**
 * Lines only in the newer text.
 */
inserted: number, 
/**
 * Lines only in the older text.
 */
deleted: number, 
/**
 * The changes; empty when the texts are equal.
 */
hunks: Array<DiffHunk>, };

export type SyncedFile = { 
/**
 * Site-relative path.
 */
path: string, 
/**
 * The post.
 */
post_id: number, };

export type MovedFile = { 
/**
 * Where it was.
 */
from: string, 
/**
 * Where it is now.
 */
to: string, 
/**
 * The post.
 */
post_id: number, };

export type Conflict = { 
/**
 * The post.
 */
post_id: number, 
/**
 * Site-relative path of the file.
 */
path: string, 
/**
 * The post's text in Galley.
 */
ours: string, 
/**
 * The file's text on disk.
 */
theirs: string, 
/**
 * Line diff from ours (older side) to theirs (newer side).
 */
hunks: Array<DiffHunk>, 
/**
 * Lines only in theirs.
 */
inserted: number, 
/**
 * Lines only in ours.
 */
deleted: number, };

export type SyncReport = { 
/**
 * Posts that took the new text of their file (a new revision each).
 */
updated: Array<SyncedFile>, 
/**
 * New files imported as new posts.
 */
imported: Array<SyncedFile>, 
/**
 * Tracked files that moved; their posts follow.
 */
moved: Array<MovedFile>, 
/**
 * Tracked files now missing from the site (their posts stay).
 */
missing: Array<SyncedFile>, 
/**
 * Tracked files that were missing and are back.
 */
restored: Array<SyncedFile>, 
/**
 * Files with nothing new (e.g. Galley's own writes).
 */
unchanged: Array<string>, 
/**
 * Files of posts (images of a bundle, static images a post links to) that changed or
 * appeared and were taken into the library.
 */
assets: Array<SyncedFile>, 
/**
 * Files changed on both sides: nothing was overwritten.
 */
conflicts: Array<Conflict>, 
/**
 * Files that are not posts, or could not be read, with the reason.
 */
skipped: Array<Skipped>, 
/**
 * Every post whose text, file or missing state changed (refresh these in the editor and
 * the library list), sorted.
 */
changed_posts: Array<number>, 
/**
 * Problems met while keeping up with the folder that the writer should hear about (a
 * failed comparison at start, folders not watched), in words. Filled in by the app.
 */
notices: Array<string>, };

export type Resolution = "keep_mine" | "take_theirs" | "keep_both";

export type Resolved = { 
/**
 * The post of the conflict.
 */
post_id: number, 
/**
 * Site-relative path of the file.
 */
path: string, 
/**
 * The new post holding the disk text ([`Resolution::KeepBoth`]).
 */
new_post_id: number | null, 
/**
 * True when the file was rewritten ([`Resolution::KeepMine`]).
 */
written: boolean, };

export type ErrorKind = "not_found" | "invalid" | "library" | "io" | "conflict" | "storage" | "resync" | "internal";

export type CommandError = { 
/**
 * Machine-readable class.
 */
kind: ErrorKind, 
/**
 * What went wrong, in words.
 */
message: string, };

export type HighlightedBlock = { key: string, html: string, };

export type StatsUpdate = { revision: number, stats: Stats, };

export type TextChange = { from: number, to: number, insert: string, };

export type ListPage = { total: number, offset: number, posts: Array<PostSummary>, };

export type LibraryInfo = { path: string, };

export type SiteInfo = { folder: string | null, };

export type SiteCss = { path: string | null, css: string | null, 
/**
 * References that were not loaded, each with its reason.
 */
dropped: Array<string>, error: string | null, };

export type ImageSettings = { load_remote: boolean, };

export type DroppedImages = { names: Array<string>, x: number, y: number, error: string | null, };

export type OpenRequest = { "kind": "post", id: number, imported: boolean, notice: string | null, } | { "kind": "new_draft" } | { "kind": "failed", message: string, };

export type PaneLayout = { 
/**
 * The editor's share of the editor + preview width (0.2 to 0.8; the preview has the rest).
 */
editor_fraction: number, 
/**
 * Whether the library sidebar is hidden.
 */
library_hidden: boolean, };
