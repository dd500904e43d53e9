//! The aggregates editors read: top queries, zero-result queries, top
//! filters, click-through (overall and by position), weekly and daily
//! counts. A query seen fewer than [`MIN_COUNT`] times in the period is in
//! none of them, so a one-off search that happens to name someone never
//! shows.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::store::RETENTION_DAYS;
use crate::store::StoreError;

/// Fewest searches a query (or filter) needs to appear in a report.
pub const MIN_COUNT: i64 = 3;
/// Rows in each "top" list.
const TOP: i64 = 25;
/// Result positions the click chart covers.
pub const POSITIONS: u32 = 10;
/// Weeks of trend shown.
const WEEKS: i64 = 12;

/// Searches for one normalised query.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueryCount {
    /// The normalised query (lower-cased, personal details redacted).
    pub query: String,
    /// Searches made with it in the period.
    pub searches: u64,
    /// Of those, searches that found nothing.
    pub zero_results: u64,
}

/// How often one filter was used.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilterCount {
    /// `facet=value`, e.g. `offer=reading` or `year_from=2018`.
    pub filter: String,
    /// Searches using it in the period.
    pub searches: u64,
}

/// Clicks on the result at one position.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PositionClicks {
    /// 1-based rank in the results.
    pub position: u32,
    /// Clicks on results at this rank.
    pub clicks: u64,
    /// Clicks at this rank per search, from 0 to 1.
    pub rate: f64,
}

/// One week's searches.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WeekCount {
    /// The Monday starting the week, `YYYY-MM-DD`.
    pub week: String,
    /// Searches that week.
    pub searches: u64,
    /// Of those, searches that found nothing.
    pub zero_results: u64,
}

/// One query's searches on one day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayCount {
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
    /// The normalised query.
    pub query: String,
    /// Searches that day.
    pub searches: u64,
    /// Of those, searches that found nothing.
    pub zero_results: u64,
}

/// The search analytics report for the last [`RETENTION_DAYS`] days.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnalyticsReport {
    /// Days covered, ending now.
    pub days: i64,
    /// Searches recorded in the period.
    pub searches: u64,
    /// Result clicks recorded in the period.
    pub clicks: u64,
    /// Share of searches followed by at least one click, from 0 to 1.
    pub click_through_rate: f64,
    /// Mean 1-based position of the results opened; absent without clicks.
    pub mean_click_position: Option<f64>,
    /// Most searched queries (each seen at least 3 times).
    pub top_queries: Vec<QueryCount>,
    /// Queries that most often found nothing (each at least 3 times).
    pub zero_result_queries: Vec<QueryCount>,
    /// Most used filters (each at least 3 times).
    pub top_filters: Vec<FilterCount>,
    /// Clicks on each of the first 10 positions.
    pub clicks_by_position: Vec<PositionClicks>,
    /// Searches per week, oldest first, for the last 12 weeks.
    pub weekly: Vec<WeekCount>,
    /// Searches per day per query, for the queries in `top_queries`.
    pub daily: Vec<DayCount>,
}

