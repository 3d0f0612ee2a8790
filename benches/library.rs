//! Library at scale: builds 10,000 drafts of about 2,000 words once (deterministic text) and
//! measures opening the library, list and index pages, searches, opening and saving a draft.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use galley::library::{Library, ListQuery, Sort, Status};

const POSTS: usize = 10_000;
const WORDS_PER_POST: usize = 2_000;
const PAGE: u32 = 50;

/// A small deterministic generator (xorshift64*), so every run builds the same library.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indexes, like word frequencies.
    fn skewed(&mut self, n: usize) -> usize {
        let x = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((x * x * x) * n as f64) as usize % n
    }
}

const COMMON: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "it", "for", "on", "with", "as", "this", "by", "be", "are", "from", "at", "or",
    "an", "which", "when", "we", "can", "but", "not", "all", "each", "its", "into", "then", "only", "one", "two", "every", "more", "than",
    "what", "how", "where", "there", "so", "if", "no", "out",
];

const TECHNICAL: &[&str] = &[
    "goroutine",
    "scheduler",
    "channel",
    "mutex",
    "allocator",
    "garbage",
    "collector",
    "heap",
    "stack",
    "pointer",
    "kernel",
    "syscall",
    "interrupt",
    "register",
    "cache",
    "line",
    "page",
    "table",
    "thread",
    "process",
    "signal",
    "socket",
    "buffer",
    "queue",
    "latency",
    "throughput",
    "benchmark",
    "profile",
    "trace",
    "probe",
    "verifier",
    "bytecode",
    "compiler",
    "linker",
    "loader",
    "symbol",
    "relocation",
    "instruction",
    "pipeline",
    "branch",
    "predictor",
    "memory",
    "barrier",
    "atomic",
    "lock",
    "contention",
    "replica",
    "leader",
    "follower",
    "quorum",
    "consensus",
    "partition",
    "shard",
    "index",
    "snapshot",
    "journal",
    "checkpoint",
    "compaction",
    "segment",
    "request",
    "response",
    "timeout",
    "retry",
    "backoff",
    "budget",
    "deadline",
    "context",
    "cancellation",
    "interface",
    "method",
    "closure",
    "generic",
    "type",
    "value",
    "struct",
    "field",
    "slice",
    "map",
    "array",
    "runtime",
    "preemption",
    "park",
    "steal",
    "spin",
    "futex",
    "epoll",
    "descriptor",
    "vector",
    "calling",
    "convention",
    "frame",
    "prologue",
    "epilogue",
    "callee",
    "caller",
    "argument",
    "return",
    "overflow",
];

const TAGS: &[&str] = &[
    "go",
    "runtime",
    "gc",
    "linux",
    "ebpf",
    "kernel",
    "asm",
    "x86",
    "arm64",
    "networking",
    "databases",
    "sqlite",
    "distributed",
    "raft",
    "performance",
    "profiling",
    "compilers",
    "rust",
    "memory",
    "concurrency",
];

