//! A grouped bar chart of resources per year per offer, drawn as inline SVG
//! on the server: no script, no chart library, readable at any width
//! (it scales through `viewBox`), colours from the stylesheet so dark mode
//! applies. Each bar has a `<title>` with its exact number, and pages show
//! the same numbers in a table for screen readers and keyboard users.

use maud::{Markup, html};

/// One series: a label and one count per year.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Counts aligned with [`Chart::years`].
    pub counts: Vec<u64>,
}

/// The chart's data.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Years, oldest first.
    pub years: Vec<u64>,
    /// One series per offer; at most 8 get distinct colours.
    pub series: Vec<Series>,
}

const BAR: f64 = 7.0;
const GROUP_GAP: f64 = 10.0;
const LEFT: f64 = 36.0;
const TOP: f64 = 12.0;
const PLOT_HEIGHT: f64 = 200.0;
const BOTTOM: f64 = 28.0;

/// A round number at or above `max` with a tick step that divides it.
fn scale(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let step = match max {
        0..=5 => 1,
        6..=10 => 2,
        11..=25 => 5,
        26..=50 => 10,
        51..=100 => 20,
        _ => 10u64.pow(max.ilog10()),
    };
    (max.div_ceil(step) * step, step)
}

impl Chart {
    /// Render as SVG; `title` and `description` name the image for assistive tech.
    pub fn svg(&self, title: &str, description: &str) -> Markup {
        let n = self.series.len().max(1) as f64;
        let group = n * BAR + GROUP_GAP;
        let width = LEFT + group * self.years.len().max(1) as f64 + 4.0;
        let height = TOP + PLOT_HEIGHT + BOTTOM;
        let max = self
            .series
            .iter()
            .flat_map(|s| s.counts.iter().copied())
            .max()
            .unwrap_or(0);
        let (top, step) = scale(max);
        let y = |v: u64| TOP + PLOT_HEIGHT - PLOT_HEIGHT * v as f64 / top as f64;
        let ticks: Vec<u64> = (0..=top / step).map(|i| i * step).collect();
        html! {
            svg.chart xmlns="http://www.w3.org/2000/svg" role="img"
                viewBox=(format!("0 0 {width:.0} {height:.0}"))
                aria-labelledby="chart-title chart-desc" {
                title #chart-title { (title) }
                desc #chart-desc { (description) }
                g.axis {
                    @for t in &ticks {
                        line.grid x1=(LEFT) x2=(format!("{:.1}", width - 4.0)) y1=(format!("{:.1}", y(*t))) y2=(format!("{:.1}", y(*t))) {}
                        text.tick x=(LEFT - 6.0) y=(format!("{:.1}", y(*t) + 4.0)) text-anchor="end" { (t) }
                    }
                }
                @for (yi, year) in self.years.iter().enumerate() {
                    @let x0 = LEFT + GROUP_GAP / 2.0 + group * yi as f64;
                    g.year {
                        @for (si, s) in self.series.iter().enumerate() {
                            @let v = s.counts.get(yi).copied().unwrap_or(0);
                            @if v > 0 {
                                rect class=(format!("bar s{}", si % 8))
                                    x=(format!("{:.1}", x0 + BAR * si as f64))
                                    y=(format!("{:.1}", y(v)))
                                    width=(BAR - 1.0)
                                    height=(format!("{:.1}", TOP + PLOT_HEIGHT - y(v))) {
                                    title { (year) ", " (s.label) ": " (v) }
                                }
                            }
                        }
                        text.label x=(format!("{:.1}", x0 + n * BAR / 2.0)) y=(format!("{:.1}", TOP + PLOT_HEIGHT + 18.0)) text-anchor="middle" { (year) }
                    }
                }
                line.baseline x1=(LEFT) x2=(format!("{:.1}", width - 4.0)) y1=(TOP + PLOT_HEIGHT) y2=(TOP + PLOT_HEIGHT) {}
            }
        }
    }

    /// The legend, as HTML so it wraps on narrow screens.
    pub fn legend(&self) -> Markup {
        html! {
            ul.legend aria-hidden="true" {
                @for (si, s) in self.series.iter().enumerate() {
                    li { span class=(format!("swatch s{}", si % 8)) {} (s.label) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bars scale to the rounded maximum and carry their exact numbers.
    #[test]
    fn bars_carry_numbers() {
        assert_eq!(scale(9), (10, 2));
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(130), (200, 100));
        let chart = Chart {
            years: vec![2019, 2020],
            series: vec![Series {
                label: "Reading".into(),
                counts: vec![3, 0],
            }],
        };
        let svg = chart.svg("T", "D").into_string();
        assert_eq!(svg.matches("<rect").count(), 1);
        assert!(svg.contains("2019, Reading: 3"));
    }
}
