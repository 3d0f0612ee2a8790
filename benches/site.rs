//! Import and export of the Go blog corpus (336 posts: its README.md is the folder's own document
//! and is skipped): a fresh import into an empty library, a
//! re-import that finds everything unchanged, and exports with `keep` and `hugo` into an empty
//! folder (atomic writes with fsync included). Skips when the corpus is absent.
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use galley::export::{self, ExportOptions, Preset};
use galley::import;
use galley::library::Library;

fn corpus() -> Option<PathBuf> {
    let path = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("run through cargo")).join("../shared/corpus/go-blog");
    path.is_dir().then_some(path)
}

fn site(c: &mut Criterion) {
    let Some(corpus) = corpus() else {
        println!("skipped: the Go blog corpus is not at ../shared/corpus/go-blog");
        return;
    };
    let mut group = c.benchmark_group("site");
    group.sample_size(10);

    group.bench_function("import 336 posts into an empty library", |b| {
        b.iter_batched(
            || {
                let temp = tempfile::tempdir().expect("tempdir");
                let (library, _) = Library::open(&temp.path().join("l.sqlite3")).expect("library");
                (temp, library)
            },
            |(temp, mut library)| {
                let report = import::import_site(&mut library, &corpus, false).expect("import");
                assert_eq!(report.imported.len(), 336);
                (temp, library)
            },
            BatchSize::PerIteration,
        )
    });

    let temp = tempfile::tempdir().expect("tempdir");
    let (mut library, _) = Library::open(&temp.path().join("l.sqlite3")).expect("library");
    import::import_site(&mut library, &corpus, false).expect("import");
    group.bench_function("re-import 336 unchanged posts", |b| {
        b.iter(|| {
            let report = import::import_site(&mut library, &corpus, false).expect("import");
            assert_eq!(report.unchanged.len(), 336);
        })
    });

    for preset in [Preset::Keep, Preset::Hugo] {
        group.bench_function(format!("export 336 posts with {} into an empty folder", preset.as_str()), |b| {
            b.iter_batched(
                || tempfile::tempdir_in(temp.path()).expect("tempdir"),
                |out| {
                    let options = ExportOptions { site: out.path().join("site"), preset, status: None, post_ids: None };
                    let report = export::export_site(&mut library, &options, false).expect("export");
                    assert_eq!(report.created.len(), 336);
                    out
                },
                BatchSize::PerIteration,
            )
        });
    }

    let out = temp.path().join("site");
    let options = ExportOptions { site: out, preset: Preset::Keep, status: None, post_ids: None };
    export::export_site(&mut library, &options, false).expect("export");
    group.bench_function("export dry run, 336 files unchanged", |b| {
        b.iter(|| {
            let plan = export::plan(&library, &options).expect("plan");
            assert_eq!(plan.items.len(), 336);
        })
    });
    group.finish();
}

criterion_group!(benches, site);
criterion_main!(benches);