fn sentence(rng: &mut Rng, out: &mut String, words: &mut usize) {
    let length = 8 + rng.below(18);
    for i in 0..length {
        let word = if rng.below(3) == 0 { TECHNICAL[rng.skewed(TECHNICAL.len())] } else { COMMON[rng.skewed(COMMON.len())] };
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push_str(". ");
    *words += length;
}

fn post_text(index: usize, rng: &mut Rng) -> (String, Status) {
    let topic = TECHNICAL[rng.below(TECHNICAL.len())];
    let other = TECHNICAL[rng.below(TECHNICAL.len())];
    let year = 2010 + rng.below(16);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let date = match index % 100 {
        0 => "someday".to_string(),
        1..=20 => format!("{year}-{month:02}-{day:02}T{:02}:30:00+02:00", rng.below(24)),
        _ => format!("{year}-{month:02}-{day:02}"),
    };
    let tags: Vec<&str> = (0..2 + rng.below(3)).map(|_| TAGS[rng.below(TAGS.len())]).collect();
    let mut body = String::with_capacity(WORDS_PER_POST * 8);
    let mut words = 0;
    let mut summary = String::new();
    sentence(rng, &mut summary, &mut 0);
    while words < WORDS_PER_POST {
        if rng.below(6) == 0 {
            body.push_str(&format!("## The {topic} and the {}\n\n", TECHNICAL[rng.below(TECHNICAL.len())]));
        }
        if rng.below(10) == 0 {
            body.push_str("```go\nfunc main() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n\t<-ch\n}\n```\n\n");
        }
        for _ in 0..3 + rng.below(5) {
            sentence(rng, &mut body, &mut words);
        }
        if index % 2_000 == 7 && words < 200 {
            body.push_str("A zanzibar appears here. ");
        }
        body.push_str("\n\n");
    }
    let status = match index % 10 {
        0 => Status::Published,
        1 | 2 => Status::Ready,
        _ => Status::Draft,
    };
    let text = format!(
        "---\ntitle: \"{} {topic} {other} notes #{index}\"\ndate: {date}\ncategory: Blog\nsummary: \"{}\"\ntags: [{}]\n---\n{body}",
        if index.is_multiple_of(3) { "On the" } else { "Notes on the" },
        summary.trim(),
        tags.join(", ")
    );
    (text, status)
}

/// Builds the library once (or reuses `$GALLEY_BENCH_LIBRARY` when that file exists).
fn build() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(path) = std::env::var_os("GALLEY_BENCH_LIBRARY").map(PathBuf::from) {
        if path.exists() {
            eprintln!("reusing {}", path.display());
            return (None, path);
        }
        build_into(&path);
        return (None, path);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("library.sqlite3");
    build_into(&path);
    (Some(dir), path)
}

fn build_into(path: &Path) {
    let started = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut by_status: Vec<(Status, Vec<String>)> =
        vec![(Status::Draft, Vec::new()), (Status::Ready, Vec::new()), (Status::Published, Vec::new())];
    let mut total_words = 0usize;
    for index in 0..POSTS {
        let (text, status) = post_text(index, &mut rng);
        total_words += text.split_whitespace().count();
        if let Some((_, texts)) = by_status.iter_mut().find(|(s, _)| *s == status) {
            texts.push(text);
        }
    }
    let generated = started.elapsed();
    let (mut library, _) = Library::open(path).expect("open");
    for (status, texts) in &by_status {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        library.create_posts(&refs, *status, "created").expect("bulk insert");
    }
    drop(library);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(path.with_extension("sqlite3-wal")).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "built {POSTS} posts, {} words on average, in {:.1?} (text generated in {:.1?}); file {} MB",
        total_words / POSTS,
        started.elapsed(),
        generated,
        size / 1_000_000
    );
}

fn page(query: ListQuery) -> ListQuery {
    ListQuery { limit: Some(PAGE), ..query }
}

/// Median and 95th percentile of `runs` timed calls, in milliseconds.
fn quantiles(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[runs / 2], times[runs * 95 / 100])
}

