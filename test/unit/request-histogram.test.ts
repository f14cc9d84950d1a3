import { expect, it } from 'vitest';
import { RequestHistogram } from '../../src/http/request-histogram.js';

it('writes cumulative buckets, sum and count per series in the Prometheus text format', () => {
  const histogram = new RequestHistogram();
  for (const seconds of [0.0001, 0.0005, 0.0007, 0.02, 3]) histogram.observe('POST', '/api/v1/checks', '2xx', seconds);
  histogram.observe('GET', '/api/v1/mandates/:id', '4xx', 0.004);
  const lines = histogram.text().split('\n');
  const checks = 'method="POST",route="/api/v1/checks",status="2xx"';
  expect(lines).toContain('# TYPE ssm_http_request_duration_seconds histogram');
  // 0.0005 is in the 0.0005 bucket (le is "less than or equal").
  expect(lines).toContain(`ssm_http_request_duration_seconds_bucket{le="0.0005",${checks}} 2`);
  expect(lines).toContain(`ssm_http_request_duration_seconds_bucket{le="0.001",${checks}} 3`);
  expect(lines).toContain(`ssm_http_request_duration_seconds_bucket{le="0.025",${checks}} 4`);
  expect(lines).toContain(`ssm_http_request_duration_seconds_bucket{le="2.5",${checks}} 4`);
  expect(lines).toContain(`ssm_http_request_duration_seconds_bucket{le="+Inf",${checks}} 5`);
  expect(lines).toContain(`ssm_http_request_duration_seconds_count{${checks}} 5`);
  const sum = lines.find((l) => l.startsWith(`ssm_http_request_duration_seconds_sum{${checks}}`));
  expect(Number(sum?.split(' ')[1])).toBeCloseTo(3.0213, 6);
  expect(lines).toContain('ssm_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/mandates/:id",status="4xx"} 1');
});

it('escapes label values', () => {
  const histogram = new RequestHistogram();
  histogram.observe('GET', 'a"b\\c', '2xx', 0.1);
  expect(histogram.text()).toContain('route="a\\"b\\\\c"');
});
