//! Compiles the protos in proto/ with a vendored protoc, so a machine with only the
//! Rust toolchain can build canonym, and lists the files of data/ so the binary can
//! embed the built-in alias table.

use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    compile_protos()?;
    embed_builtin_table()?;
    Ok(())
}

fn compile_protos() -> Result<(), Box<dyn std::error::Error>> {
    // The vendored binary means no system protoc; setting PROTOC is how prost-build finds it.
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    env::set_var("PROTOC", protoc);
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let protos = proto_files(Path::new("proto"))?;
    tonic_prost_build::configure()
        .file_descriptor_set_path(out_dir.join("canonym_descriptor.bin"))
        .compile_protos(&protos, &[PathBuf::from("proto")])?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}

fn proto_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    collect(dir, &mut files, &|p| p.extension().is_some_and(|e| e == "proto"))?;
    files.sort();
    Ok(files)
}

/// Writes `builtin_table.rs`: a slice of (path relative to data/, contents) for every
/// table file, so the built-in table is the same bytes as data/ at build time.
fn embed_builtin_table() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new("data");
    let mut files = Vec::new();
    collect(data, &mut files, &|p| {
        matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "jsonl" | "ndjson" | "csv" | "tsv"))
    })?;
    files.sort();
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let mut code = String::from("&[\n");
    for file in &files {
        let rel = file.strip_prefix(data)?.to_string_lossy().replace('\\', "/");
        let abs = manifest.join(file);
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", abs.to_string_lossy()));
    }
    code.push_str("]\n");
    fs::write(PathBuf::from(env::var("OUT_DIR")?).join("builtin_table.rs"), code)?;
    println!("cargo:rerun-if-changed=data");
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, out, keep)?;
        } else if keep(&path) {
            out.push(path);
        }
    }
    Ok(())
}
