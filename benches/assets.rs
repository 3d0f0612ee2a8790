//! Import of a site with 400 images (issue 12): a Hugo site of 40 leaf bundles, each with ten
//! generated PNGs of about 40 KB (distinct pixels, so nothing is deduplicated), into an empty
//! library; and the keep export of the same library into an empty folder (files written with fsync).
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use galley::export::{self, ExportOptions, Preset};
use galley::import;
use galley::library::Library;

fn png(seed: u32) -> Vec<u8> {
    let (width, height) = (128u32, 100u32);
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().expect("png header");
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        let pixels: Vec<u8> = (0..width * height * 3)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        writer.write_image_data(&pixels).expect("png data");
    }
    out
}

fn write_site(root: &Path) -> u64 {
    let mut bytes = 0;
    std::fs::write(root.join("hugo.toml"), "title = 'bench'\n").expect("config");
    for post in 0..40u32 {
        let dir = root.join(format!("content/posts/post-{post}"));
        std::fs::create_dir_all(&dir).expect("bundle");
        let links: String = (0..10).map(|n| format!("![figure {n}](figure-{n}.png)\n\n")).collect();
        std::fs::write(dir.join("index.md"), format!("---\ntitle: Post {post}\n---\n\n{links}")).expect("post");
        for n in 0..10u32 {
            let image = png(post * 10 + n + 1);
            bytes += image.len() as u64;
            std::fs::write(dir.join(format!("figure-{n}.png")), image).expect("image");
        }
    }
    bytes
}

fn assets(c: &mut Criterion) {
    let site = tempfile::tempdir().expect("tempdir");
    let bytes = write_site(site.path());
    println!("site: 40 bundles, 400 PNGs, {} KiB of images", bytes / 1024);
    let mut group = c.benchmark_group("assets");
    group.sample_size(10);
    group.bench_function("import a site with 400 images", |b| {
        b.iter_batched(
            || {
                let temp = tempfile::tempdir().expect("tempdir");
                let (library, _) = Library::open(&temp.path().join("l.sqlite3")).expect("library");
                (temp, library)
            },
            |(temp, mut library)| {
                let report = import::import_site(&mut library, site.path(), false).expect("import");
                assert_eq!(report.assets.len(), 400);
                (temp, library)
            },
            BatchSize::PerIteration,
        )
    });
    let library_dir = tempfile::tempdir().expect("tempdir");
    let (mut library, _) = Library::open(&library_dir.path().join("l.sqlite3")).expect("library");
    import::import_site(&mut library, site.path(), false).expect("import");
    group.bench_function("export 40 posts with 400 images (keep, empty folder)", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("tempdir"),
            |out| {
                let options = ExportOptions { site: out.path().to_path_buf(), preset: Preset::Keep, status: None, post_ids: None };
                let report = export::export_site(&mut library, &options, false).expect("export");
                assert_eq!(report.assets_written.len(), 400);
                out
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, assets);
criterion_main!(benches);