/// A Unix time's UTC date, `YYYY-MM-DD`.
fn date(at: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| at.to_string())
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn queries(c: &Connection, cutoff: i64, zero_only: bool) -> Result<Vec<QueryCount>, StoreError> {
    let (having, order) = if zero_only {
        ("SUM(zero) >= ?2", "SUM(zero) DESC")
    } else {
        ("SUM(searches) >= ?2", "SUM(searches) DESC")
    };
    let mut stmt = c.prepare(&format!(
        "SELECT query, SUM(searches), SUM(zero) FROM search_daily
         WHERE day >= ?1 AND query <> '' GROUP BY query HAVING {having}
         ORDER BY {order}, query LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![cutoff, MIN_COUNT, TOP], |r| {
        Ok(QueryCount {
            query: r.get(0)?,
            searches: count(r.get(1)?),
            zero_results: count(r.get(2)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The report as of `now` (Unix seconds).
pub fn build(c: &Connection, now: i64) -> Result<AnalyticsReport, StoreError> {
    let cutoff = now - RETENTION_DAYS * 86_400;
    let day_cutoff = cutoff - cutoff.rem_euclid(86_400);
    let searches: i64 = c.query_row(
        "SELECT COUNT(*) FROM search_events WHERE hour >= ?1",
        [cutoff],
        |r| r.get(0),
    )?;
    let (clicks, clicked_searches, mean): (i64, i64, Option<f64>) = c.query_row(
        "SELECT COUNT(*), COUNT(DISTINCT k.search_id), AVG(k.position)
         FROM search_clicks k JOIN search_events e ON e.id = k.search_id
         WHERE e.hour >= ?1",
        [cutoff],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let rate = |n: i64| {
        if searches > 0 {
            n as f64 / searches as f64
        } else {
            0.0
        }
    };
    let mut by_position: Vec<PositionClicks> = (1..=POSITIONS)
        .map(|position| PositionClicks {
            position,
            clicks: 0,
            rate: 0.0,
        })
        .collect();
    {
        let mut stmt = c.prepare(
            "SELECT k.position, COUNT(*) FROM search_clicks k
             JOIN search_events e ON e.id = k.search_id
             WHERE e.hour >= ?1 AND k.position BETWEEN 1 AND ?2 GROUP BY k.position",
        )?;
        let rows = stmt.query_map(params![cutoff, POSITIONS], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (position, n) = row?;
            if let Some(slot) = by_position.get_mut(position as usize - 1) {
                slot.clicks = count(n);
                slot.rate = rate(n);
            }
        }
    }
    let mut filter_counts = std::collections::HashMap::<String, u64>::new();
    {
        let mut stmt =
            c.prepare("SELECT filters FROM search_events WHERE hour >= ?1 AND filters <> ''")?;
        let rows = stmt.query_map([cutoff], |r| r.get::<_, String>(0))?;
        for row in rows {
            for filter in row?.split(' ') {
                *filter_counts.entry(filter.to_string()).or_default() += 1;
            }
        }
    }
    let mut top_filters: Vec<FilterCount> = filter_counts
        .into_iter()
        .filter(|(_, n)| *n >= MIN_COUNT as u64)
        .map(|(filter, searches)| FilterCount { filter, searches })
        .collect();
    top_filters.sort_by(|a, b| b.searches.cmp(&a.searches).then(a.filter.cmp(&b.filter)));
    top_filters.truncate(TOP as usize);

    // Weeks start on Monday; 1970-01-01 was a Thursday.
    let today = now - now.rem_euclid(86_400);
    let monday = today - ((today / 86_400 + 3).rem_euclid(7)) * 86_400;
    let first_week = monday - (WEEKS - 1) * 7 * 86_400;
    let mut weekly: Vec<WeekCount> = (0..WEEKS)
        .map(|i| WeekCount {
            week: date(first_week + i * 7 * 86_400),
            searches: 0,
            zero_results: 0,
        })
        .collect();
    {
        let mut stmt = c.prepare(
            "SELECT (day - ?1) / 604800, SUM(searches), SUM(zero) FROM search_daily
             WHERE day >= ?1 GROUP BY 1",
        )?;
        let rows = stmt.query_map([first_week], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (i, n, zero) = row?;
            if let Some(week) = usize::try_from(i).ok().and_then(|i| weekly.get_mut(i)) {
                week.searches = count(n);
                week.zero_results = count(zero);
            }
        }
    }
    let top_queries = queries(c, day_cutoff, false)?;
    let mut daily = Vec::new();
    {
        let mut stmt = c.prepare(
            "SELECT day, searches, zero FROM search_daily WHERE day >= ?1 AND query = ?2 ORDER BY day",
        )?;
        for q in &top_queries {
            let rows = stmt.query_map(params![day_cutoff, q.query], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?;
            for row in rows {
                let (day, n, zero) = row?;
                daily.push(DayCount {
                    day: date(day),
                    query: q.query.clone(),
                    searches: count(n),
                    zero_results: count(zero),
                });
            }
        }
    }
    Ok(AnalyticsReport {
        days: RETENTION_DAYS,
        searches: count(searches),
        clicks: count(clicks),
        click_through_rate: rate(clicked_searches),
        mean_click_position: mean,
        zero_result_queries: queries(c, day_cutoff, true)?,
        top_queries,
        top_filters,
        clicks_by_position: by_position,
        weekly,
        daily,
    })
}

/// The report as CSV: one row per query per day, for the queries in the
/// report (`day,query,searches,zero_results`).
pub fn csv(report: &AnalyticsReport) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["day", "query", "searches", "zero_results"])?;
    for d in &report.daily {
        out.write_record([
            d.day.as_str(),
            d.query.as_str(),
            &d.searches.to_string(),
            &d.zero_results.to_string(),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
