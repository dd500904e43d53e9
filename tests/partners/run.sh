#!/usr/bin/env bash
# Partner-portal tests with real clients (Sickle, feedparser, lxml).
#
#   tests/partners/run.sh [BASE_URL]
#
# With BASE_URL, tests that running server (API-key checks are then skipped
# unless KB_API_KEY holds a key of that server). Without it, builds and
# starts target/debug/kb-server on a free port over the repository's corpus
# with a temporary --data folder holding a fresh key from `kb-server key create`, and stops
# it afterwards. Exits non-zero on failure.
#
# Environment: PARTNERS_VENV (default /tmp/partners-venv) is created and
# filled from requirements.txt when missing; KB_SERVER_BIN overrides the
# server binary.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PARTNERS_VENV:-/tmp/partners-venv}"
work="$(mktemp -d)"
server_pid=""

cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"

# The OAI-PMH 2.0 schema, as shipped in the pyoai source package's tests.
xsd_dir="$venv/share/oai-pmh-xsd"
if [[ ! -f "$xsd_dir/OAI-PMH.xsd" ]]; then
    mkdir -p "$xsd_dir"
    if "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
        --no-binary :all: pyoai==2.5.0 -d "$work/pyoai" \
        && tar -xzf "$work/pyoai"/pyoai-2.5.0.tar.gz -C "$work/pyoai"; then
        cp "$work/pyoai/pyoai-2.5.0/src/oaipmh/tests/OAI-PMH.xsd" "$xsd_dir/"
    else
        echo "warning: could not fetch the OAI-PMH schema from pyoai" >&2
    fi
fi
export KB_OAI_XSD="$xsd_dir/OAI-PMH.xsd"

if [[ $# -ge 1 ]]; then
    export KB_BASE_URL="${1%/}"
else
    bin="${KB_SERVER_BIN:-$root/target/debug/kb-server}"
    if [[ -z "${KB_SERVER_BIN:-}" ]]; then
        (cd "$root" && cargo build --quiet -p kb-server --bins)
    fi
    port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    export KB_BASE_URL="http://127.0.0.1:$port"
    mkdir -p "$work/data"
    KB_API_KEY="$("$bin" --data "$work/data" key create --name pytest --role partner --rate-limit 1000 2>/dev/null | tail -n 1)"
    export KB_API_KEY
    # schemathesis sends thousands of anonymous submissions; the per-address
    # limit itself is tested by the server's HTTP tests.
    "$bin" --corpus "$root/corpus" --data "$work/data" --bind "127.0.0.1:$port" \
        --base-url "$KB_BASE_URL" --submissions-per-minute 1000000 >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 240); do
        if curl -fsS "$KB_BASE_URL/api/v1/facets" >/dev/null 2>&1; then
            break
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "kb-server exited early:" >&2
            cat "$work/server.log" >&2
            exit 1
        fi
        sleep 0.5
    done
    curl -fsS "$KB_BASE_URL/api/v1/facets" >/dev/null || {
        echo "kb-server did not start:" >&2
        cat "$work/server.log" >&2
        exit 1
    }
fi

cd "$here"
"$venv/bin/python" -m pytest -q -p no:cacheprovider test_partners.py

# Property-based API testing from our own OpenAPI document: every check on
# every operation, 200 generated requests each; it fails on any 5xx, any
# answer off its schema, any out-of-bounds value the server accepts, and
# any valid request it refuses (see schemathesis.toml for the refusals the
# document cannot express).
"$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run \
    "$KB_BASE_URL/api/v1/openapi.json" --url "$KB_BASE_URL" \
    --max-examples 200 --checks all --no-color
