//! The analytics tables in the embedded SQLite file: raw search and click
//! events (kept [`RETENTION_DAYS`] days) and daily counts per query (kept).
//! Nothing here has a column for an address, a cookie or an account.

use rusqlite::{Connection, params};

use super::Message;
use crate::store::StoreError;

/// Days raw events are kept.
pub const RETENTION_DAYS: i64 = 30;

/// The tables, created when the store opens.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS search_events (
    id        TEXT PRIMARY KEY,
    query     TEXT NOT NULL,
    filters   TEXT NOT NULL,
    results   INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    channel   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_events_hour ON search_events(hour);
CREATE TABLE IF NOT EXISTS search_clicks (
    search_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    hour      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS search_clicks_hour ON search_clicks(hour);
CREATE INDEX IF NOT EXISTS search_clicks_search ON search_clicks(search_id);
CREATE TABLE IF NOT EXISTS search_daily (
    day       INTEGER NOT NULL,
    query     TEXT NOT NULL,
    searches  INTEGER NOT NULL,
    zero      INTEGER NOT NULL,
    PRIMARY KEY (day, query)
);
";

/// Write a batch of searches and clicks in one transaction.
pub fn write(c: &mut Connection, events: &[Message]) -> Result<(), StoreError> {
    let tx = c.transaction()?;
    {
        let mut search = tx.prepare_cached(
            "INSERT OR IGNORE INTO search_events (id, query, filters, results, hour, channel)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut daily = tx.prepare_cached(
            "INSERT INTO search_daily (day, query, searches, zero) VALUES (?1, ?2, 1, ?3)
             ON CONFLICT (day, query) DO UPDATE SET
                 searches = searches + 1, zero = zero + excluded.zero",
        )?;
        let mut click = tx.prepare_cached(
            "INSERT INTO search_clicks (search_id, position, hour) VALUES (?1, ?2, ?3)",
        )?;
        for event in events {
            match event {
                Message::Search(e) => {
                    let results = i64::try_from(e.results).unwrap_or(i64::MAX);
                    search.execute(params![
                        e.id,
                        e.query,
                        e.filters,
                        results,
                        e.hour,
                        e.channel.as_stored()
                    ])?;
                    let day = e.hour - e.hour.rem_euclid(86_400);
                    daily.execute(params![day, e.query, i64::from(e.results == 0)])?;
                }
                Message::Click {
                    search_id,
                    position,
                    hour,
                } => {
                    click.execute(params![search_id, position, hour])?;
                }
                Message::Flush(_) => {}
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// Delete raw events older than [`RETENTION_DAYS`] days before `now`.
pub fn purge(c: &Connection, now: i64) -> Result<(), StoreError> {
    let cutoff = now - RETENTION_DAYS * 86_400;
    c.execute("DELETE FROM search_events WHERE hour < ?1", [cutoff])?;
    c.execute("DELETE FROM search_clicks WHERE hour < ?1", [cutoff])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Channel, SearchEvent};
    use super::*;

    fn event(id: &str, hour: i64) -> Message {
        Message::Search(SearchEvent {
            id: id.into(),
            query: "reading".into(),
            filters: String::new(),
            results: 0,
            hour,
            channel: Channel::Web,
        })
    }

    /// Raw events past the retention period go; recent ones and the daily
    /// counts stay.
    #[test]
    fn old_events_are_deleted_daily_counts_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::Store::open_in(dir.path()).expect("open");
        let now = 100 * 86_400;
        let old = now - (RETENTION_DAYS + 1) * 86_400;
        store
            .with(|c| {
                write(
                    c,
                    &[
                        event("a", old),
                        event("b", now),
                        Message::Click {
                            search_id: "a".into(),
                            position: 1,
                            hour: old,
                        },
                    ],
                )?;
                purge(c, now)
            })
            .expect("write and purge");
        let (events, clicks, daily): (i64, i64, i64) = store
            .with(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT COUNT(*) FROM search_events), (SELECT COUNT(*) FROM search_clicks),
                            (SELECT SUM(searches) FROM search_daily)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })
            .expect("count");
        assert_eq!((events, clicks, daily), (1, 0, 2));
    }
}
