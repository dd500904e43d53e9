# Multi-stage image of the knowledge base server with the bundled corpus.
# Build: docker build -t kb .    Run: docker run -p 8080:8080 -v kb-data:/data kb

FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY indexer indexer
COPY server server
COPY tests tests
RUN cargo build --release --locked -p kb-server -p kb-indexer

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl mecab-ipadic \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /app kb \
    && mkdir -p /data && chown kb /data
WORKDIR /app
COPY --from=builder /src/target/release/kb-server /src/target/release/kb-index /usr/local/bin/
COPY --chown=kb corpus /app/corpus
ENV KB_CORPUS=/app/corpus KB_DATA=/data KB_BIND=0.0.0.0:8080
USER kb
# Build the Japanese dictionary into the image's data folder ahead of the first start.
RUN kb-index dict --data /data
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
VOLUME ["/data"]
EXPOSE 8080
CMD ["kb-server"]
