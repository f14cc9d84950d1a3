// The request-duration histogram, kept by hand: every request, the hot check path included, adds one
// observation, and prom-client's histogram validates and hashes its labels on each one (a few per
// cent of a check). Here a series is found by one string key, and the Prometheus text is written
// only when scraped.
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const NAME = 'ssm_http_request_duration_seconds';

interface Series {
  labels: string;
  /** Observations per bucket (not cumulative); the last counts those above every bound. */
  counts: number[];
  sum: number;
}

const labelValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function record(series: Series, seconds: number): void {
  let bucket = 0;
  while (bucket < BUCKETS.length && seconds > (BUCKETS[bucket] as number)) bucket++;
  series.counts[bucket] = (series.counts[bucket] as number) + 1;
  series.sum += seconds;
}

export class RequestHistogram {
  private readonly series = new Map<string, Series>();

  observe(method: string, route: string, status: string, seconds: number): void {
    record(this.seriesOf(method, route, status), seconds);
  }

  /** Observes one series, found once (for a caller that always observes the same labels). */
  observer(method: string, route: string, status: string): (seconds: number) => void {
    const series = this.seriesOf(method, route, status);
    return (seconds) => record(series, seconds);
  }

  private seriesOf(method: string, route: string, status: string): Series {
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (!series) {
      series = {
        labels: `method="${labelValue(method)}",route="${labelValue(route)}",status="${labelValue(status)}"`,
        counts: new Array(BUCKETS.length + 1).fill(0),
        sum: 0,
      };
      this.series.set(key, series);
    }
    return series;
  }

  /** The Prometheus text exposition of every series. */
  text(): string {
    const lines = [`# HELP ${NAME} HTTP request duration by route and status class`, `# TYPE ${NAME} histogram`];
    for (const { labels, counts, sum } of this.series.values()) {
      let cumulative = 0;
      BUCKETS.forEach((bound, i) => {
        cumulative += counts[i] as number;
        lines.push(`${NAME}_bucket{le="${bound}",${labels}} ${cumulative}`);
      });
      cumulative += counts[BUCKETS.length] as number;
      lines.push(
        `${NAME}_bucket{le="+Inf",${labels}} ${cumulative}`,
        `${NAME}_sum{${labels}} ${sum}`,
        `${NAME}_count{${labels}} ${cumulative}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
