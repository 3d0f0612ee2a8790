// The CodeMirror 6 Markdown editor: one factory that builds the view with history, search,
// line wrapping and Markdown highlighting, and swaps documents without re-creating the view.
import { EditorState, type ChangeSet, type Extension } from "@codemirror/state";
import {
  EditorView,
  keymap,
  drawSelection,
  highlightActiveLine,
  highlightSpecialChars,
  placeholder,
  rectangularSelection,
  dropCursor,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab, redo, undo } from "@codemirror/commands";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { markdown, markdownLanguage } from "@codemirror/lang-markdown";
import { languages } from "@codemirror/language-data";
import { syntaxHighlighting, defaultHighlightStyle, HighlightStyle, bracketMatching, indentOnInput, syntaxTreeAvailable } from "@codemirror/language";
import { tags } from "@lezer/highlight";

/** Headings, emphasis and links styled for prose writing. */
const proseHighlight = HighlightStyle.define([
  { tag: tags.heading1, fontSize: "1.45em", fontWeight: "700" },
  { tag: tags.heading2, fontSize: "1.25em", fontWeight: "700" },
  { tag: tags.heading3, fontSize: "1.1em", fontWeight: "700" },
  { tag: [tags.heading4, tags.heading5, tags.heading6], fontWeight: "700" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strong, fontWeight: "700" },
  { tag: tags.strikethrough, textDecoration: "line-through" },
  { tag: tags.link, color: "var(--accent)" },
  { tag: tags.url, color: "var(--muted)" },
  { tag: tags.monospace, fontFamily: "var(--mono)", color: "var(--code-fg)" },
  { tag: tags.quote, color: "var(--muted)", fontStyle: "italic" },
  { tag: tags.processingInstruction, color: "var(--muted)" },
]);

/** Code inside fenced blocks (languages load on demand from @codemirror/language-data); the
 *  colours are CSS variables so the dark theme has its own. */
const codeHighlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword, tags.self], color: "var(--hl-keyword)" },
  { tag: [tags.string, tags.special(tags.string), tags.regexp, tags.character], color: "var(--hl-string)" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment, tags.docComment], color: "var(--hl-comment)", fontStyle: "italic" },
  { tag: [tags.number, tags.integer, tags.float, tags.bool, tags.null, tags.atom, tags.unit], color: "var(--hl-number)" },
  { tag: [tags.typeName, tags.className, tags.namespace, tags.standard(tags.typeName)], color: "var(--hl-type)" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName), tags.function(tags.definition(tags.variableName))], color: "var(--hl-function)" },
  { tag: [tags.meta, tags.annotation, tags.attributeName, tags.labelName], color: "var(--hl-meta)" },
  { tag: [tags.tagName, tags.propertyName], color: "var(--hl-property)" },
  { tag: tags.invalid, color: "var(--error)" },
]);

export interface EditorCallbacks {
  /** The text is about to change (called before the view redraws; do not read the text here).
   *  Gets the changes, not the text: turning a 300k-word document into a string on every
   *  keystroke costs milliseconds. */
  onChange: (changes: ChangeSet) => void;
  /** The editor lost focus (a good moment to save). */
  onBlur: () => void;
  /** Features that live in the view (scroll sync, the latency probe), added to every document. */
  extensions?: Extension[];
}

