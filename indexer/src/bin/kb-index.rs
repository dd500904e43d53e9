//! `kb-index`: check a corpus, build its index, measure relevance.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use kb_indexer::{builder, cjk, cluster, corpus::Corpus, eval};

/// A small runtime for the PostgreSQL commands.
fn cluster_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Check, index and evaluate the library knowledge base corpus.
#[derive(Parser)]
#[command(name = "kb-index", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Validate every resource and list all problems; exit 1 if there are any.
    Check {
        /// Corpus folder.
        #[arg(long, env = "KB_CORPUS", default_value = "corpus")]
        corpus: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Build or update the index (only changed files are reindexed).
    Build {
        /// Corpus folder.
        #[arg(long, env = "KB_CORPUS", default_value = "corpus")]
        corpus: PathBuf,
        /// Data folder; the index goes in `<data>/index`.
        #[arg(long, env = "KB_DATA", default_value = "data")]
        data: PathBuf,
    },
    /// Load a corpus folder into PostgreSQL (cluster mode), after the same
    /// checks as `check`; idempotent by id (unchanged resources are skipped).
    Import {
        /// Corpus folder.
        #[arg(long, env = "KB_CORPUS", default_value = "corpus")]
        corpus: PathBuf,
        /// PostgreSQL URL, e.g. `postgres://kb@127.0.0.1:5432/kb`.
        #[arg(long, env = "KB_DATABASE_URL")]
        database_url: String,
    },
    /// Write every resource stored in PostgreSQL back as a corpus folder.
    Export {
        /// PostgreSQL URL.
        #[arg(long, env = "KB_DATABASE_URL")]
        database_url: String,
        /// Output folder (created); files go to their corpus paths under it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Generate a deterministic scale corpus for benchmarks.
    Gen {
        /// Number of resources.
        #[arg(long)]
        count: usize,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output folder (created).
        #[arg(long)]
        out: PathBuf,
        /// Corpus whose vocabularies and tags to use.
        #[arg(long, default_value = "corpus")]
        template: PathBuf,
        /// Also write the documents as JSON lines here (for peer engines).
        #[arg(long)]
        jsonl: Option<PathBuf>,
    },
    /// Build the Japanese dictionary (IPADIC from mecab-ipadic) into `<data>/dictionaries`.
    Dict {
        /// Data folder.
        #[arg(long, env = "KB_DATA", default_value = "data")]
        data: PathBuf,
    },
    /// Measure relevance on a TREC-style collection (docs.jsonl, queries.tsv, qrels.txt).
    Eval {
        /// Collection folder.
        #[arg(long)]
        collection: PathBuf,
        /// Rank over this corpus folder's resources instead of `docs.jsonl`
        /// (the collection then needs only queries.tsv and qrels.txt).
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// With `--corpus`: `off` indexes Welsh resources as plain words,
        /// without folding initial mutations, to measure what folding brings.
        #[arg(long, default_value = "on", value_parser = ["on", "off"])]
        welsh_folding: String,
        /// Also write a TREC run file here.
        #[arg(long)]
        run: Option<PathBuf>,
        /// Language code of the collection's documents (selects the analysis).
        #[arg(long, default_value = "en")]
        language: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check { corpus, format } => {
            let loaded = Corpus::load(&corpus)?;
            let japanese = loaded
                .entries
                .iter()
                .filter(|e| e.resource.language == "ja")
                .count();
            if japanese > 0
                && !std::path::Path::new(cjk::IPADIC_SOURCE)
                    .join("matrix.def")
                    .exists()
            {
                eprintln!(
                    "note: {japanese} Japanese resources will be indexed with character bigrams because {} is missing; \
                     install it with `apt-get install mecab-ipadic` for word-level Japanese search",
                    cjk::IPADIC_SOURCE
                );
            }
            if format == Format::Json {
                let report = serde_json::json!({
                    "resources": loaded.entries.len(),
                    "errors": loaded.problems,
                });
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for problem in &loaded.problems {
                    println!("{problem}");
                }
                let files: std::collections::BTreeSet<&str> =
                    loaded.problems.iter().map(|p| p.file.as_str()).collect();
                println!(
                    "{} valid resources, {} problems in {} files",
                    loaded.entries.len(),
                    loaded.problems.len(),
                    files.len()
                );
            }
            Ok(if loaded.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Import {
            corpus,
            database_url,
        } => cluster_runtime()?.block_on(async {
            let started = std::time::Instant::now();
            let mut client = cluster::connect(&database_url).await?;
            cluster::migrate(&mut client).await?;
            match cluster::import(&mut client, &corpus).await {
                Ok(report) => {
                    let seconds = started.elapsed().as_secs_f64();
                    println!(
                        "imported in {seconds:.2}s: {} written, {} unchanged ({:.0} resources/s)",
                        report.written,
                        report.unchanged,
                        (report.written + report.unchanged) as f64 / seconds.max(1e-9)
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(cluster::ClusterError::Invalid(problems)) => {
                    for problem in &problems {
                        println!("{problem}");
                    }
                    println!(
                        "{} problems: nothing was imported; fix them (see `kb-index check`) and run again",
                        problems.len()
                    );
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }),
        Command::Export { database_url, out } => cluster_runtime()?.block_on(async {
            let client = cluster::connect(&database_url).await?;
            let count = cluster::export(&client, &out).await?;
            println!("{count} resources written to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }),
        Command::Gen {
            count,
            seed,
            out,
            template,
            jsonl,
        } => {
            let started = std::time::Instant::now();
            kb_indexer::generate::generate(&template, &out, count, seed, jsonl.as_deref())
                .map_err(anyhow::Error::msg)?;
            println!(
                "{count} resources written to {} in {:.1}s",
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Dict { data } => {
            let cache = data.join("dictionaries");
            let built = cjk::build_dictionary(std::path::Path::new(cjk::IPADIC_SOURCE), &cache)
                .map_err(anyhow::Error::msg)?;
            println!("Japanese dictionary ready in {}", built.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Build { corpus, data } => {
            cjk::init(&data.join("dictionaries"));
            let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let started = std::time::Instant::now();
            let (report, loaded) = builder::build_in_dir(&corpus, &data.join("index"), progress)?;
            for problem in &loaded.problems {
                eprintln!("skipped: {problem}");
            }
            println!(
                "{} in {:.2}s: {} added, {} updated, {} deleted, {} unchanged, {} invalid",
                if report.full {
                    "full build"
                } else {
                    "incremental build"
                },
                started.elapsed().as_secs_f64(),
                report.added,
                report.updated,
                report.deleted,
                report.unchanged,
                report.invalid
            );
            Ok(if loaded.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Eval {
            collection,
            corpus,
            welsh_folding,
            run,
            language,
        } => {
            let ranked = match corpus {
                Some(corpus) => {
                    let folding = if welsh_folding == "off" {
                        eval::WelshFolding::Off
                    } else {
                        eval::WelshFolding::On
                    };
                    eval::run_corpus(&corpus, &collection, folding)?
                }
                None => eval::run(&collection, &language)?,
            };
            let qrels = eval::read_qrels(&collection.join("qrels.txt"))?;
            let metrics = eval::score(&ranked, &qrels);
            if let Some(path) = run {
                let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
                eval::write_run(&ranked, &mut out, "kb")?;
            }
            println!("queries: {}", metrics.queries);
            println!("nDCG@10: {:.4}", metrics.ndcg10);
            println!("MAP: {:.4}", metrics.map);
            println!("Recall@100: {:.4}", metrics.recall100);
            println!("MRR@10: {:.4}", metrics.mrr10);
            if language == "ja" {
                println!("japanese: {}", cjk::japanese_mode());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
