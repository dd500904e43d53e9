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
            "INSERT INTO search_daily (day, query, searches, zero) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (day, query) DO UPDATE SET
                 searches = searches + excluded.searches, zero = zero + excluded.zero",
        )?;
        // A batch's searches are added to the daily counts once per day and
        // query, not once per search: popular queries repeat many times a
        // second, and each upsert was a B-tree search and rewrite.
        let mut days: std::collections::BTreeMap<(i64, &str), (i64, i64)> =
            std::collections::BTreeMap::new();
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
                    let counts = days.entry((day, e.query.as_str())).or_default();
                    counts.0 += 1;
                    counts.1 += i64::from(e.results == 0);
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
        for ((day, query), (searches, zero)) in days {
            daily.execute(params![day, query, searches, zero])?;
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
        search(id, hour, "reading", 0)
    }

    fn search(id: &str, hour: i64, query: &str, results: u64) -> Message {
        Message::Search(SearchEvent {
            id: id.into(),
            query: query.into(),
            filters: String::new(),
            results,
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

    /// Daily counts add up per day and query within a batch and across
    /// batches, searches and searches without results alike.
    #[test]
    fn daily_counts_add_up_across_batches() {
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::Store::open_in(dir.path()).expect("open");
        let day = 100 * 86_400;
        store
            .with(|c| {
                write(
                    c,
                    &[
                        search("a", day + 10, "reading", 0),
                        search("b", day + 20, "reading", 3),
                        search("c", day + 30, "health", 1),
                        search("d", day + 86_400, "reading", 0),
                    ],
                )?;
                write(c, &[search("e", day + 40, "reading", 0)])
            })
            .expect("write");
        let rows: Vec<(i64, String, i64, i64)> = store
            .with(|c| {
                let mut q = c.prepare(
                    "SELECT day, query, searches, zero FROM search_daily ORDER BY day, query",
                )?;
                let rows = q
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(rows)
            })
            .expect("rows");
        assert_eq!(
            rows,
            vec![
                (day, "health".to_string(), 1, 0),
                (day, "reading".to_string(), 3, 2),
                (day + 86_400, "reading".to_string(), 1, 1),
            ]
        );
    }
}
