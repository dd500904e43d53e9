//! End-to-end tests: the real `kb-index` and `kb-server` binaries, driven as
//! their users drive them (a shell, an HTTP client).

mod accounts;
mod backup;
mod cli;
mod cluster;
mod crash;
mod hostile;
mod index_kill;
mod load;
mod packaging;
mod relevance;
mod server;
mod settings;
mod slow_clients;
