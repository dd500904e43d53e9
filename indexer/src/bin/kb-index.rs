//! `kb-index`: check a corpus, build its index, measure relevance.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use kb_indexer::synonyms::Synonyms;
use kb_indexer::vocabulary::Vocabularies;
use kb_indexer::{builder, cjk, cluster, corpus::Corpus, eval, query};

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
    /// Measure relevance on TREC-style collections (docs.jsonl, queries.tsv, qrels.txt).
    Eval {
        /// A collection folder (repeatable).
        #[arg(long)]
        collection: Vec<PathBuf>,
        /// A folder whose subfolders are collections: every one is measured.
        #[arg(long)]
        suite: Option<PathBuf>,
        /// Write one TREC run file per collection here (`<name>.run`).
        #[arg(long)]
        run_dir: Option<PathBuf>,
        /// Corpus folder whose synonyms and vocabularies the queries use, as the server's do.
        #[arg(long, env = "KB_CORPUS", default_value = "corpus")]
        corpus: PathBuf,
        /// Language code of the collections' documents (selects the analysis).
        #[arg(long, default_value = "en")]
        language: String,
        /// Change a ranking weight for this run, `NAME=VALUE` (repeatable), to
        /// measure an alternative to the defaults.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Rank over the corpus folder's resources instead of each
        /// collection's `docs.jsonl` (which it then does not need).
        #[arg(long)]
        over_corpus: bool,
        /// With `--over-corpus`: `off` indexes Welsh resources as plain
        /// words, without folding initial mutations, to measure what folding brings.
        #[arg(long, default_value = "on", value_parser = ["on", "off"])]
        welsh_folding: String,
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
            // As the server reads it: hits' texts come from the corpus files.
            let schema = kb_indexer::schema::KbSchema::with_japanese(cjk::Japanese::new(
                &data.join("dictionaries"),
            ))
            .texts_in(&corpus);
            let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let started = std::time::Instant::now();
            let (report, loaded) = builder::build_in_dir(&corpus, &data.join("index"), &schema, progress)?;
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
            suite,
            run_dir,
            corpus,
            language,
            params,
            format,
            over_corpus,
            welsh_folding,
        } => {
            // Welsh resources without folding: the baseline folding is measured against.
            let over = over_corpus.then_some(if welsh_folding == "off" {
                eval::WelshFolding::Off
            } else {
                eval::WelshFolding::On
            });
            eval_command(
                collection,
                suite,
                run_dir,
                (&corpus, over),
                language,
                &params,
                format,
            )
        }
    }
}

/// `kb-index eval`: every collection named, one table.
fn eval_command(
    mut collections: Vec<PathBuf>,
    suite: Option<PathBuf>,
    run_dir: Option<PathBuf>,
    // The corpus folder (synonyms, vocabularies), and whether to rank over
    // its resources instead of each collection's `docs.jsonl`.
    (corpus, over_corpus): (&std::path::Path, Option<eval::WelshFolding>),
    language: String,
    params: &[String],
    format: Format,
) -> anyhow::Result<ExitCode> {
    if let Some(suite) = &suite {
        let mut found: Vec<PathBuf> = std::fs::read_dir(suite)
            .map_err(|e| anyhow::anyhow!("{}: {e}", suite.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.join("docs.jsonl").is_file())
            .collect();
        found.sort();
        if found.is_empty() {
            anyhow::bail!(
                "{}: no collection folders (with docs.jsonl) inside",
                suite.display()
            );
        }
        collections.extend(found);
    }
    if collections.is_empty() {
        anyhow::bail!(
            "name a collection with --collection DIR or a folder of them with --suite DIR"
        );
    }
    let mut weights = query::Weights::default();
    for param in params {
        let (name, value) = param
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--param `{param}`: write NAME=VALUE"))?;
        let value: f32 = value
            .parse()
            .map_err(|_| anyhow::anyhow!("--param `{param}`: `{value}` is not a number"))?;
        weights.set(name, value).map_err(anyhow::Error::msg)?;
    }
    let settings = eval::Settings {
        language: language.clone(),
        synonyms: Synonyms::load(&corpus.join(kb_indexer::synonyms::SYNONYMS_FILE))?,
        vocab: Vocabularies::load(&corpus.join(kb_indexer::corpus::VOCABULARIES_FILE))?,
        weights,
    };
    if let Some(dir) = &run_dir {
        std::fs::create_dir_all(dir)?;
    }
    let mut rows = Vec::new();
    for dir in &collections {
        let name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let ranking = match over_corpus {
            Some(folding) => eval::run_corpus(corpus, dir, &settings, folding)?,
            None => eval::run(dir, &settings)?,
        };
        for (qid, reason) in &ranking.refused {
            eprintln!("{name}: query {qid} refused: {reason}");
        }
        let qrels = eval::read_qrels(&dir.join("qrels.txt"))?;
        let metrics = eval::score(&ranking.run, &qrels);
        if let Some(out) = &run_dir {
            let path = out.join(format!("{name}.run"));
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
            eval::write_run(&ranking.run, &mut file, "kb")?;
            std::io::Write::flush(&mut file)?;
        }
        rows.push((name, metrics));
    }
    let n = rows.len() as f64;
    let mean = |f: fn(&eval::Metrics) -> f64| rows.iter().map(|(_, m)| f(m)).sum::<f64>() / n;
    if format == Format::Json {
        let collections: Vec<serde_json::Value> = rows
            .iter()
            .map(|(name, m)| {
                serde_json::json!({
                    "collection": name, "queries": m.queries, "ndcg10": m.ndcg10,
                    "map": m.map, "recall100": m.recall100, "mrr10": m.mrr10,
                })
            })
            .collect();
        let report = serde_json::json!({
            "collections": collections,
            "mean": {
                "ndcg10": mean(|m| m.ndcg10), "map": mean(|m| m.map),
                "recall100": mean(|m| m.recall100), "mrr10": mean(|m| m.mrr10),
            },
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{:<14} {:>7} {:>8} {:>8} {:>10} {:>8}",
            "collection", "queries", "nDCG@10", "MAP", "Recall@100", "MRR@10"
        );
        for (name, m) in &rows {
            println!(
                "{:<14} {:>7} {:>8.4} {:>8.4} {:>10.4} {:>8.4}",
                name, m.queries, m.ndcg10, m.map, m.recall100, m.mrr10
            );
        }
        if rows.len() > 1 {
            println!(
                "{:<14} {:>7} {:>8.4} {:>8.4} {:>10.4} {:>8.4}",
                "mean",
                "",
                mean(|m| m.ndcg10),
                mean(|m| m.map),
                mean(|m| m.recall100),
                mean(|m| m.mrr10)
            );
        }
        if language == "ja" {
            println!("japanese: {}", cjk::japanese_mode());
        }
    }
    Ok(ExitCode::SUCCESS)
}