/** Builds the editor's extensions; one list shared by every document so undo, search etc. match. */
function extensions(callbacks: EditorCallbacks): Extension[] {
  return [
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    indentOnInput(),
    bracketMatching(),
    rectangularSelection(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    EditorView.lineWrapping,
    placeholder("Start writing…"),
    markdown({ base: markdownLanguage, codeLanguages: languages }),
    syntaxHighlighting(proseHighlight),
    syntaxHighlighting(codeHighlight),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
    EditorView.updateListener.of((update) => {
      if (update.focusChanged && !update.view.hasFocus) callbacks.onBlur();
    }),
    EditorView.contentAttributes.of({ spellcheck: "true", "aria-label": "Post body" }),
    ...(callbacks.extensions ?? []),
  ];
}

export interface Editor {
  /** Replaces the document with a fresh state (new undo history) for another post. */
  load(text: string): void;
  text(): string;
  /** Takes a new text from outside (the file changed on disk) as one undoable change: only the
   *  differing middle is replaced, so the cursor and the undo history survive. */
  replaceText(text: string): void;
  /** True once the Markdown parser has caught up with the visible lines. */
  parsedToViewport(): boolean;
  focus(): void;
  /** Applies one change as one transaction, as typing does (for the end-to-end tests). */
  edit(change: { from: number; to?: number; insert?: string }): void;
  /** Puts the cursor at `offset`, scrolls it into view and focuses the editor. */
  placeCursor(offset: number): void;
  /** The cursor's position. */
  cursor(): number;
  /** The number of the first line visible at the top of the editor. */
  topLine(): number;
  /** Inserts `text` at `at` (or over the selection when null) as one undoable change, then selects
   *  `text.slice(select[0], select[1])` and focuses the editor. */
  insertSnippet(text: string, at: number | null, select: [number, number]): void;
  /** The text offset under a point of the window (CSS pixels), or null when it is not over the text. */
  offsetAt(x: number, y: number): number | null;
  /** Undoes (or redoes) the last change, as Ctrl+Z (Ctrl+Shift+Z) does; false when there is none. */
  undo(): boolean;
  redo(): boolean;
}

export function createEditor(parent: HTMLElement, callbacks: EditorCallbacks): Editor {
  const shared = extensions(callbacks);
  const view = new EditorView({
    parent,
    state: EditorState.create({ doc: "", extensions: shared }),
    // Changes are reported before the view redraws, so the preview request leaves while
    // CodeMirror is still updating its DOM and the reply can land in the same frame.
    dispatchTransactions(transactions, editorView) {
      let changes: ChangeSet | null = null;
      for (const transaction of transactions) {
        if (transaction.docChanged) changes = changes ? changes.compose(transaction.changes) : transaction.changes;
      }
      try {
        if (changes) callbacks.onChange(changes);
      } finally {
        editorView.update(transactions);
      }
    },
  });
  return {
    load(text: string) {
      view.setState(EditorState.create({ doc: text, extensions: shared }));
    },
    text: () => view.state.doc.toString(),
    undo: () => undo(view),
    redo: () => redo(view),
    // After a jump into a long post CodeMirror parses in the background; until it has caught up,
    // each keystroke does some of that work.
    parsedToViewport: () => syntaxTreeAvailable(view.state, view.viewport.to),
    replaceText(text: string) {
      const old = view.state.doc.toString();
      if (old === text) return;
      let start = 0;
      const limit = Math.min(old.length, text.length);
      while (start < limit && old.charCodeAt(start) === text.charCodeAt(start)) start++;
      let oldEnd = old.length;
      let newEnd = text.length;
      while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
        oldEnd--;
        newEnd--;
      }
      view.dispatch({ changes: { from: start, to: oldEnd, insert: text.slice(start, newEnd) } });
    },
    focus: () => view.focus(),
    edit: (change) => view.dispatch({ changes: change }),
    placeCursor(offset: number) {
      view.focus();
      view.dispatch({ selection: { anchor: offset }, scrollIntoView: true });
    },
    cursor: () => view.state.selection.main.head,
    topLine: () => view.state.doc.lineAt(view.lineBlockAtHeight(view.scrollDOM.scrollTop + 2).from).number,
    insertSnippet(text, at, select) {
      const range = view.state.selection.main;
      const from = at ?? range.from;
      const to = at ?? range.to;
      view.dispatch({
        changes: { from, to, insert: text },
        selection: { anchor: from + select[0], head: from + select[1] },
        scrollIntoView: true,
        userEvent: "input.paste",
      });
      view.focus();
    },
    offsetAt: (x, y) => view.posAtCoords({ x, y }),
  };
}
