//! The Dockerfile and compose file stay consistent with the workspace (no
//! Docker engine runs here, so the image itself cannot be built in CI).

use kb_tests::workspace;

/// Every path the Dockerfile copies from the build context exists, the
/// binaries it ships are the workspace's, and it serves on the port it exposes.
#[test]
fn dockerfile_matches_the_workspace() {
    let dockerfile = std::fs::read_to_string(workspace().join("Dockerfile")).expect("Dockerfile");
    let mut copies = 0;
    for line in dockerfile.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("COPY ") else {
            continue;
        };
        if rest.contains("--from=") {
            for binary in ["kb-server", "kb-index"] {
                assert!(rest.contains(&format!("release/{binary}")), "{line}");
            }
            continue;
        }
        let parts: Vec<&str> = rest
            .split_whitespace()
            .filter(|p| !p.starts_with("--"))
            .collect();
        for source in &parts[..parts.len() - 1] {
            assert!(
                workspace().join(source).exists(),
                "Dockerfile copies {source}, which does not exist"
            );
            copies += 1;
        }
    }
    assert!(
        copies >= 4,
        "expected the manifests, crates and corpus to be copied"
    );
    for member in ["indexer", "server", "tests"] {
        assert!(
            dockerfile.contains(&format!("COPY {member} {member}")),
            "workspace member {member} not copied"
        );
    }
    assert!(
        dockerfile.contains("mecab-ipadic")
            && dockerfile.contains("USER kb")
            && dockerfile.contains("HEALTHCHECK")
    );
    assert!(dockerfile.contains("KB_BIND=0.0.0.0:8080") && dockerfile.contains("EXPOSE 8080"));
    let compose = std::fs::read_to_string(workspace().join("compose.yaml")).expect("compose.yaml");
    assert!(compose.contains("8080:8080") && compose.contains("/data"));
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README");
    assert!(readme.contains("cargo run --release") && readme.contains("bash scripts/test.sh"));
}