fn main() {
    let (_dir, path) = build();
    let (mut library, _) = Library::open(&path).expect("open");
    let ids: Vec<i64> = library.list_page(&page(ListQuery::default())).expect("list").iter().map(|p| p.id).collect();
    let mut next = 0usize;

    type Case<'a> = (&'a str, Box<dyn Fn(&Library) + 'a>);
    let cases: Vec<Case> = vec![
        (
            "list first page (modified, 50)",
            Box::new(|l: &Library| {
                assert_eq!(l.list_page(&page(ListQuery::default())).expect("list").len(), PAGE as usize);
            }),
        ),
        (
            "index first page (date desc, 50)",
            Box::new(|l: &Library| {
                assert_eq!(l.index_entries(&page(ListQuery::default())).expect("index").len(), PAGE as usize);
            }),
        ),
        (
            "list page 100 (offset 4950, title)",
            Box::new(|l: &Library| {
                let query = ListQuery { sort: Sort::TitleAsc, offset: 4_950, ..page(ListQuery::default()) };
                assert_eq!(l.list_page(&query).expect("list").len(), PAGE as usize);
            }),
        ),
        (
            "list drafts tagged sqlite (date, 50)",
            Box::new(|l: &Library| {
                let query = ListQuery {
                    status: Some(Status::Draft),
                    tag: Some("sqlite".into()),
                    sort: Sort::DateDesc,
                    ..page(ListQuery::default())
                };
                assert_eq!(l.list_page(&query).expect("list").len(), PAGE as usize);
            }),
        ),
        (
            "list oldest first (date asc, 50)",
            Box::new(|l: &Library| {
                let query = ListQuery { sort: Sort::DateAsc, ..page(ListQuery::default()) };
                assert_eq!(l.list_page(&query).expect("list").len(), PAGE as usize);
            }),
        ),
        (
            "count all",
            Box::new(|l: &Library| {
                assert_eq!(l.count(&ListQuery::default()).expect("count"), POSTS as u64);
            }),
        ),
        (
            "search \"goroutine scheduler\" (relevance, 50)",
            Box::new(|l: &Library| {
                let query = ListQuery { text: Some("goroutine scheduler".into()), ..page(ListQuery::default()) };
                assert_eq!(l.list_page(&query).expect("search").len(), PAGE as usize);
            }),
        ),
        (
            "search phrase \"goroutine scheduler\" (relevance, 50; words in every post)",
            Box::new(|l: &Library| {
                let query = ListQuery { text: Some("\"goroutine scheduler\"".into()), ..page(ListQuery::default()) };
                l.list_page(&query).expect("search");
            }),
        ),
        (
            "count phrase \"goroutine scheduler\" (words in every post)",
            Box::new(|l: &Library| {
                l.count(&ListQuery { text: Some("\"goroutine scheduler\"".into()), ..ListQuery::default() }).expect("count");
            }),
        ),
        (
            "search \"sc\" (2-letter prefix while typing, 50)",
            Box::new(|l: &Library| {
                let query = ListQuery { text: Some("sc".into()), ..page(ListQuery::default()) };
                assert_eq!(l.list_page(&query).expect("search").len(), PAGE as usize);
            }),
        ),
        (
            "search \"zanzibar\" (rare word)",
            Box::new(|l: &Library| {
                assert_eq!(l.search("zanzibar").expect("search").len(), POSTS / 2_000);
            }),
        ),
        (
            "search \"the\" (in every post, 50)",
            Box::new(|l: &Library| {
                let query = ListQuery { text: Some("the".into()), ..page(ListQuery::default()) };
                assert_eq!(l.list_page(&query).expect("search").len(), PAGE as usize);
            }),
        ),
        (
            "search \"quorum\" by date (50)",
            Box::new(|l: &Library| {
                let query = ListQuery { text: Some("quorum".into()), sort: Sort::DateDesc, ..page(ListQuery::default()) };
                assert_eq!(l.list_page(&query).expect("search").len(), PAGE as usize);
            }),
        ),
    ];

    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    criterion.bench_function("library/open", |b| {
        b.iter(|| Library::open(&path).expect("open"));
    });
    for (name, case) in &cases {
        criterion.bench_function(&format!("library/{name}"), |b| b.iter(|| case(&library)));
    }
    criterion.bench_function("library/open a draft", |b| {
        b.iter(|| {
            next = (next + 1) % ids.len();
            library.post(ids[next]).expect("post")
        })
    });
    criterion.final_summary();

    // One table of medians for BENCHMARKS.md, measured the same way for every case.
    let mut rows = Vec::new();
    rows.push(("open the library".to_string(), quantiles(51, || drop(Library::open(&path).expect("open")))));
    for (name, case) in &cases {
        rows.push((name.to_string(), quantiles(51, || case(&library))));
    }
    let mut id = 0usize;
    rows.push((
        "open a draft".to_string(),
        quantiles(201, || {
            id = (id + 7) % ids.len();
            library.post(ids[id]).expect("post");
        }),
    ));
    rows.push((
        "list everything (list(None), 10k rows)".to_string(),
        quantiles(5, || {
            assert_eq!(library.list(None).expect("list").len(), POSTS);
        }),
    ));
    let draft = ids[0];
    let body = library.post(draft).expect("post").body;
    let mut typed = 0usize;
    rows.push((
        "autosave a draft (save_body)".to_string(),
        quantiles(51, || {
            typed += 1;
            library.save_body(draft, &format!("{body}{}", "x".repeat(typed))).expect("save");
        }),
    ));
    println!("\n| operation (10,000 posts × ~2,000 words) | median | p95 |\n|---|---:|---:|");
    for (name, (median, p95)) in rows {
        println!("| {name} | {median:.2} ms | {p95:.2} ms |");
    }
}
